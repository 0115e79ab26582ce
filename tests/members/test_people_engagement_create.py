"""Adding a membership or an employment to a person already in the register."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Employment, Membership, Person

TODAY = timezone.localdate()


@pytest.fixture
def olle(db):
    return Person.objects.create(name="Olle Ordinarie", email="olle@example.se")


def post(client, person, **data):
    body = {"what": "member", "start": TODAY.isoformat(), "end": "", "title": "", "fee_paid_for": "", **data}
    return client.post(reverse("engagement_create", args=[person.pk]), body)


def test_the_form_starts_today(coordinator, olle):
    response = coordinator.get(reverse("engagement_create", args=[olle.pk]))
    assert response.status_code == 200
    assert response.context["form"]["start"].value() == TODAY


def test_a_membership_is_added(coordinator, olle):
    response = post(coordinator, olle, what="supporting", fee_paid_for=TODAY.year)
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[olle.pk])
    membership = Membership.objects.get(person=olle)
    assert (membership.kind, membership.start, membership.fee_paid_for) == ("supporting", TODAY, TODAY.year)


def test_an_employment_is_added_with_its_title_and_end(coordinator, olle):
    end = TODAY + timedelta(days=180)
    response = post(coordinator, olle, what="employment", title=" Verksamhetsledare ", end=end.isoformat())
    assert response.status_code == 302
    employment = Employment.objects.get(person=olle)
    assert (employment.title, employment.start, employment.end) == ("Verksamhetsledare", TODAY, end)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"what": "employment"}, "title"),
        ({"what": "employment", "title": "Assistant", "fee_paid_for": "2025"}, "fee_paid_for"),
        ({"what": "member", "title": "Assistant"}, "title"),
        ({"end": (TODAY - timedelta(days=1)).isoformat()}, "end"),
        ({"start": ""}, "start"),
        ({"what": "volunteer"}, "what"),  # added on the volunteers' page
        ({"fee_paid_for": "twenty"}, "fee_paid_for"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_kept(coordinator, olle, data, field):
    response = post(coordinator, olle, **data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    for key, value in data.items():
        assert form[key].value() == value
    assert not Membership.objects.exists() and not Employment.objects.exists()


def test_a_second_membership_at_the_same_time_is_refused(coordinator, olle):
    Membership.objects.create(person=olle, kind="member", start=TODAY - timedelta(days=100))
    response = post(coordinator, olle, what="supporting")
    assert response.status_code == 400
    assert "start" in response.context["form"].errors
    # After the first one ends, a new one may follow.
    olle.memberships.update(end=TODAY - timedelta(days=1))
    assert post(coordinator, olle, what="supporting").status_code == 302


def test_a_supporting_membership_needs_the_persons_email(coordinator, db):
    nameless = Person.objects.create(name="Utan Adress")
    response = post(coordinator, nameless, what="supporting")
    assert response.status_code == 400
    assert response.context["form"].errors["what"] == [
        "A supporting member needs an e-mail address. Add it on the person's edit page first."
    ]
