"""An engagement's end date cuts access at the first request after it, not at
night (issue 16, item 6). The attack: an end date reached at midnight left the
account working until the nightly leavers' check ran."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Assignment
from members.middleware import CHECKED_KEY
from members.models import ConfidentialityPledge, Person, VolunteerAssignment
from tests.cases.factories import assign, make_case
from tests.personas import login_verified


@pytest.fixture
def alex_until_today(people):
    person = Person.objects.create(name="Alex Support", email="alex@jour.test", account=people.alex)
    start = timezone.localdate() - timedelta(days=400)
    ConfidentialityPledge.objects.create(person=person, signed_on=start)
    return VolunteerAssignment.objects.create(person=person, start=start)


def _yesterdays_session(client):
    """A session last checked yesterday: its next request is the first of the day."""
    session = client.session
    session[CHECKED_KEY] = (timezone.localdate() - timedelta(days=1)).isoformat()
    session.save()


def test_the_first_request_after_the_end_date_logs_out_and_hands_the_cases_back(client, people, alex_until_today):
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    login_verified(client, people.alex)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200

    # The end date was entered long ago for today; nobody ran anything since.
    VolunteerAssignment.objects.filter(pk=alex_until_today.pk).update(end=timezone.localdate())
    _yesterdays_session(client)

    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    people.alex.refresh_from_db()
    assert not people.alex.is_active
    assert not Assignment.objects.filter(case=case, ended_at__isnull=True).exists()
    login_verified(client, people.alex)
    assert client.get(reverse("start")).status_code == 302  # an inactive account gets nowhere


def test_an_engagement_that_goes_on_changes_nothing_and_is_checked_once_a_day(client, people, alex_until_today):
    login_verified(client, people.alex)
    _yesterdays_session(client)
    assert client.get(reverse("start")).status_code == 200
    assert client.session[CHECKED_KEY] == timezone.localdate().isoformat()
    people.alex.refresh_from_db()
    assert people.alex.is_active


def test_an_account_outside_the_register_is_not_closed_here(client, people):
    """The first coordinator, made with createsuperuser, has no person yet: the
    people register flags the account instead (members: accounts outside the register)."""
    login_verified(client, people.coordinator)
    _yesterdays_session(client)
    assert client.get(reverse("start")).status_code == 200
