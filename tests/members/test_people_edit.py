"""Editing a person's contact details: saved tidied up, refused with what was
typed, and never leaving a membership without the details it needs."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, Person

TODAY = timezone.localdate()


@pytest.fixture
def stina(db):
    person = Person.objects.create(name="Stina Stöd", email="stina@example.se", phone="070-555 66 77")
    Membership.objects.create(person=person, kind="supporting", start=TODAY - timedelta(days=10))
    return person


def form_of(person, **changes):
    data = {field: getattr(person, field) for field in ("name", "email", "phone", "address", "postcode", "town")}
    return {**data, "account": person.account_id or "", **changes}


def test_the_form_shows_what_is_saved_and_the_access_is_audited(coordinator, stina):
    response = coordinator.get(reverse("person_edit", args=[stina.pk]))
    assert response.status_code == 200
    assert 'value="stina@example.se"' in response.content.decode()
    assert LogEntry.objects.get_for_object(stina).filter(action=LogEntry.Action.ACCESS).count() == 1


def test_the_details_are_saved(coordinator, stina):
    data = form_of(stina, phone="+46 70 111 22 33", address="Ågatan 2", postcode="11122", town="Åre")
    response = coordinator.post(reverse("person_edit", args=[stina.pk]), data)
    assert response.status_code == 302
    stina.refresh_from_db()
    assert (stina.phone, stina.address, stina.postcode, stina.town) == ("+46 70 111 22 33", "Ågatan 2", "111 22", "Åre")
    entry = LogEntry.objects.get_for_object(stina).get(action=LogEntry.Action.UPDATE)
    assert "Ågatan" not in str(entry.changes) and "111 22" not in str(entry.changes)


def test_a_supporting_member_keeps_their_email(coordinator, stina):
    data = form_of(stina, email="", phone="070-000 00 01")
    response = coordinator.post(reverse("person_edit", args=[stina.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["A supporting member needs an e-mail address."]
    assert response.context["form"]["phone"].value() == "070-000 00 01"
    stina.refresh_from_db()
    assert stina.email == "stina@example.se" and stina.phone == "070-555 66 77"


def test_after_the_membership_ended_the_email_may_go(coordinator, stina):
    stina.memberships.update(end=TODAY - timedelta(days=1))
    response = coordinator.post(reverse("person_edit", args=[stina.pk]), form_of(stina, email=""))
    assert response.status_code == 302


def test_the_linked_account_stays_offered_and_can_be_changed(coordinator, stina, people):
    stina.account = people.sam
    stina.save()
    offered = coordinator.get(reverse("person_edit", args=[stina.pk])).context["form"].fields["account"].queryset
    assert people.sam in offered
    response = coordinator.post(reverse("person_edit", args=[stina.pk]), form_of(stina, account=""))
    assert response.status_code == 302
    stina.refresh_from_db()
    assert stina.account is None


def test_an_unknown_person_is_not_found(coordinator):
    assert coordinator.get(reverse("person_edit", args=[999999])).status_code == 404
