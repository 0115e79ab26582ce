"""Figure 11: random form data never causes a server error.

Each form gets two kinds of input: data shaped like the form (hypothesis'
from_form, so that examples get past the first checks) and junk (missing and
unknown fields, NUL bytes, any unicode, very long strings, repeated keys).
The test client re-raises a view's exception, so a crash fails as loudly as a 5xx.
"""

import itertools

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from jour.forms import CodeForm, EmailLoginForm, InviteForm, SetPasswordForm
from jour.models import Invitation, Role
from jour.otp import issue_backup_codes
from tests.personas import PASSWORD, login_password_only, login_verified

# Few examples, no deadline (requests vary in time), no example database on disk.
FUZZ = settings(max_examples=30, deadline=None, database=None)

TEXT = st.one_of(
    st.text(),  # any unicode, NUL included
    st.sampled_from(["", " ", "\x00", "kim@jour.test", PASSWORD, "123456", "abcd-efgh-jkmn", "../../etc/passwd"]),
    # Very long values: beyond every max_length, below the request size limit.
    st.builds(lambda s, n: s * n, st.sampled_from(["a", "\x00", "å", "💥", "a@b."]), st.integers(200, 100_000)),
)
VALUE = st.one_of(TEXT, st.lists(TEXT, max_size=3))


def junk(*fields):
    """Any subset of the form's fields (and `next`, and strangers), with any values."""
    keys = st.one_of(st.sampled_from([*fields, "next"]), st.text(st.characters(categories=["L", "N"]), max_size=10))
    return st.dictionaries(keys, VALUE, max_size=6)


def form_data(form, **kwargs):
    return from_form(form, **kwargs).map(lambda bound: dict(bound.data))


def post(client, url, data, **extra):
    response = client.post(url, data, **extra)
    assert response.status_code < 500, (data, response.status_code)
    return response


def test_login(client, people):
    addresses = (f"10.{n // 65536}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))
    statuses = []

    @FUZZ
    @given(data=st.one_of(form_data(EmailLoginForm), junk("username", "password")))
    @example(data={"username": "kim@jour.test", "password": "wrong"})
    def login(data):
        # A new address per example: after five failures per e-mail and address
        # the lockout answers 429 instead of the form, which would hide it from the fuzz.
        statuses.append(post(client, reverse("login"), data, REMOTE_ADDR=next(addresses)).status_code)

    login()
    assert 429 not in statuses
    assert statuses.count(200) >= 15, "most examples should reach the form's own validation"


@pytest.mark.parametrize("backup_codes", [False, True], ids=["totp-only", "with-backup-codes"])
def test_verify(client, people, backup_codes):
    if backup_codes:
        issue_backup_codes(people.coordinator, 10)
    login_password_only(client, people.coordinator)
    codes = st.one_of(st.from_regex(r"\A\d{6}\Z"), st.from_regex(r"\A[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\Z"))

    @FUZZ
    @given(data=st.one_of(form_data(CodeForm, code=codes), form_data(CodeForm), junk("code")))
    @example(data={"code": "abcd-efgh-jkmn"})
    def verify(data):
        response = post(client, reverse("verify"), data)
        # Nobody guesses a code: the form again (or 400 for a body over the size limit).
        assert response.status_code in (200, 400)

    verify()


def test_invite(client, people):
    login_verified(client, people.coordinator)

    @FUZZ
    @given(data=st.one_of(form_data(InviteForm), junk("name", "email", "role")))
    @example(data={"name": "Nora Newcomer", "email": "nora@jour.test", "role": Role.SUPPORT_PERSON})
    def invite(data):
        post(client, reverse("account_list"), data)

    invite()
    # The fuzz got past the form: invitations were made.
    assert Invitation.objects.exists()


def test_invite_with_an_address_longer_than_the_column(client, people):
    login_verified(client, people.coordinator)
    # A valid address (64-character local part, 255-character domain), 320 characters long.
    email = "a" * 64 + "@" + "b" * 63 + ".se" * 64
    response = post(client, reverse("account_list"), {"name": "Long Address", "email": email, "role": Role.AUDITOR})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_invitation_password(client, people):
    numbers = itertools.count(1)
    statuses = []

    @FUZZ
    @given(data=st.one_of(form_data(SetPasswordForm), junk("password1", "password2")))
    @example(data={"password1": "a long new password 7", "password2": "a long new password 7"})
    def choose_password(data):
        # A fresh invitation each time: an example that succeeds uses it up.
        invitation = Invitation.objects.create(
            email=f"new{next(numbers)}@jour.test", name="New Person", role=Role.AUDITOR, invited_by=people.coordinator
        )
        token = invitation.issue_token()
        invitation.save()
        client.get(reverse("invitation", args=[token]))
        statuses.append(post(client, reverse("invitation_password"), data).status_code)

    choose_password()
    assert 200 in statuses and 302 in statuses, "both the form's errors and a success were reached"
