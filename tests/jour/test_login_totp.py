"""Login: e-mail + password, then a TOTP code or a backup code."""

import time

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jour.models import BackupCode
from jour.otp import issue_backup_codes
from tests.personas import PASSWORD, totp_code


def _password_step(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_password_then_totp_reaches_start_page(client, people):
    response = _password_step(client, "KIM@jour.test")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("verify"))

    # With only the password, no page opens.
    assert client.get(reverse("start"))["Location"].startswith(reverse("verify"))

    response = client.post(reverse("verify"), {"code": totp_code(people.coordinator)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("start")
    assert "Kim Coordinator" in response.content.decode()


def test_wrong_password_gives_clear_message_and_no_session(client, people):
    response = _password_step(client, "kim@jour.test", "wrong password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "lösenordet är fel" in response.content.decode()


def test_wrong_totp_code_is_refused(client, people):
    _password_step(client, "kim@jour.test")
    good = totp_code(people.coordinator)
    bad = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(reverse("verify"), {"code": bad})
    assert response.status_code == 200
    assert "Koden är fel" in response.content.decode()
    assert client.get(reverse("start")).status_code == 302


def test_a_totp_code_works_only_once(client, people):
    code = totp_code(people.coordinator)
    _password_step(client, "kim@jour.test")
    assert client.post(reverse("verify"), {"code": code})["Location"] == reverse("start")
    client.post(reverse("logout"))

    other = client.__class__()
    _password_step(other, "kim@jour.test")
    response = other.post(reverse("verify"), {"code": code})
    assert response.status_code == 200, "a reused TOTP code must be refused"


def test_failed_codes_are_throttled(client, people):
    _password_step(client, "kim@jour.test")
    client.post(reverse("verify"), {"code": "000000"})
    device = TOTPDevice.objects.get(user=people.coordinator)
    assert device.throttling_failure_count == 1
    # Guessing fast does not help: attempts inside the back-off are not even checked,
    # and the right code waits out the throttle too.
    for _ in range(3):
        client.post(reverse("verify"), {"code": "000000"})
    response = client.post(reverse("verify"), {"code": totp_code(people.coordinator)})
    assert response.status_code == 200


def test_backup_codes_are_hashed_and_single_use(client, people):
    codes = issue_backup_codes(people.alex, 10)
    assert len(set(codes)) == 10
    stored = list(BackupCode.objects.filter(device__user=people.alex).values_list("code_hash", flat=True))
    assert len(stored) == 10
    for code in codes:
        plain = code.replace("-", "")
        assert all(plain not in value and code not in value for value in stored)

    _password_step(client, "alex@jour.test")
    assert client.post(reverse("verify"), {"code": codes[0].upper()})["Location"] == reverse("start")
    client.post(reverse("logout"))

    _password_step(client, "alex@jour.test")
    response = client.post(reverse("verify"), {"code": codes[0]})
    assert response.status_code == 200, "a used backup code must be refused"
    assert BackupCode.objects.filter(device__user=people.alex).count() == 9


def test_new_backup_codes_replace_old_ones(client, people):
    from tests.personas import login_verified

    old = issue_backup_codes(people.alex, 10)
    login_verified(client, people.alex)
    response = client.post(reverse("backup_codes"))
    new_codes = response.context["codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old)
    client.post(reverse("logout"))
    _password_step(client, "alex@jour.test")
    assert client.post(reverse("verify"), {"code": old[1]}).status_code == 200


def test_session_key_changes_at_each_step(client, people):
    client.get(reverse("login"))
    before = client.cookies.get("sessionid")
    _password_step(client, "kim@jour.test")
    after_password = client.session.session_key
    client.post(reverse("verify"), {"code": totp_code(people.coordinator, at=time.time())})
    after_otp = client.session.session_key
    assert after_password != after_otp
    assert before is None or before.value not in {after_password, after_otp}
