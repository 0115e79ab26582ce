"""A new account must enrol a TOTP device before it can open any page."""

import base64

from django.urls import reverse
from django_otp.oath import TOTP

from jour.models import BackupCodeDevice, Role
from tests.personas import PASSWORD, make_user


def test_enrolment_shows_qr_and_confirms_with_a_code(client, db):
    user = make_user("new@jour.test", "New Person", Role.SUPPORT_PERSON, with_totp=False)
    response = client.post(reverse("login"), {"username": "new@jour.test", "password": PASSWORD})
    assert response["Location"].startswith(reverse("enrol"))
    assert client.get(reverse("start"))["Location"].startswith(reverse("enrol"))

    page = client.get(reverse("enrol"))
    html = page.content.decode()
    assert "<svg" in html and page.context["secret"]

    # What the phone app would compute from the key shown on the page.
    code = f"{TOTP(base64.b32decode(page.context['secret'])).token():06d}"
    response = client.post(reverse("enrol"), {"code": code})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert BackupCodeDevice.objects.get(user=user).codes.count() == 10
    assert client.get(reverse("start")).status_code == 200
    # The code just used to enrol cannot be used again to log in.
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "new@jour.test", "password": PASSWORD})
    assert client.post(reverse("verify"), {"code": code}).status_code == 200


def test_wrong_enrolment_code_keeps_the_same_key(client, db):
    user = make_user("new2@jour.test", "New Two", Role.BOARD_MEMBER, with_totp=False)
    client.post(reverse("login"), {"username": "new2@jour.test", "password": PASSWORD})
    first = client.get(reverse("enrol")).context["secret"]
    response = client.post(reverse("enrol"), {"code": "12345"})
    assert "sex siffror" in response.content.decode()
    assert response.context["secret"] == first
    assert not user.totpdevice_set.filter(confirmed=True).exists()
