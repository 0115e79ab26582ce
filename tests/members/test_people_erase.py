"""Erasure on request: a confirmation page, a typed word, members.services.erase_person,
and afterwards nothing of the person's name, e-mail address or phone number in any
text column of any table, audit and lockout tables included. An erasure record remains."""

from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jour.models import Invitation, Role
from members.models import (
    ConfidentialityPledge,
    Employment,
    ErasureRecord,
    Membership,
    Person,
    VolunteerAssignment,
)
from tests.cases.factories import assign, make_case
from tests.personas import PASSWORD, login_verified, make_user

from .dbsearch import find_in_database, tables_holding

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=400)

NAME = "Zlatana Örnqvist-Bergsjö"
EMAIL = "zlatana.ornqvist@bergsjo.example"
PHONE = "070-919 29 39"
# Each part on its own too: an erasure that left the surname behind would not do.
SECRETS = [NAME, "Zlatana", "Örnqvist", "Bergsjö", EMAIL, PHONE, "0709192939"]


@pytest.fixture
def zlatana(people):
    """A volunteer with a login account and a case, whose traces are everywhere:
    the register, the account, the audit log (as actor), a failed login, an invitation."""
    account = make_user(EMAIL, NAME, Role.SUPPORT_PERSON)
    person = Person.objects.create(
        name=NAME,
        email=EMAIL,
        phone=PHONE,
        address="Bergsjövägen 9",
        postcode="415 05",
        town="Göteborg",
        account=account,
    )
    Membership.objects.create(person=person, kind="member", start=LONG_AGO)
    VolunteerAssignment.objects.create(person=person, start=LONG_AGO)
    ConfidentialityPledge.objects.create(person=person, signed_on=LONG_AGO, template_version="2021")
    case = make_case(people.coordinator)
    assign(case, account, by=people.coordinator)
    with set_actor(account):  # an audit entry with the person as actor (actor_email)
        person.town = "Angered"
        person.save()
    Client().post(reverse("login"), {"username": EMAIL, "password": "wrong"})  # a lockout record
    Invitation.objects.create(email=EMAIL, name=NAME, role=Role.SUPPORT_PERSON, invited_by=people.coordinator)
    return person


def test_the_confirmation_page_explains_and_asks_for_the_word(coordinator, zlatana):
    response = coordinator.get(reverse("person_erase", args=[zlatana.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["word"] == "ERASE"
    assert "<strong>ERASE</strong>" in html
    assert response.context["counts"] == {"membership": 1, "employment": 0, "volunteer": 1, "board": 0}
    assert "The login account is closed at once" in html
    assert "This cannot be undone." in html
    assert LogEntry.objects.get_for_object(zlatana).filter(action=LogEntry.Action.ACCESS).exists()
    assert Person.objects.filter(pk=zlatana.pk).exists()


@pytest.mark.parametrize("typed", ["", "erase it", "RADERA!", "yes"])
def test_without_the_word_nothing_is_erased(coordinator, zlatana, typed):
    response = coordinator.post(reverse("person_erase", args=[zlatana.pk]), {"confirm": typed})
    assert response.status_code == 400
    assert "confirm" in response.context["form"].errors
    assert Person.objects.filter(pk=zlatana.pk).exists()
    assert not ErasureRecord.objects.exists()
    zlatana.account.refresh_from_db()
    assert zlatana.account.is_active


def test_the_helper_finds_the_traces_before_the_erasure(zlatana):
    """Without this, an empty result afterwards could mean a blind search."""
    found = tables_holding(SECRETS)
    assert {"members_person", "jour_user", "jour_invitation", "auditlog_logentry"} <= found
    assert any(table.startswith("axes_") for table in found)


def erase(client, person):
    return client.post(reverse("person_erase", args=[person.pk]), {"confirm": "erase"}, follow=True)


def test_after_the_erasure_nothing_of_the_person_is_left_anywhere(coordinator, zlatana, people):
    pk = zlatana.pk
    response = erase(coordinator, zlatana)

    assert response.redirect_chain == [(reverse("people_list"), 302)]
    record = ErasureRecord.objects.get(former_person_id=pk)
    assert record.erased_by == people.coordinator
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [f"The person's data is erased. Erasure record {record.pk} remains."]
    assert not Person.objects.filter(pk=pk).exists()
    assert find_in_database(SECRETS) == []


def test_after_the_erasure_the_old_session_is_dead_and_the_password_too(coordinator, zlatana):
    volunteer = Client()
    login_verified(volunteer, zlatana.account)
    assert volunteer.get(reverse("start")).status_code == 200

    erase(coordinator, zlatana)

    assert volunteer.get(reverse("start")).status_code == 302
    login = Client().post(reverse("login"), {"username": EMAIL, "password": PASSWORD})
    assert "_auth_user_id" not in login.wsgi_request.session


def test_after_the_erasure_the_account_is_deactivated(coordinator, zlatana):
    account = zlatana.account
    erase(coordinator, zlatana)
    account.refresh_from_db()
    assert account.name != NAME and EMAIL not in account.email
    assert not account.has_usable_password()
    assert not account.is_active
    assert account.deactivated_at is not None


def test_a_person_without_an_account_is_erased_too(coordinator, people):
    person = Person.objects.create(name="Gunnel Gästrikesson", email="gunnel@gastrike.example", phone="070-313 13 13")
    Membership.objects.create(person=person, kind="supporting", start=LONG_AGO)
    coordinator.get(reverse("person_detail", args=[person.pk]))
    response = coordinator.post(reverse("person_erase", args=[person.pk]), {"confirm": "ERASE"})
    assert response.status_code == 302
    assert find_in_database(["Gunnel", "Gästrikesson", "gunnel@gastrike.example", "070-313 13 13"]) == []
    assert ErasureRecord.objects.filter(former_person_id=person.pk).exists()


def test_a_coordinator_cannot_erase_themselves(coordinator, people):
    me = Person.objects.create(name="Kim Coordinator", email="kim@jour.test", account=people.coordinator)
    Employment.objects.create(person=me, title="Samordnare", start=LONG_AGO)  # what keeps the account open
    page = coordinator.get(reverse("person_erase", args=[me.pk]))
    assert page.context["erasing_yourself"]
    response = coordinator.post(reverse("person_erase", args=[me.pk]), {"confirm": "ERASE"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["You cannot deactivate your own account."]
    assert Person.objects.filter(pk=me.pk).exists()
    assert not ErasureRecord.objects.exists()
    people.coordinator.refresh_from_db()
    assert people.coordinator.is_active and people.coordinator.name == "Kim Coordinator"
