"""Retention: a closed case's personal data is removed twelve months after
closing, everywhere (the audit trail included), without changing a figure of
the statistics; once per case however many runs; never while a hold applies."""

import io
import re
import threading
from datetime import datetime, timedelta

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from calendars.services import save_appointment
from cases import journal, paper, retention, selectors, services
from cases.models import Assignment, Case, ContactAttempt, JournalEntry, PaperKind, PaperRecord, RetentionHold, Status
from jour.workdays import STOCKHOLM
from partners.models import Partner
from partners.services import record_referral
from tests.members.dbsearch import find_in_database
from tests.personas import client_for

from .factories import SEEKER, full_snapshot, make_case

ATTEMPT_NOTE = "Lovade ringa tillbaka efter tandläkarbesöket på Ekbacken"
HANDOVER_NOTE = "Överlämning: nås bäst efter klockan sexton via dottern Sigrun"
END_NOTE = "Avslutade uppdraget inför flytten till Bräkneholm"
PAPER_DESCRIPTION = "Handskrivna anteckningar från mötet i Vittskövle"
HOLD_REASON = "Rättegången om Kvarnbyvägen hålls i hovrätten i mars"
REFERRAL_NOTE = "Gav numret till kvinnojouren i Hallonbergsdal"
APPOINTMENT_TITLE = "Hembesök hos Ingegerd"
APPOINTMENT_PLACE = "Lingonstigen 14, Ödmårdsby"
FREE_TEXT = [ATTEMPT_NOTE, HANDOVER_NOTE, END_NOTE, PAPER_DESCRIPTION, REFERRAL_NOTE, APPOINTMENT_PLACE]
NEEDLES = [*SEEKER.values(), *FREE_TEXT]

STATISTICS = ["gender", "age_group", "municipality", "crime_type", "reported_to_police", "seeker_role"]


def closed_case(people, *, closed_months_ago: int = 13, attempt_after=timedelta(hours=2), **overrides) -> Case:
    """A case with every kind of free text, closed `closed_months_ago` months ago
    (received a month before that). The closing date is moved back on the row."""
    coordinator = people.coordinator
    now = timezone.now()
    received = now - relativedelta(months=closed_months_ago + 1)
    case = make_case(coordinator, now=received, **overrides)
    assignment = services.assign(case=case, person=people.alex, kind="support", note=HANDOVER_NOTE, by=coordinator)
    if attempt_after is not None:
        services.log_attempt(
            case=case,
            made_at=received + attempt_after,
            method="phone",
            outcome="reached",
            note=ATTEMPT_NOTE,
            by=people.alex,
        )
    paper.file_paper(
        case=case, kind=PaperKind.NOTES, description=PAPER_DESCRIPTION, filed_on=received.date(), by=people.alex
    )
    shelter = Partner.objects.get_or_create(name="Kvinnojouren", kind="shelter")[0]
    record_referral(
        case=case,
        data={
            "direction": "out",
            "partner": shelter,
            "reason": "shelter",
            "consent": True,
            "consent_way": "oral",
            "note": REFERRAL_NOTE,
        },
        by=people.alex,
    )
    save_appointment(
        appointment=None,
        data={
            "kind": "meeting",
            "case": case,
            "starts_at": received + timedelta(days=1),
            "ends_at": received + timedelta(days=1, hours=1),
            "place": APPOINTMENT_PLACE,
            "room": "",
            "title": APPOINTMENT_TITLE,
        },
        participants=[people.alex],
        by=coordinator,
    )
    services.end_assignment(assignment=assignment, note=END_NOTE, by=coordinator)
    services.close_case(case=case, reason="completed", by=coordinator)
    Case.objects.filter(pk=case.pk).update(closed_at=now - relativedelta(months=closed_months_ago))
    case.refresh_from_db()
    return case


def anonymised_entries(case: Case):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=case.pk, additional_data__has_key="anonymised"
    )


def statistics() -> dict:
    wide = {
        "start": datetime(2000, 1, 1, tzinfo=STOCKHOLM),
        "end": timezone.now() + timedelta(days=1),
    }
    return {
        "kpi_year": selectors.kpi(**wide, granularity="year"),
        "kpi_month": selectors.kpi(**wide, granularity="month"),
        "groups": list(Case.objects.values(*STATISTICS).annotate(n=Count("pk")).order_by(*STATISTICS)),
        "facts": list(
            Case.objects.order_by("pk").values(
                "number",
                "received_at",
                "channel",
                "priority",
                "first_contact_at",
                "first_contact_hours",
                "first_contact_due",
                "status",
                "closed_at",
                "closing_reason",
                *STATISTICS,
            )
        ),
    }


