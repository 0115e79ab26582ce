"""Erasure and anonymisation find the seeker's values in every free-text column
(issue 16, item 1): not only in the rows of the case, but wherever someone
typed them, in a board meeting's title, another case's notes, a supervision
note. After erasure the victim's name must be nowhere in the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from calendars.models import Appointment, PhoneClosure
from cases import mentions, retention, services
from cases.models import Case, JournalEntry, PaperRecord, RetentionHold, SeekerIdentifier
from members.models import SupervisionSession
from partners.models import Partner, Referral
from tests.members.dbsearch import find_in_database

from .factories import make_case

VICTIM = {
    "first_name": "Aurorella",
    "last_name": "Vindskarmsson",
    "phone": "070-111 22 33",
    "email": "a.v@seeker.example",
}
NEEDLES = ["Vindskarmsson", "a.v@seeker.example", "111 22 33", "1112233"]


@pytest.fixture
def seeded(people):
    """The victim's values typed all over the database, as an old version of the
    site (or a careless hand) could have left them. Written to the rows directly:
    today's forms refuse most of it."""
    coordinator = people.coordinator
    victim = make_case(coordinator, **VICTIM)
    other = make_case(coordinator, first_name="Bodil", last_name="Annanström", phone="", email="")
    now = timezone.now()
    Appointment.objects.create(
        kind="board",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=1),
        title="Ärende Aurorella Vindskarmsson 070-111 22 33",
        place="Hos Vindskarmssons granne",
        created_by=coordinator,
    )
    Appointment.objects.create(
        kind="court",
        starts_at=now + timedelta(days=4),
        ends_at=now + timedelta(days=4, hours=1),
        title="Målet mot förövaren, vittne Aurorella Vindskarmsson, 0701112233",
        created_by=coordinator,
    )
    JournalEntry.objects.create(
        case=other, text="Systern Aurorella Vindskarmsson ringde från 070-1112233.", author=coordinator
    )
    PhoneClosure.objects.create(
        day=now.date() + timedelta(days=30), reason="Möte om a.v@seeker.example", created_by=coordinator
    )
    SupervisionSession.objects.create(
        held_on=now.date(),
        kind="group",
        supervisor="Handledare",
        note="Vi talade om Vindskarmsson",
        recorded_by=coordinator,
    )
    partner = Partner.objects.create(name="Socialtjänsten", kind="social")
    Referral.objects.create(
        case=other,
        direction="out",
        partner=partner,
        reason="other",
        consent=True,
        consent_way="oral",
        note="Samma familj som Vindskarmsson",
        recorded_by=coordinator,
    )
    PaperRecord.objects.create(case=other, kind="notes", description="Brev från Vindskarmsson", filed_by=coordinator)
    RetentionHold.objects.create(
        case=other, reason="Vindskarmssons rättegång", until=now.date() + timedelta(days=40), created_by=coordinator
    )
    return victim, other


def test_every_registered_column_is_searched(seeded):
    registered = {(column.model.__name__, field) for column in mentions.COLUMNS for field in column.fields}
    assert {
        ("JournalEntry", "text"),
        ("ContactAttempt", "note"),
        ("Assignment", "note"),
        ("Assignment", "end_note"),
        ("PaperRecord", "description"),
        ("RetentionHold", "reason"),
        ("Appointment", "title"),
        ("Appointment", "place"),
        ("Appointment", "room"),
        ("PhoneClosure", "reason"),
        ("Referral", "note"),
        ("SupervisionSession", "note"),
    } <= registered


def test_erasure_leaves_the_victim_nowhere_and_other_text_in_place(people, seeded):
    victim, other = seeded
    assert {hit.needle for hit in find_in_database(NEEDLES)} == set(NEEDLES)

    retention.erase_on_request(case=victim, by=people.coordinator)

    assert find_in_database(NEEDLES) == []
    assert not SeekerIdentifier.objects.filter(case=victim).exists()
    # What was around the values stays, with a mark where they were.
    other.refresh_from_db()
    sister = JournalEntry.objects.get(case=other, text__startswith="Systern")
    assert sister.text.startswith("Systern Aurorella [removed]") or "[removed]" in sister.text
    assert "ringde" in sister.text
    assert Appointment.objects.filter(title__contains="Målet mot förövaren").exists()
    assert other.first_name == "Bodil" and other.last_name == "Annanström"


def test_the_nightly_anonymisation_does_the_same(people, seeded):
    victim, _other = seeded
    services.close_case(case=victim, reason="completed", by=people.coordinator)
    Case.objects.filter(pk=victim.pk).update(closed_at=timezone.now() - timedelta(days=800))
    assert retention.anonymise_due() == [victim.number]
    assert find_in_database(NEEDLES) == []
