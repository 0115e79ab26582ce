"""Figure 11: random form data never causes a server error.

Each form gets two kinds of input: data shaped like the form (hypothesis'
from_form, so that examples get past the first checks) and junk (missing and
unknown fields, NUL bytes, any unicode, very long strings, repeated keys).
The test client re-raises a view's exception, so a crash fails as loudly as a 5xx.
"""

import itertools

import pytest
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from jour.forms import CodeForm, EmailLoginForm, SetPasswordForm
from jour.models import Invitation, Role
from jour.otp import issue_backup_codes
from tests.personas import PASSWORD, login_password_only, login_verified

# Few examples, no deadline (requests vary in time), no example database on disk.
FUZZ = settings(max_examples=30, deadline=None, database=None)

# Numbers beyond every column (a bigint key ends at 2**63 - 1), and digits int() refuses.
HUGE_NUMBERS = st.one_of(
    st.integers(min_value=2**31 - 2).map(str),
    st.sampled_from(["1" * 30, str(2**63), "-" + "9" * 30, "²", "1e309", "9" * 5000]),
)
# `next` values that are not a path on this site (tests/jour/test_next.py has the full list).
ODD_NEXT = st.sampled_from(["x", "start", "//evil.example/", "https://evil.example/", "/\\evil", "javascript:alert(1)"])
TEXT = st.one_of(
    st.text(),  # any unicode, NUL included
    st.sampled_from(["", " ", "\x00", "kim@jour.test", PASSWORD, "123456", "abcd-efgh-jkmn", "../../etc/passwd"]),
    HUGE_NUMBERS,
    ODD_NEXT,
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


@pytest.mark.parametrize("name", ["login", "verify"])
def test_next_on_the_login_pages(client, people, name):
    """A logged-in user sent back through a login page goes to a path on this site, whatever `next` says."""
    login_verified(client, people.coordinator)

    @FUZZ
    @given(target=st.one_of(TEXT, st.text().map(lambda s: "/" + s)))
    @example(target="x")
    @example(target="/cases/")
    def follow(target):
        response = client.get(reverse(name), {"next": target})
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), (target, location)
        assert location in (reverse("start"), iri_to_uri(target)), (target, location)

    follow()


# Inviting starts on a person's page: tests/members/test_people_fuzz.py fuzzes it.


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