def listed_numbers(output: str) -> list[str]:
    return re.findall(r"^\s+(\d{4}-\d{4,})$", output, flags=re.MULTILINE)


# --- The dry run ---------------------------------------------------------------------


def test_the_dry_run_prints_the_due_case_numbers_and_changes_nothing(people):
    old = closed_case(people)
    young = closed_case(people, closed_months_ago=11, first_name="Yngve", phone="070-555 99 88")
    held = closed_case(people, first_name="Hilma", phone="070-555 77 66")
    retention.hold(
        case=held, reason=HOLD_REASON, until=timezone.localdate() + timedelta(days=30), by=people.coordinator
    )
    before = [full_snapshot(case) for case in (old, young, held)]
    entries = LogEntry.objects.count()

    out = io.StringIO()
    call_command("anonymise", "--dry-run", stdout=out)
    output = out.getvalue()

    assert listed_numbers(output) == [old.number]
    assert "Would anonymise 1 cases" in output
    assert f"Held back (1): {held.number}" in output
    assert young.number not in output
    assert [full_snapshot(case) for case in (old, young, held)] == before
    assert LogEntry.objects.count() == entries


# --- What goes, what stays --------------------------------------------------------------


def test_anonymise_due_removes_the_personal_data_and_free_text_from_the_whole_database(people):
    case = closed_case(people)
    # Make the audit trail as rich as it gets: an edit, page views and an export.
    coordinator = client_for(people.coordinator)
    assert coordinator.get(reverse("case_detail", args=[case.pk])).status_code == 200
    assert coordinator.post(reverse("seeker_data_archive", args=[case.pk])).status_code == 200
    services.update_case(
        case=case, data={"phone": "070-555 01 24"}, expected_version=case.version, by=people.coordinator
    )
    services.update_case(
        case=case, data={"phone": SEEKER["phone"]}, expected_version=case.version + 1, by=people.coordinator
    )
    entry = journal.write(case=case, text=SEEKER["notes"] + "!", by=people.alex)
    journal.correct(entry=entry, text=SEEKER["notes"] + " (rättat)", by=people.alex)
    found_before = {hit.needle for hit in find_in_database(NEEDLES)}
    assert found_before == set(NEEDLES)  # the search does see them while they are there

    assert retention.anonymise_due() == [case.number]

    case.refresh_from_db()
    assert (case.first_name, case.last_name, case.phone, case.email) == ("", "", "", "")
    assert not JournalEntry.objects.filter(case=case).exists()  # the journal is gone, not only blanked
    assert case.anonymous is True
    assert case.anonymised_rule == "retention"
    assert case.anonymised_at is not None
    assert list(ContactAttempt.objects.filter(case=case).values_list("note", flat=True)) == [""]
    assert list(Assignment.objects.filter(case=case).values_list("note", "end_note")) == [("", "")]
    assert list(PaperRecord.objects.filter(case=case).values_list("description", flat=True)) == [""]
    # The rows themselves stay: the attempt still counts, the paper must still be shredded.
    assert ContactAttempt.objects.filter(case=case).count() == 1
    assert paper.due_for_shredding().filter(case=case).count() == 1

    assert find_in_database(NEEDLES) == []


def test_the_anonymisation_is_audited_with_its_rule_and_old_entries_keep_no_values(people):
    case = closed_case(people)
    case_type = ContentType.objects.get_for_model(Case)
    older = set(LogEntry.objects.filter(content_type=case_type, object_id=case.pk).values_list("pk", flat=True))
    assert older

    retention.anonymise_due()

    entry = anonymised_entries(case).get()
    assert entry.pk not in older
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor is None  # the nightly run
    assert entry.object_repr == case.number
    assert entry.additional_data == {"anonymised": "retention", "retention_months": settings.JOUR_RETENTION_MONTHS}
    for old in LogEntry.objects.filter(pk__in=older):
        for field in retention.CASE_PERSONAL_FIELDS:
            if field in (old.changes or {}):
                assert old.changes[field] == [retention.REMOVED, retention.REMOVED], (old.pk, field)
        assert old.changes_text == ""


