"""Leaving cuts access the same minute: login refused, sessions gone, cases handed back."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Assignment, Status
from cases.selectors import case_list
from members import services
from members.models import ConfidentialityPledge, Employment, Person, VolunteerAssignment
from tests.cases.factories import assign, make_case
from tests.personas import PASSWORD, login_verified


@pytest.fixture
def alex_volunteers(people):
    person = Person.objects.create(name="Alex Support", email="alex@jour.test", account=people.alex)
    start = timezone.localdate() - timedelta(days=400)
    ConfidentialityPledge.objects.create(person=person, signed_on=start)
    volunteering = VolunteerAssignment.objects.create(person=person, start=start, basic_training_on=start)
    return volunteering


def test_ending_the_assignment_cuts_access_and_hands_cases_back(client, people, alex_volunteers):
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    login_verified(client, people.alex)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200

    messages = services.end_engagement(engagement=alex_volunteers, end=timezone.localdate(), by=people.coordinator)

    assert len(messages) == 2
    people.alex.refresh_from_db()
    assert not people.alex.is_active
    # The open session is dead at once, and the password no longer works.
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 302
    response = Client().post(reverse("login"), {"username": "alex@jour.test", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in Client().session
    # The case is back with the coordinators, still tracked by its deadline.
    open_assignment = Assignment.objects.filter(case=case, ended_at__isnull=True)
    assert not open_assignment.exists()
    ended = Assignment.objects.get(case=case)
    assert ended.end_note and ended.ended_by == people.coordinator
    case.refresh_from_db()
    assert case.status == Status.NEW and case.first_contact_due
    assert case in case_list(user=people.coordinator, view="unassigned")


def test_a_coordinator_who_stays_a_volunteer_keeps_access(people):
    person = Person.objects.create(name="Kim", account=people.coordinator)
    start = timezone.localdate() - timedelta(days=100)
    job = Employment.objects.create(person=person, title="Samordnare", start=start)
    VolunteerAssignment.objects.create(person=person, start=start)
    services.end_engagement(engagement=job, end=timezone.localdate(), by=people.coordinator)
    people.coordinator.refresh_from_db()
    assert people.coordinator.is_active


def test_the_nightly_sweep_catches_an_end_date_reached_overnight(client, people, alex_volunteers):
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    login_verified(client, people.alex)
    # Entered earlier with today as the end date: no request ran the leaving rules today.
    VolunteerAssignment.objects.filter(pk=alex_volunteers.pk).update(end=timezone.localdate())

    closed = services.close_leavers_accounts()

    assert closed == [people.alex.pk]
    people.alex.refresh_from_db()
    assert not people.alex.is_active
    assert client.get(reverse("start")).status_code == 302
    assert not Assignment.objects.filter(case=case, ended_at__isnull=True).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.coordinator.email]
    assert "Alex" not in message.subject + message.body and "alex@" not in message.body
    # A second run finds nothing and tells nobody again.
    assert services.close_leavers_accounts() == []
    assert len(mail.outbox) == 1


def test_an_end_date_in_the_future_changes_nothing_yet(people, alex_volunteers):
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.end_engagement(engagement=alex_volunteers, end=tomorrow, by=people.coordinator)
    people.alex.refresh_from_db()
    assert people.alex.is_active
    assert services.close_leavers_accounts(day=timezone.localdate()) == []
    assert services.close_leavers_accounts(day=tomorrow) == [people.alex.pk]


def test_accounts_without_a_person_are_left_alone(people):
    assert services.close_leavers_accounts() == []
    people.alex.refresh_from_db()
    assert people.alex.is_active


def test_a_leaver_cannot_be_reactivated_until_they_hold_what_the_role_needs(client, people, alex_volunteers):
    services.end_engagement(engagement=alex_volunteers, end=timezone.localdate(), by=people.coordinator)
    people.alex.refresh_from_db()
    assert not people.alex.is_active
    login_verified(client, people.coordinator)
    url = reverse("account_action", args=[people.alex.pk, "reactivate"])

    response = client.post(url, follow=True)

    people.alex.refresh_from_db()
    assert not people.alex.is_active
    assert "En stödperson behöver ett pågående ideellt uppdrag." in response.content.decode()

    # A new assignment (training and pledge are on record): the account may come back.
    VolunteerAssignment.objects.create(
        person=alex_volunteers.person, start=timezone.localdate(), basic_training_on=alex_volunteers.start
    )
    client.post(url)
    people.alex.refresh_from_db()
    assert people.alex.is_active
