"""The paper register: what lies in the locked cabinet, when it is due for
shredding, who confirms it, who is reminded, and the compliance signal."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases import paper, services
from cases.models import Case, PaperKind, PaperRecord, ShreddingReminder
from compliance import evidence
from jour.models import Role
from jour.workdays import is_working_day
from tests.personas import client_for, make_user

from .factories import SEEKER, assign, attempt, make_case

DESCRIPTION = "Anteckningar från mötet den 3 maj"


def file(case, kind=PaperKind.NOTES, *, by, description="") -> PaperRecord:
    return paper.file_paper(case=case, kind=kind, description=description, filed_on=timezone.localdate(), by=by)


def close(case, *, by, days_ago: float = 0) -> Case:
    """Close the case, then move its closing date back (the row directly)."""
    services.close_case(case=case, reason="completed", by=by)
    if days_ago:
        Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    case.refresh_from_db()
    return case


def due_ids() -> list[int]:
    return list(paper.due_for_shredding().values_list("pk", flat=True))


@pytest.fixture
def alex_case(people):
    """An open case of Alex's, no attempt yet. The tests file its referral form
    themselves (filing it is what marks the case's form as on paper)."""
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(hours=3))
    assign(case, people.alex, by=people.coordinator)
    return case


# --- Filing ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "alex"])
def test_paper_is_filed_from_the_case_page_by_the_coordinator_or_the_assigned_support_person(people, alex_case, who):
    user = getattr(people, who)
    client = client_for(user)
    today = timezone.localdate()
    response = client.post(
        reverse("paper_create", args=[alex_case.pk]),
        {"kind": "notes", "description": DESCRIPTION, "filed_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[alex_case.pk])
    record = PaperRecord.objects.get()
    assert (record.case, record.kind, record.description, record.filed_on) == (alex_case, "notes", DESCRIPTION, today)
    assert record.filed_by == user
    assert record.shredded_at is None and record.shredded_by is None

    page = client.get(reverse("case_detail", args=[alex_case.pk])).content.decode()
    assert DESCRIPTION in page
    assert reverse("paper_shredded", args=[alex_case.pk, record.pk]) in page


def test_paper_filed_in_the_future_is_refused(people, alex_case):
    client = client_for(people.coordinator)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("paper_create", args=[alex_case.pk]), {"kind": "notes", "filed_on": tomorrow.isoformat()}, follow=True
    )
    assert "A paper cannot be filed in the future." in response.content.decode()
    assert not PaperRecord.objects.exists()


def test_another_support_person_gets_404_and_changes_nothing(people, alex_case):
    record = file(alex_case, PaperKind.POLICE_REFERRAL, by=people.coordinator, description=DESCRIPTION)
    before = list(PaperRecord.objects.values())
    sam = client_for(people.sam)
    response = sam.post(
        reverse("paper_create", args=[alex_case.pk]),
        {"kind": "notes", "description": "Sams papper", "filed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    response = sam.post(reverse("paper_shredded", args=[alex_case.pk, record.pk]))
    assert response.status_code == 404
    assert list(PaperRecord.objects.values()) == before
    # Nor does Sam's shredding list show it once it is due.
    attempt(alex_case, timezone.now() - timedelta(hours=1), by=people.alex)
    assert due_ids() == [record.pk]
    assert sam.get(reverse("shredding_list")).context["rows"] == []


def test_a_record_of_another_case_cannot_be_confirmed_through_ones_own_case(people, alex_case):
    other = make_case(people.coordinator, received_at=timezone.now() - timedelta(hours=1))
    foreign = file(other, by=people.coordinator)
    response = client_for(people.alex).post(reverse("paper_shredded", args=[alex_case.pk, foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.shredded_at is None


# --- When paper is due ---------------------------------------------------------


def test_a_referral_form_is_due_at_the_first_attempt_and_other_paper_at_closing(people, alex_case):
    referral = file(alex_case, PaperKind.POLICE_REFERRAL, by=people.coordinator)
    notes = file(alex_case, PaperKind.NOTES, by=people.alex)
    letter = file(alex_case, PaperKind.LETTER, by=people.alex)
    assert due_ids() == []

    made_at = timezone.now() - timedelta(hours=2)
    attempt(alex_case, made_at, by=people.alex)
    due = list(paper.due_for_shredding())
    assert [r.pk for r in due] == [referral.pk]
    assert due[0].due_at == made_at

    alex_case = close(alex_case, by=people.coordinator)
    due = {r.pk: r.due_at for r in paper.due_for_shredding()}
    assert due == {referral.pk: made_at, notes.pk: alex_case.closed_at, letter.pk: alex_case.closed_at}
    # Oldest first.
    assert due_ids()[0] == referral.pk


def test_a_referral_form_of_a_case_closed_without_any_attempt_is_due_at_closing(people, alex_case):
    referral = file(alex_case, PaperKind.POLICE_REFERRAL, by=people.coordinator)
    alex_case = close(alex_case, by=people.coordinator)
    assert {r.pk: r.due_at for r in paper.due_for_shredding()} == {referral.pk: alex_case.closed_at}


@pytest.mark.parametrize(("who", "next_page"), [("coordinator", ""), ("alex", "shredding_list")])
def test_confirming_shredded_records_who_and_when(people, alex_case, who, next_page):
    user = getattr(people, who)
    record = file(alex_case, PaperKind.POLICE_REFERRAL, by=people.coordinator)
    attempt(alex_case, timezone.now() - timedelta(hours=1), by=people.alex)
    assert due_ids() == [record.pk]

    before = timezone.now()
    response = client_for(user).post(
        reverse("paper_shredded", args=[alex_case.pk, record.pk]), {"next": next_page} if next_page else {}
    )
    assert response.status_code == 302
    expected = reverse("shredding_list") if next_page else reverse("case_detail", args=[alex_case.pk])
    assert response["Location"] == expected
    record.refresh_from_db()
    assert record.shredded_by == user
    assert before <= record.shredded_at <= timezone.now()
    assert due_ids() == []

    # Confirming again keeps the first confirmation.
    first = record.shredded_at
    client_for(people.coordinator).post(reverse("paper_shredded", args=[alex_case.pk, record.pk]))
    record.refresh_from_db()
    assert (record.shredded_at, record.shredded_by) == (first, user)


# --- The shredding list ----------------------------------------------------------


@pytest.fixture
def due_paper(people, alex_case):
    """Due paper on Alex's case (2) and on an unassigned closed case (1), plus paper not yet due."""
    c = people.coordinator
    alex_referral = file(alex_case, PaperKind.POLICE_REFERRAL, by=c)
    alex_notes = file(alex_case, PaperKind.NOTES, by=people.alex)
    attempt(alex_case, timezone.now() - timedelta(hours=1), by=people.alex)
    alex_closed = make_case(c, received_at=timezone.now() - timedelta(days=3))
    assign(alex_closed, people.alex, by=c)
    alex_letter = file(alex_closed, PaperKind.LETTER, by=people.alex)
    close(alex_closed, by=c, days_ago=1)
    unassigned = make_case(c, received_at=timezone.now() - timedelta(days=2))
    other_notes = file(unassigned, PaperKind.OTHER, by=c)
    close(unassigned, by=c, days_ago=1)
    not_due = make_case(c, received_at=timezone.now() - timedelta(hours=1))
    file(not_due, PaperKind.NOTES, by=c)
    shredded = file(unassigned, PaperKind.NOTES, by=c)
    paper.confirm_shredded(record=shredded, by=c)
    return {
        "alex": {alex_referral.pk, alex_letter.pk},
        "all": {alex_referral.pk, alex_letter.pk, other_notes.pk},
        "alex_notes_not_due": alex_notes.pk,
    }


def _listed(client) -> set[int]:
    response = client.get(reverse("shredding_list"))
    assert response.status_code == 200
    return {record.pk for record, _days in response.context["rows"]}


def test_the_shredding_list_shows_a_coordinator_all_due_paper_and_a_support_person_their_cases(people, due_paper):
    assert set(due_ids()) == due_paper["all"]
    assert _listed(client_for(people.coordinator)) == due_paper["all"]
    assert _listed(client_for(people.alex)) == due_paper["alex"]
    assert _listed(client_for(people.sam)) == set()


@pytest.mark.parametrize("persona", ["board", "auditor"])
def test_the_shredding_list_is_not_for_board_or_auditor(people, due_paper, persona):
    assert client_for(getattr(people, persona)).get(reverse("shredding_list")).status_code == 403


# --- Reminders -------------------------------------------------------------------

THURSDAY = date(2026, 4, 30)  # valborgsmässoafton: an ordinary working day
FIRST_OF_MAY = date(2026, 5, 1)  # Friday, a public holiday
SATURDAY = date(2026, 5, 2)
MONDAY = date(2026, 5, 4)


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_reminders_go_once_per_person_per_working_day(people, due_paper):
    assert [is_working_day(d) for d in (THURSDAY, FIRST_OF_MAY, SATURDAY, MONDAY)] == [True, False, False, True]
    second = make_user("robin@jour.test", "Robin Coordinator", Role.COORDINATOR)
    make_user("gone@jour.test", "Gone Coordinator", Role.COORDINATOR, is_active=False)
    expected = sorted([people.coordinator.email, second.email, people.alex.email])

    assert paper.send_reminders(THURSDAY) == 3
    assert _recipients() == expected
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert paper.send_reminders(THURSDAY) == 0
    assert len(mail.outbox) == 3

    assert paper.send_reminders(FIRST_OF_MAY) == 0
    assert paper.send_reminders(SATURDAY) == 0
    assert len(mail.outbox) == 3
    assert not ShreddingReminder.objects.filter(day__in=[FIRST_OF_MAY, SATURDAY]).exists()

    mail.outbox.clear()
    assert paper.send_reminders(MONDAY) == 3
    assert _recipients() == expected
    assert ShreddingReminder.objects.filter(day=MONDAY).count() == 3


def test_no_reminder_when_nothing_is_due(people, alex_case):
    file(alex_case, PaperKind.NOTES, by=people.alex)  # the case is open: not due
    assert paper.send_reminders(THURSDAY) == 0
    assert mail.outbox == []


def test_a_support_person_whose_paper_is_shredded_gets_no_reminder(people, due_paper):
    for record in PaperRecord.objects.filter(pk__in=due_paper["alex"]):
        paper.confirm_shredded(record=record, by=people.alex)
    assert paper.send_reminders(THURSDAY) == 1
    assert _recipients() == [people.coordinator.email]


def test_the_reminder_has_a_count_and_a_link_and_no_seeker_data(people, due_paper):
    PaperRecord.objects.update(description=DESCRIPTION)
    paper.send_reminders(THURSDAY)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    link = settings.JOUR_BASE_URL + reverse("shredding_list")
    counts = {people.coordinator.email: len(due_paper["all"]), people.alex.email: len(due_paper["alex"])}
    assert set(by_recipient) == set(counts)
    for address, count in counts.items():
        message = by_recipient[address]
        text = message.subject + "\n" + message.body
        assert re.match(rf"{count}\b", message.subject), message.subject
        assert re.match(rf"{count}\b", message.body), message.body
        assert link in message.body
        for value in [*SEEKER.values(), DESCRIPTION]:
            assert value not in text, value


# --- The compliance signal -------------------------------------------------------


def test_the_paper_shredded_signal_is_not_ok_until_old_closed_cases_paper_is_shredded(people):
    c = people.coordinator
    today = timezone.localdate()
    assert evidence.paper_shredded(today).state == evidence.OK

    recent = make_case(c, received_at=timezone.now() - timedelta(days=5))
    recent_paper = file(recent, PaperKind.NOTES, by=c)
    close(recent, by=c, days_ago=3)
    # Closed three days ago: still within the seven days.
    assert evidence.paper_shredded(today).state == evidence.OK

    old = make_case(c, received_at=timezone.now() - timedelta(days=20))
    old_paper = file(old, PaperKind.NOTES, by=c)
    close(old, by=c, days_ago=settings.JOUR_SHRED_WITHIN_DAYS + 1)
    assert settings.JOUR_SHRED_WITHIN_DAYS == 7
    result = evidence.paper_shredded(today)
    assert result.state == evidence.NOT_OK
    assert result.summary.startswith("1 ")
    assert list(paper.overdue_on(today)) == [old_paper]

    client_for(c).post(reverse("paper_shredded", args=[old.pk, old_paper.pk]))
    result = evidence.paper_shredded(today)
    assert result.state == evidence.OK
    assert "1 document shredded this year" in result.summary
    recent_paper.refresh_from_db()
    assert recent_paper.shredded_at is None