def test_the_statistics_are_the_same_before_and_after(people):
    closed_case(people)
    closed_case(
        people,
        gender="man",
        age_group="18-25",
        municipality="1280",
        crime_type="unlawful_threats",
        first_name="Bo",
        reported_to_police="yes",
        seeker_role="witness",
        attempt_after=timedelta(days=10),
    )
    closed_case(people, gender="other", age_group="65+", seeker_role="relative", attempt_after=None, first_name="Ea")
    closed_case(people, channel="walk_in", anonymous=True, first_name="", last_name="", phone="", email="")
    closed_case(people, closed_months_ago=11, municipality="2182", first_name="Ulla")
    before = statistics()
    kept = sum(row.kept for row in before["kpi_year"])
    decided = sum(row.decided for row in before["kpi_year"])
    at_registration = sum(row.at_registration for row in before["kpi_year"])
    # The late attempt and the case without one are decided, not kept; the anonymous
    # walk-in is a contact at registration, counted apart.
    assert (decided, kept, at_registration) == (4, 2, 1)

    assert len(retention.anonymise_due()) == 4
    assert Case.objects.filter(anonymised_at__isnull=False).count() == 4
    assert statistics() == before


def test_a_case_closed_eleven_months_ago_is_not_touched(people):
    young = closed_case(people, closed_months_ago=11)
    before = full_snapshot(young)
    entries = LogEntry.objects.count()
    assert retention.anonymise_due() == []
    assert full_snapshot(young) == before
    assert LogEntry.objects.count() == entries
    assert list(retention.preview()["due"]) == []


def test_an_open_case_received_long_ago_is_not_touched(people):
    case = make_case(people.coordinator, now=timezone.now() - relativedelta(months=20))
    before = full_snapshot(case)
    assert retention.anonymise_due() == []
    assert full_snapshot(case) == before


def test_a_second_run_does_nothing(people):
    case = closed_case(people)
    out = io.StringIO()
    call_command("anonymise", stdout=out)
    assert "Anonymised 1 cases." in out.getvalue()
    assert listed_numbers(out.getvalue()) == [case.number]
    after_first = full_snapshot(case)
    entries = LogEntry.objects.count()

    assert retention.anonymise_due() == []
    out = io.StringIO()
    call_command("anonymise", stdout=out)
    assert "Anonymised 0 cases." in out.getvalue()
    assert retention.anonymise(case=case, rule=retention.RULE_RETENTION) is False
    assert full_snapshot(case) == after_first
    assert LogEntry.objects.count() == entries
    assert anonymised_entries(case).count() == 1


def test_the_nightly_task_anonymises_too(people):
    from cases.tasks import anonymise_expired_cases

    case = closed_case(people)
    assert anonymise_expired_cases.delay().get() == 1
    case.refresh_from_db()
    assert case.anonymised_rule == "retention"


# --- Two runs at once ---------------------------------------------------------------------


