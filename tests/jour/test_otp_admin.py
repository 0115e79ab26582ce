"""Issue 16, item 8: the admin never shows a second-factor secret, not even to a
verified superuser. django-otp's own TOTP admin shows every user's key and a QR
code of it; whoever reads a key can make that user's codes forever."""

import base64

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jour.models import BackupCode, BackupCodeDevice, Role, User
from jour.otp import issue_backup_codes
from tests.personas import login_verified, make_user, totp_device
from tests.urlwalk import iter_patterns

ADMIN_VIEWS = [(pattern.name, pattern) for _r, pattern, ns in iter_patterns() if ns == "admin" and pattern.name]


@pytest.fixture
def root(people):
    user = make_user("root@jour.test", "Root Admin", Role.COORDINATOR, is_staff=True, is_superuser=True)
    client = Client()
    login_verified(client, user)
    return client


@pytest.fixture
def secrets_of_alex(people):
    """Alex's TOTP key in every spelling a page could show, and the hashes of Alex's backup codes."""
    device = totp_device(people.alex)
    codes = issue_backup_codes(people.alex, 3)
    hashes = list(BackupCode.objects.filter(device__user=people.alex).values_list("code_hash", flat=True))
    b32 = base64.b32encode(device.bin_key).decode()
    return {"device": device, "codes": codes, "words": [device.key, b32, b32.rstrip("="), *hashes, *codes]}


def _leaks(response, words):
    body = response.content.decode(errors="replace")
    return [word[:12] for word in words if word and word in body]


def test_no_admin_page_shows_a_key_a_code_or_a_hash(root, people, secrets_of_alex):
    device = secrets_of_alex["device"]
    backup = BackupCodeDevice.objects.get(user=people.alex)
    values = {"object_id": device.pk, "id": device.pk, "pk": device.pk, "app_label": "otp_totp"}
    found = []
    for name, pattern in ADMIN_VIEWS:
        kwargs = {key: values.get(key, people.alex.pk) for key in pattern.pattern.regex.groupindex}
        if name.startswith("jour_backupcodedevice") and "object_id" in kwargs:
            kwargs["object_id"] = backup.pk
        if name == "app_list":
            for label in ("otp_totp", "jour"):
                found += _leaks(
                    root.get(reverse("admin:app_list", kwargs={"app_label": label})), secrets_of_alex["words"]
                )
            continue
        response = root.get(reverse(f"admin:{name}", kwargs=kwargs), follow=True)
        found += [(name, leak) for leak in _leaks(response, secrets_of_alex["words"])]
    assert found == []


def test_the_device_pages_exist_and_hold_no_key(root, secrets_of_alex):
    device = secrets_of_alex["device"]
    listing = root.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200
    # The page works: it lists the devices...
    assert reverse("admin:otp_totp_totpdevice_change", args=[device.pk]) in listing.content.decode()
    page = root.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert _leaks(listing, secrets_of_alex["words"]) == _leaks(page, secrets_of_alex["words"]) == []  # ...keylessly
    assert 'name="key"' not in page.content.decode()


@pytest.mark.parametrize("name", ["otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode"])
def test_the_qr_code_views_are_gone(root, secrets_of_alex, name):
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{name}", args=[secrets_of_alex["device"].pk])
    for suffix in ("config/", "qrcode/"):
        path = reverse("admin:otp_totp_totpdevice_changelist") + f"{secrets_of_alex['device'].pk}/{suffix}"
        response = root.get(path, follow=True)
        assert _leaks(response, secrets_of_alex["words"]) == []
        assert response.get("Content-Type", "").startswith("text/html")  # not the QR code's SVG


def test_no_one_adds_or_changes_a_device_through_the_admin(root, people, secrets_of_alex):
    """A device added or changed with a key the admin chose would be a way around the second factor."""
    device = secrets_of_alex["device"]
    assert root.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    new_key = "ab" * 20
    response = root.post(
        reverse("admin:otp_totp_totpdevice_add"),
        {"user": people.alex.pk, "name": "evil", "key": new_key, "step": 30, "t0": 0, "digits": 6, "tolerance": 1},
    )
    assert response.status_code == 403
    response = root.post(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        {"user": people.alex.pk, "name": "app", "key": new_key, "confirmed": "on", "step": 30, "t0": 0, "digits": 6},
    )
    assert response.status_code in (200, 403)
    assert list(TOTPDevice.objects.filter(user=people.alex).values_list("key", flat=True)) == [device.key]


def test_a_lost_phone_can_still_be_removed(root, people, secrets_of_alex):
    device = secrets_of_alex["device"]
    response = root.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_backup_codes_are_not_in_the_admin(root, people, secrets_of_alex):
    assert not admin.site.is_registered(BackupCode)
    if admin.site.is_registered(BackupCodeDevice):
        backup = BackupCodeDevice.objects.get(user=people.alex)
        page = root.get(reverse("admin:jour_backupcodedevice_change", args=[backup.pk]))
        assert _leaks(page, secrets_of_alex["words"]) == []
        assert root.get(reverse("admin:jour_backupcodedevice_add")).status_code == 403


def test_a_user_page_shows_no_secret_either(root, people, secrets_of_alex):
    page = root.get(reverse("admin:jour_user_change", args=[people.alex.pk]))
    assert page.status_code == 200
    assert _leaks(page, secrets_of_alex["words"]) == []
    assert User.objects.get(pk=people.alex.pk).email == "alex@jour.test"
