""" "Last login" (Senaste inloggning) is set when the second factor completes a
login, never at the password step: an invitee who set a password and never
enrolled has not logged in."""

import base64

from django.urls import reverse
from django_otp.oath import TOTP

from jour.models import Role, User
from tests.personas import PASSWORD, make_user, totp_code


def _last_login(user):
    return User.objects.get(pk=user.pk).last_login


def test_the_password_alone_is_no_login(client, people):
    kim = people.coordinator
    client.post(reverse("login"), {"username": kim.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session  # the password step did log the session in
    assert _last_login(kim) is None

    client.post(reverse("verify"), {"code": totp_code(kim)})
    assert _last_login(kim) is not None


def test_a_wrong_code_is_no_login_either(client, people):
    kim = people.coordinator
    client.post(reverse("login"), {"username": kim.email, "password": PASSWORD})
    good = totp_code(kim)
    client.post(reverse("verify"), {"code": f"{(int(good) + 1) % 1_000_000:06d}"})
    assert _last_login(kim) is None


def test_an_invitee_who_never_enrolled_has_not_logged_in(client, db):
    user = make_user("new@jour.test", "New Person", Role.SUPPORT_PERSON, with_totp=False)
    client.post(reverse("login"), {"username": "new@jour.test", "password": PASSWORD})
    page = client.get(reverse("enrol"))
    assert _last_login(user) is None
    # The account list shows no login for them.
    staff = make_user("lead@jour.test", "Lead", Role.COORDINATOR)
    from tests.personas import client_for

    detail = client_for(staff).get(reverse("account_detail", args=[user.pk])).content.decode()
    assert _last_login(user) is None and "Last login</dt><dd>–" in detail

    code = f"{TOTP(base64.b32decode(page.context['secret'])).token():06d}"
    client.post(reverse("enrol"), {"code": code})
    assert _last_login(user) is not None
