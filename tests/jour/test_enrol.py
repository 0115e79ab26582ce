"""A new account must enrol a TOTP device before it can open any page."""

from django.urls import reverse
from django_otp.oath import TOTP

from jour.models import BackupCodeDevice, Role
from jour.otp import pending_totp_device
from tests.personas import PASSWORD, make_user


def test_enrolment_shows_qr_and_confirms_with_a_code(client, db):
    user = make_user("new@jour.test", "New Person", Role.SUPPORT_PERSON, with_totp=False)
    response = client.post(reverse("login"), {"username": "new@jour.test", "password": PASSWORD})
    assert response["Location"].startswith(reverse("enrol"))
    assert client.get(reverse("start"))["Location"].startswith(reverse("enrol"))

    page = client.get(reverse("enrol"))
    html = page.content.decode()
    assert "<svg" in html and page.context["secret"]

    device = pending_totp_device(user)
    code = f"{TOTP(device.bin_key).token():06d}"
    response = client.post(reverse("enrol"), {"code": code})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert BackupCodeDevice.objects.get(user=user).codes.count() == 10
    assert client.get(reverse("start")).status_code == 200


def test_wrong_enrolment_code_keeps_the_same_key(client, db):
    user = make_user("new2@jour.test", "New Two", Role.BOARD_MEMBER, with_totp=False)
    client.post(reverse("login"), {"username": "new2@jour.test", "password": PASSWORD})
    first = client.get(reverse("enrol")).context["secret"]
    response = client.post(reverse("enrol"), {"code": "12345"})
    assert "sex siffror" in response.content.decode()
    assert response.context["secret"] == first
    assert not user.totpdevice_set.filter(confirmed=True).exists()
