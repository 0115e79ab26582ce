"""The coordinator's start page flags volunteers lacking follow-up or a pledge, by count."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from members.models import ConfidentialityPledge, Person, SupervisionSession, VolunteerAssignment
from tests.personas import login_verified


def test_flags_count_volunteers_without_follow_up_or_pledge(client, people):
    long_ago = timezone.localdate() - timedelta(days=400)
    lacking = Person.objects.create(name="Vilma Utan")
    VolunteerAssignment.objects.create(person=lacking, start=long_ago)
    followed = Person.objects.create(name="Ville Med")
    VolunteerAssignment.objects.create(person=followed, start=long_ago)
    ConfidentialityPledge.objects.create(person=followed, signed_on=long_ago)
    session = SupervisionSession.objects.create(
        held_on=timezone.localdate() - timedelta(days=10),
        kind="individual",
        supervisor="H",
        recorded_by=people.coordinator,
    )
    session.participants.add(followed)

    login_verified(client, people.coordinator)
    response = client.get(reverse("start"))
    flags = response.context["volunteer_flags"]
    assert (flags.without_followup, flags.without_pledge) == (1, 1)
    html = response.content.decode()
    assert reverse("volunteer_list") in html and "Vilma" not in html

    login_verified(client, people.alex)
    assert "volunteer_flags" not in client.get(reverse("start")).context
