"""Figure 11 for the people register: random form data never causes a server
error. Data shaped like each form (hypothesis' from_form) and junk."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from jour.models import Invitation, Role
from members.forms.people import EngagementForm, PersonCreateForm, PersonForm
from members.models import ConfidentialityPledge, Membership, Person, SupervisionSession
from tests.jour.test_forms_fuzz import FUZZ, form_data, junk, post
from tests.personas import login_verified

PERSON_FIELDS = ("name", "email", "phone", "address", "postcode", "town", "account")
NO_ACCOUNT = {"account": st.just("")}


@pytest.fixture
def coordinator(client, people):
    login_verified(client, people.coordinator)
    return client


@pytest.fixture
def person(db):
    person = Person.objects.create(name="Fuzz Person", email="fuzz@example.se")
    Membership.objects.create(person=person, kind="supporting", start=timezone.localdate() - timedelta(days=5))
    return person


def test_person_create(coordinator):
    statuses = []

    @FUZZ
    @given(
        data=st.one_of(
            form_data(PersonCreateForm, **NO_ACCOUNT),
            junk(*PERSON_FIELDS, "first_engagement", "start", "fee_paid_for"),
        )
    )
    @example(
        data={"name": "Fia Fuzz", "email": "fia@example.se", "first_engagement": "supporting", "start": "2025-01-01"}
    )
    def create(data):
        statuses.append(post(coordinator, reverse("person_create"), data).status_code)

    create()
    assert 302 in statuses and 400 in statuses


def test_person_edit(coordinator, person):
    @FUZZ
    @given(data=st.one_of(form_data(PersonForm, **NO_ACCOUNT), junk(*PERSON_FIELDS)))
    @example(data={"name": "Fuzz Person", "account": "1" * 30})
    @example(data={"name": "Fuzz Person", "account": str(2**63)})
    def edit(data):
        post(coordinator, reverse("person_edit", args=[person.pk]), data)

    edit()
    person.refresh_from_db()
    assert person.account is None


def test_supervision(coordinator, person):
    """The participants are a choice of several rows: ids beyond a bigint are a form error."""

    @FUZZ
    @given(data=junk("held_on", "kind", "supervisor", "participants", "note"))
    @example(data={"held_on": "2025-01-07", "kind": "group", "supervisor": "Kim", "participants": ["1" * 30]})
    @example(data={"held_on": "2025-01-07", "kind": "group", "supervisor": "Kim", "participants": [str(2**63)]})
    def record(data):
        post(coordinator, reverse("supervision_list"), data)

    record()
    assert not SupervisionSession.objects.exists()


def test_engagement_create(coordinator, person):
    @FUZZ
    @given(
        data=st.one_of(
            form_data(EngagementForm, form_kwargs={"person": person}),
            junk("what", "start", "end", "title", "fee_paid_for"),
        )
    )
    def add(data):
        post(coordinator, reverse("engagement_create", args=[person.pk]), data)

    add()


def test_engagement_end(coordinator, person):
    membership = person.memberships.get()
    field = f"end-membership-{membership.pk}-end"
    url = reverse("engagement_end", args=[person.pk, "membership", membership.pk])

    @FUZZ
    @given(data=st.one_of(st.fixed_dictionaries({field: st.dates().map(str)}), junk(field)))
    def end(data):
        post(coordinator, url, data)

    end()


@pytest.mark.parametrize("name", ["people_list", "people_export"])
def test_search(coordinator, person, name):
    @FUZZ
    @given(data=junk("q", "kind"))
    @example(data={"q": "Fuzz", "kind": "supporting"})
    def search(data):
        post(coordinator, reverse(name), data)

    search()


def test_login_access(coordinator, person):
    """Any role (or junk): never a server error, and the supporting member gets
    no account with a case role or a board role (only an auditor's needs nothing
    more than a place in the register)."""

    @FUZZ
    @given(
        data=st.one_of(
            st.fixed_dictionaries({"access-role": st.sampled_from([*Role.values, "", "root", "1" * 30])}),
            junk("access-role", "role", "email", "name"),
        )
    )
    @example(data={"access-role": Role.SUPPORT_PERSON})
    def give(data):
        post(coordinator, reverse("person_invite", args=[person.pk]), data)

    give()
    assert set(Invitation.objects.values_list("role", flat=True)) <= {Role.AUDITOR}


def test_pledge(coordinator, person):
    @FUZZ
    @given(data=junk("pledge-signed_on", "pledge-template_version", "pledge-scan"))
    @example(data={"pledge-signed_on": "0001-01-01", "pledge-template_version": "x" * 41})
    @example(data={"pledge-signed_on": "9999-12-31"})
    def record(data):
        post(coordinator, reverse("pledge_create", args=[person.pk]), data)

    record()
    assert all(pledge.signed_on <= timezone.localdate() for pledge in ConfidentialityPledge.objects.all())


def test_erase(coordinator, person):
    @FUZZ
    @given(data=junk("confirm"))
    def erase(data):
        post(coordinator, reverse("person_erase", args=[person.pk]), data)

    erase()
    assert Person.objects.filter(pk=person.pk).exists()
