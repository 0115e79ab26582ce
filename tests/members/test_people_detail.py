"""A person's page: contact details (the access is audited), every engagement,
and an end form on each that goes through members.services.end_engagement."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Assignment
from jour import formatting
from members.models import BoardTerm, ConfidentialityPledge, Employment, Membership, Person, VolunteerAssignment
from tests.cases.factories import assign, make_case
from tests.personas import login_verified

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=400)


@pytest.fixture
def alex(people):
    """Alex as a person: a volunteer with a login account, and a member."""
    person = Person.objects.create(
        name="Alex Support", email="alex@jour.test", phone="070-121 21 21", account=people.alex
    )
    VolunteerAssignment.objects.create(person=person, start=LONG_AGO)
    ConfidentialityPledge.objects.create(person=person, signed_on=LONG_AGO)
    Membership.objects.create(person=person, kind="member", start=LONG_AGO, fee_paid_for=TODAY.year)
    Employment.objects.create(person=person, title="Assistant", start=LONG_AGO, end=LONG_AGO + timedelta(days=30))
    BoardTerm.objects.create(person=person, role="deputy", start=TODAY + timedelta(days=10))
    return person


def end_url(person, engagement, kind):
    return reverse("engagement_end", args=[person.pk, kind, engagement.pk])


def test_the_page_shows_contact_details_and_every_engagement_and_is_audited(coordinator, alex, people):
    response = coordinator.get(reverse("person_detail", args=[alex.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "alex@jour.test" in html and "070-121 21 21" in html
    states = {row["key"]: row["state"] for row in response.context["engagements"]}
    assert states == {"volunteer": "active", "membership": "active", "employment": "ended", "board": "upcoming"}
    # An end form for each engagement that has not ended, each with its own field id.
    forms = {row["key"]: row["form"] for row in response.context["engagements"]}
    assert forms["employment"] is None
    assert all(forms[key]["end"].value() == TODAY for key in ("volunteer", "membership", "board"))
    assert len({forms[key]["end"].id_for_label for key in ("volunteer", "membership", "board")}) == 3
    entry = LogEntry.objects.get_for_object(alex).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == people.coordinator


def test_ending_a_membership_keeps_the_account(coordinator, alex, people):
    membership = alex.memberships.get()
    response = coordinator.post(end_url(alex, membership, "membership"), {f"end-membership-{membership.pk}-end": TODAY})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end == TODAY
    people.alex.refresh_from_db()
    assert people.alex.is_active
    shown = [m.message for m in get_messages(response.wsgi_request)]
    with translation.override("en"):
        assert shown == [f"The engagement ends on {formatting.day(TODAY)}."]


def test_ending_the_volunteer_assignment_closes_the_account_and_says_so(coordinator, alex, people):
    case = make_case(people.coordinator)
    assign(case, people.alex, by=people.coordinator)
    alex_browser = Client()
    login_verified(alex_browser, people.alex)
    assert alex_browser.get(reverse("start")).status_code == 200
    volunteering = alex.volunteering.get()

    response = coordinator.post(
        end_url(alex, volunteering, "volunteer"), {f"end-volunteer-{volunteering.pk}-end": TODAY}, follow=True
    )

    people.alex.refresh_from_db()
    assert not people.alex.is_active
    assert not Assignment.objects.filter(person=people.alex, ended_at__isnull=True).exists()
    assert alex_browser.get(reverse("start")).status_code == 302
    # What end_engagement returned is shown, after the confirmation.
    shown = [str(m) for m in response.context["messages"]]
    with translation.override("en"):
        ends = formatting.day(TODAY)
    assert shown == [
        f"The engagement ends on {ends}.",
        "1 case went back to the unassigned list.",
        "The login account is deactivated and its sessions are ended.",
    ]
    html = response.content.decode()
    assert "The login account is deactivated and its sessions are ended." in html


def test_an_end_before_the_start_is_refused_with_what_was_typed(coordinator, alex, people):
    membership = alex.memberships.get()
    too_early = (LONG_AGO - timedelta(days=1)).isoformat()
    response = coordinator.post(
        end_url(alex, membership, "membership"), {f"end-membership-{membership.pk}-end": too_early}
    )
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.end is None
    row = next(row for row in response.context["engagements"] if row["key"] == "membership")
    assert row["form"].errors["end"] == ["The end date cannot be before the start date."]
    html = response.content.decode()
    assert f'value="{too_early}"' in html
    assert f'aria-describedby="id_end-membership-{membership.pk}-end_error"' in html


def test_a_date_that_is_not_one_is_refused(coordinator, alex):
    membership = alex.memberships.get()
    response = coordinator.post(
        end_url(alex, membership, "membership"), {f"end-membership-{membership.pk}-end": "soon"}
    )
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.end is None


def test_a_coordinator_cannot_end_their_own_access_this_way(coordinator, people):
    me = Person.objects.create(name="Kim Coordinator", email="kim@jour.test", account=people.coordinator)
    employment = Employment.objects.create(person=me, title="Coordinator", start=LONG_AGO)
    response = coordinator.post(end_url(me, employment, "employment"), {f"end-employment-{employment.pk}-end": TODAY})
    assert response.status_code == 400
    employment.refresh_from_db()
    assert employment.end is None  # rolled back with the refusal
    row = next(row for row in response.context["engagements"] if row["key"] == "employment")
    assert row["form"].non_field_errors() == ["You cannot deactivate your own account."]


def test_an_engagement_of_someone_else_is_not_found(coordinator, alex):
    other = Person.objects.create(name="Other Person")
    membership = alex.memberships.get()
    response = coordinator.post(
        end_url(other, membership, "membership"), {f"end-membership-{membership.pk}-end": TODAY}
    )
    assert response.status_code == 404
    response = coordinator.post(reverse("engagement_end", args=[alex.pk, "friendship", membership.pk]), {})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.end is None


def test_a_linked_account_without_what_its_role_needs_is_warned_about(coordinator, people):
    person = Person.objects.create(name="Maria Board", account=people.board)
    response = coordinator.get(reverse("person_detail", args=[person.pk]))
    assert "board term" in response.context["warning"]
    BoardTerm.objects.create(person=person, role="chair", start=LONG_AGO)
    response = coordinator.get(reverse("person_detail", args=[person.pk]))
    assert response.context["warning"] == ""