def _in_thread(name: str, work, errors: list, results: dict) -> threading.Thread:
    def run():
        try:
            results[name] = work()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_second_run_skips_the_cases_the_first_is_working_on(people, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED between two connections is tested on PostgreSQL")
    cases = [closed_case(people, first_name=f"Parallell{i}") for i in range(6)]
    monkeypatch.setattr(retention, "BATCH", 2)
    first_is_working, second_finished = threading.Event(), threading.Event()
    waited = {}
    original = retention.anonymise

    def pausing_anonymise(**kwargs):
        done = original(**kwargs)
        if threading.current_thread().name == "first" and not first_is_working.is_set():
            # Holding the locks of its first batch: let the second run go now.
            first_is_working.set()
            waited["second finished meanwhile"] = second_finished.wait(15)
        return done

    monkeypatch.setattr(retention, "anonymise", pausing_anonymise)
    errors, results = [], {}
    first = _in_thread("first", retention.anonymise_due, errors, results)
    assert first_is_working.wait(15)

    def second_run():
        try:
            return retention.anonymise_due()
        finally:
            second_finished.set()

    second = _in_thread("second", second_run, errors, results)
    second.join(30)
    first.join(30)
    assert not first.is_alive() and not second.is_alive()
    assert errors == []
    # The second run neither waited for nor repeated the first run's batch.
    assert waited == {"second finished meanwhile": True}
    assert len(results["first"]) == 2
    assert len(results["second"]) == 4
    assert sorted(results["first"] + results["second"]) == sorted(case.number for case in cases)
    for case in cases:
        assert anonymised_entries(case).count() == 1, case.number
    assert not Case.objects.filter(anonymised_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_started_together_anonymise_each_case_exactly_once(people, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent runs on two connections are tested on PostgreSQL")
    cases = [closed_case(people, first_name=f"Samtidig{i}") for i in range(8)]
    monkeypatch.setattr(retention, "BATCH", 1)
    barrier = threading.Barrier(2)

    def run():
        barrier.wait(10)
        return retention.anonymise_due()

    errors, results = [], {}
    threads = [_in_thread(name, run, errors, results) for name in ("a", "b")]
    for thread in threads:
        thread.join(30)
    assert errors == []
    done = results["a"] + results["b"]
    assert sorted(done) == sorted(case.number for case in cases)  # none twice, none left out
    for case in cases:
        assert anonymised_entries(case).count() == 1, case.number
    assert not find_in_database([SEEKER["last_name"], *FREE_TEXT])


# --- Holds ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ends", ["expires", "is released"])
def test_a_held_case_is_skipped_until_the_hold_expires_or_is_released(people, ends):
    case = closed_case(people)
    coordinator = client_for(people.coordinator)
    until = timezone.localdate() + timedelta(days=60)
    response = coordinator.post(reverse("hold_create", args=[case.pk]), {"reason": HOLD_REASON, "until": until})
    assert response.status_code == 302
    hold = RetentionHold.objects.get(case=case)
    assert (hold.reason, hold.until, hold.created_by) == (HOLD_REASON, until, people.coordinator)
    # The hold is audited, with its reason masked.
    created = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(RetentionHold), object_id=hold.pk, action=LogEntry.Action.CREATE
    )
    assert created.actor == people.coordinator
    assert HOLD_REASON not in str(created.changes)

    assert retention.anonymise_due() == []
    assert list(retention.held_back().values_list("number", flat=True)) == [case.number]
    preview = retention.preview()
    assert list(preview["due"]) == []
    assert [row["number"] for row in preview["held"]] == [case.number]
    case.refresh_from_db()
    assert case.anonymised_at is None and case.first_name == SEEKER["first_name"]

    if ends == "expires":
        RetentionHold.objects.filter(pk=hold.pk).update(until=timezone.localdate() - timedelta(days=1))
    else:
        assert coordinator.post(reverse("hold_release", args=[hold.pk])).status_code == 302
        hold.refresh_from_db()
        assert hold.released_by == people.coordinator and hold.released_at is not None
        released = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(RetentionHold),
            object_id=hold.pk,
            action=LogEntry.Action.UPDATE,
        ).get()
        assert released.actor == people.coordinator
        assert "released_at" in released.changes

    assert retention.held_back().count() == 0
    assert retention.anonymise_due() == [case.number]
    hold.refresh_from_db()
    assert hold.reason == ""
    assert find_in_database([*NEEDLES, HOLD_REASON]) == []


def test_a_hold_that_ends_today_still_holds(people):
    case = closed_case(people)
    hold = retention.hold(
        case=case, reason=HOLD_REASON, until=timezone.localdate() + timedelta(days=1), by=people.coordinator
    )
    RetentionHold.objects.filter(pk=hold.pk).update(until=timezone.localdate())
    assert retention.anonymise_due() == []


# --- Pages ------------------------------------------------------------------------------------


def test_the_retention_page_lists_the_due_cases_for_a_coordinator_only(people):
    old = closed_case(people)
    young = closed_case(people, closed_months_ago=11, first_name="Yngve")
    held = closed_case(people, first_name="Hilma")
    retention.hold(
        case=held, reason=HOLD_REASON, until=timezone.localdate() + timedelta(days=30), by=people.coordinator
    )

    response = client_for(people.coordinator).get(reverse("retention_preview"))
    assert response.status_code == 200
    assert [row["number"] for row in response.context["preview"]["due"]] == [old.number]
    html = response.content.decode()
    due_section = html.split('id="due-title"')[1].split('id="held-title"')[0]
    held_section = html.split('id="held-title"')[1]
    assert old.number in due_section
    assert held.number not in due_section and held.number in held_section
    assert young.number not in html

    for persona in ("alex", "sam", "board", "auditor"):
        assert client_for(getattr(people, persona)).get(reverse("retention_preview")).status_code == 403, persona


def test_an_anonymised_case_has_no_edit_button_and_cannot_be_edited_or_reopened(people):
    case = closed_case(people)
    retention.anonymise_due()
    case.refresh_from_db()
    client = client_for(people.coordinator)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Personal data removed" in html
    assert reverse("case_edit", args=[case.pk]) not in html
    assert reverse("case_reopen", args=[case.pk]) not in html
    assert reverse("seeker_erase", args=[case.pk]) not in html
    assert f'action="{reverse("paper_create", args=[case.pk])}"' not in html
    before = full_snapshot(case)

    with pytest.raises(ValidationError, match="can no longer be edited"):
        services.update_case(case=case, data={"first_name": "Ny"}, expected_version=case.version, by=people.coordinator)
    with pytest.raises(ValidationError, match="register a new case"):
        services.reopen_case(case=case, by=people.coordinator)
    with pytest.raises(ValidationError):
        retention.hold(case=case, reason="Ny", until=timezone.localdate() + timedelta(days=5), by=people.coordinator)
    with pytest.raises(ValidationError):
        paper.file_paper(case=case, kind="notes", description="", filed_on=timezone.localdate(), by=people.coordinator)
    # The edit form refuses it too.
    form = {
        **{key: value for key, value in Case.objects.filter(pk=case.pk).values().get().items() if value is not None},
        "received_at": timezone.localtime(case.received_at).strftime("%Y-%m-%dT%H:%M"),
        "first_name": "Ny",
        "anonymous": "",
        "version": case.version,
    }
    response = client.post(reverse("case_edit", args=[case.pk]), form)
    assert response.status_code == 200
    assert "can no longer be edited" in response.content.decode()
    assert full_snapshot(case) == before
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


def test_reopening_an_anonymised_case_through_the_page_is_refused_with_a_message(people):
    case = closed_case(people)
    retention.anonymise_due()
    client = client_for(people.coordinator)
    client.raise_request_exception = False
    response = client.post(reverse("case_reopen", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    page = client.get(response["Location"]).content.decode()
    assert "register a new case if the seeker returns" in page
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


LATE_NOTE = "Nådde henne till slut via grannen på Stensötevägen"


@pytest.fixture
def erased_while_alex_is_on_it(people):
    """An open case of Alex's, erased on the seeker's request: the case is closed
    and anonymised, and Alex's assignment ends with it."""
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(hours=3))
    assignment = services.assign(case=case, person=people.alex, kind="support", by=people.coordinator)
    case = retention.erase_on_request(case=case, by=people.coordinator)
    assert case.anonymised_at is not None and case.first_contact_at is None
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    return case, assignment


def test_no_contact_attempt_with_a_note_can_be_added_to_an_anonymised_case(people, erased_while_alex_is_on_it):
    case, _assignment = erased_while_alex_is_on_it
    before = statistics()
    data = {
        "made_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "method": "phone",
        "outcome": "reached",
        "note": LATE_NOTE,
    }
    # Alex is off the case now; the coordinator still sees it but may record nothing on it.
    assert client_for(people.alex).post(reverse("attempt_create", args=[case.pk]), data).status_code == 404
    response = client_for(people.coordinator).post(reverse("attempt_create", args=[case.pk]), data)
    assert response.status_code == 400
    assert not ContactAttempt.objects.filter(case=case).exists()
    assert find_in_database([LATE_NOTE]) == []
    assert statistics() == before


def test_no_handover_note_can_be_added_to_an_anonymised_case(people, erased_while_alex_is_on_it):
    case, assignment = erased_while_alex_is_on_it
    client_for(people.coordinator).post(reverse("assignment_end", args=[case.pk, assignment.pk]), {"note": LATE_NOTE})
    assert find_in_database([LATE_NOTE]) == []


def test_the_start_pages_count_of_due_cases_is_the_number_of_due_cases(people, django_assert_num_queries):
    """retention.due_count() counts without a per-case hold check; it must agree with due()."""
    due_cases = [closed_case(people, first_name=f"D{n}") for n in range(3)]
    closed_case(people, closed_months_ago=11, first_name="Young")
    held_twice, held_expired, held_released = (closed_case(people, first_name=f"H{n}") for n in range(3))
    later = timezone.localdate() + timedelta(days=30)
    for case in (held_twice, held_twice, held_expired, held_released):
        retention.hold(case=case, reason=HOLD_REASON, until=later, by=people.coordinator)
    RetentionHold.objects.filter(case=held_expired).update(until=timezone.localdate() - timedelta(days=1))
    RetentionHold.objects.filter(case=held_released).update(released_at=timezone.now())
    expected = {c.pk for c in due_cases} | {held_expired.pk, held_released.pk}
    assert set(retention.due().values_list("pk", flat=True)) == expected
    with django_assert_num_queries(2):
        assert retention.due_count() == len(expected) == 5
