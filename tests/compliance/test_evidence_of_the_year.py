"""Evidence as of the assessed year for G2, G8, G9 and G10 (#17 item 2): each
signal reads the registers up to the year's evidence day, so what is recorded
the next January leaves a year's evidence as it was."""

import hashlib
import json
from datetime import date, datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import override

from compliance import catalogue, content, evidence, reminders, services
from compliance.models import (
    AnnualMeeting,
    Answer,
    Assessment,
    AssessmentState,
    Assurance,
    AssuranceSending,
    CatalogueRevision,
    FederationSending,
    ReminderSent,
    ReportKind,
    ReportSubmission,
    Requirement,
    Signature,
)
from jour.workdays import STOCKHOLM
from members import federation
from tests.personas import client_for

YEAR = 2024
DAY = content.evidence_day(YEAR)  # 31 December 2024: the year is over
NEW_SIGNALS = {
    "G2": "assurance_sent",
    "G8": "federation_sending",
    "G9": "annual_meeting_report",
    "G10": "grants_report",
}


@pytest.fixture(autouse=True)
def _site_language_after(settings):
    """The pages here are read in English; the next test module expects the site's language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _signed(year: int, by, *, signed_on: date | None = None) -> Assessment:
    """A year signed and sealed, without the ceremony (tests/compliance/test_signing.py has it)."""
    assessment = services.start_year(year=year, by=by, from_previous=False)
    frozen = content.canonical(content.build(assessment))
    at = datetime.combine(signed_on or date(year + 1, 3, 1), datetime.min.time(), tzinfo=STOCKHOLM)
    digest = hashlib.sha256(frozen.encode()).hexdigest()
    Assessment.objects.filter(pk=assessment.pk).update(
        state=AssessmentState.SIGNED, frozen_json=frozen, content_sha256=digest, frozen_at=at
    )
    Signature.objects.create(assessment=assessment, auditor=by, name="Revisor", signed_at=at, content_sha256=digest)
    Assurance.objects.create(
        assessment=assessment, document_json="{}", document_sha256="0" * 64, pdf="x.pdf", pdf_sha256="0" * 64
    )
    assessment.refresh_from_db()
    return assessment


def _all(day: date) -> dict:
    with override("en"):
        return {code: evidence.evidence(signal, day) for code, signal in NEW_SIGNALS.items()}


def _states(day: date) -> dict:
    return {code: found.state for code, found in _all(day).items()}


def _send_details(on: date, changes="Ny ordförande"):
    return FederationSending.objects.create(sent_on=on, method="email", changes=changes)


def _report(kind, year, on):
    return ReportSubmission.objects.create(kind=kind, year=year, sent_on=on, recipient="Förbundet")


# -- each signal ---------------------------------------------------------------


def test_the_contact_details_count_when_sent_in_the_year_not_when_downloaded(people):
    federation.record_export(by=people.coordinator, fmt="csv", rows=3, via="web")
    assert evidence.federation_sending(timezone.localdate()).state == evidence.NOT_OK  # a download is no sending
    _send_details(date(YEAR - 1, 11, 2))
    assert evidence.federation_sending(DAY).state == evidence.NOT_OK  # last year's sending
    _send_details(date(YEAR, 3, 4))
    found = evidence.federation_sending(DAY)
    assert found.state == evidence.OK and "2024-03-04" in found.summary
    assert evidence.federation_sending(date(YEAR, 3, 3)).state == evidence.NOT_OK  # not yet, on that day


def test_the_annual_meeting_and_the_report_after_it(people):
    assert evidence.annual_meeting_report(DAY).state == evidence.NOT_OK
    AnnualMeeting.objects.create(year=YEAR - 1, held_on=date(YEAR, 3, 20))
    _report(ReportKind.ANNUAL, YEAR - 1, date(YEAR, 3, 1))  # before the meeting: not the report after it
    with override("en"):
        found = evidence.annual_meeting_report(DAY)
    assert found.state == evidence.NOT_OK and "2024-03-20" in found.summary
    _report(ReportKind.ANNUAL, YEAR - 2, date(YEAR, 4, 1))  # for another year
    assert evidence.annual_meeting_report(DAY).state == evidence.NOT_OK
    _report(ReportKind.ANNUAL, YEAR - 1, date(YEAR, 4, 2))
    with override("en"):
        found = evidence.annual_meeting_report(DAY)
    assert found.state == evidence.OK and "2024-04-02" in found.summary
    assert evidence.annual_meeting_report(date(YEAR, 4, 1)).state == evidence.NOT_OK
    assert evidence.annual_meeting_report(date(YEAR, 3, 19)).state == evidence.NOT_OK  # the meeting not yet held


def test_the_grants_report_is_its_own_and_an_annual_report_is_not_it(people):
    _report(ReportKind.ANNUAL, YEAR - 1, date(YEAR, 4, 2))
    _report(ReportKind.MUNICIPAL, YEAR - 1, date(YEAR, 2, 1))  # to the municipality, not the federation
    assert evidence.grants_report(DAY).state == evidence.NOT_OK
    _report(ReportKind.GRANTS, YEAR - 1, date(YEAR, 5, 5))
    assert evidence.grants_report(DAY).state == evidence.OK
    assert evidence.grants_report(date(YEAR, 5, 4)).state == evidence.NOT_OK


def test_the_assurance_of_the_year_before_sent_in_the_year(people):
    with override("en"):
        assert evidence.assurance_sent(DAY).state == evidence.MANUAL  # no 2023 in the system
    signed = _signed(YEAR - 1, people.auditor, signed_on=date(YEAR, 3, 1))
    assert evidence.assurance_sent(DAY).state == evidence.NOT_OK
    AssuranceSending.objects.create(assessment=signed, sent_on=date(YEAR, 3, 10), method="portal")
    with override("en"):
        found = evidence.assurance_sent(DAY)
    assert found.state == evidence.OK and "2024-03-10" in found.summary
    assert evidence.assurance_sent(date(YEAR, 3, 9)).state == evidence.NOT_OK


# -- what the next January records does not change the year ---------------------------


def test_records_made_the_next_january_leave_the_year_as_it_was(people):
    before = _all(DAY)
    assert {found.state for found in before.values()} <= {evidence.NOT_OK, evidence.MANUAL}
    signed = _signed(YEAR - 1, people.auditor, signed_on=date(YEAR, 3, 1))
    before = _all(DAY)
    january = date(YEAR + 1, 1, 15)
    _send_details(january)
    AnnualMeeting.objects.create(year=YEAR - 1, held_on=january)
    _report(ReportKind.ANNUAL, YEAR - 1, january)
    _report(ReportKind.GRANTS, YEAR - 1, january)
    AssuranceSending.objects.create(assessment=signed, sent_on=january, method="email")
    assert _all(DAY) == before
    assert set(_states(DAY).values()) == {evidence.NOT_OK}


def test_a_year_met_in_the_data_stays_met_after_the_next_january(people):
    signed = _signed(YEAR - 1, people.auditor, signed_on=date(YEAR, 3, 1))
    AssuranceSending.objects.create(assessment=signed, sent_on=date(YEAR, 3, 5), method="email")
    _send_details(date(YEAR, 6, 1))
    AnnualMeeting.objects.create(year=YEAR - 1, held_on=date(YEAR, 3, 20))
    _report(ReportKind.ANNUAL, YEAR - 1, date(YEAR, 4, 1))
    _report(ReportKind.GRANTS, YEAR - 1, date(YEAR, 4, 1))
    before = _all(DAY)
    assert set(_states(DAY).values()) == {evidence.OK}
    _send_details(date(YEAR + 1, 1, 8), changes="Två nya stödpersoner")
    AnnualMeeting.objects.create(year=YEAR, held_on=date(YEAR + 1, 1, 30))
    _report(ReportKind.ANNUAL, YEAR, date(YEAR + 1, 1, 31))
    assert _all(DAY) == before


def test_an_export_downloaded_the_next_january_does_not_change_the_older_signal(people):
    """Years that started before the registers keep the signal federation_export."""
    entry = federation.record_export(by=people.coordinator, fmt="csv", rows=3, via="web")
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=datetime(YEAR + 1, 1, 5, 12, tzinfo=STOCKHOLM))
    assert evidence.federation_export(DAY).state == evidence.NOT_OK
    entry = federation.record_export(by=people.coordinator, fmt="csv", rows=3, via="web")
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=datetime(YEAR, 5, 5, 12, tzinfo=STOCKHOLM))
    with override("en"):
        found = evidence.federation_export(DAY)
    assert found.state == evidence.OK and "2024-05-05" in found.summary


# -- the catalogue's signals --------------------------------------------------------


def test_the_migrations_give_the_four_requirements_their_signals(db):
    revision = CatalogueRevision.objects.get(revision="2021-09-24")
    found = dict(revision.requirements.filter(code__in=NEW_SIGNALS).values_list("code", "signal"))
    assert found == NEW_SIGNALS
    assert set(NEW_SIGNALS.values()) <= set(evidence.SIGNALS) and set(NEW_SIGNALS.values()) <= catalogue.SIGNALS


def test_syncing_the_signals_changes_open_years_and_leaves_signed_ones(people):
    """What the migration does on a database loaded with the older signals."""
    old = {"G2": "", "G8": "federation_export", "G9": "yearly_reports", "G10": "yearly_reports"}
    revision = CatalogueRevision.objects.get(revision="2021-09-24")
    for code, signal in old.items():
        Requirement.objects.filter(revision=revision, code=code).update(signal=signal)
    CatalogueRevision.objects.filter(pk=revision.pk).update(content_sha256="0" * 64)
    signed = _signed(2022, people.auditor)
    draft = services.start_year(year=2023, by=people.coordinator, from_previous=False)
    assert dict(draft.answers.filter(code__in=old).values_list("code", "signal")) == old

    changed = catalogue.sync_bundled_signals(models=(CatalogueRevision, Requirement, Answer))

    assert sorted(changed) == sorted(NEW_SIGNALS)
    assert dict(revision.requirements.filter(code__in=old).values_list("code", "signal")) == NEW_SIGNALS
    assert dict(draft.answers.filter(code__in=old).values_list("code", "signal")) == NEW_SIGNALS
    assert dict(signed.answers.filter(code__in=old).values_list("code", "signal")) == old
    assert catalogue.load(catalogue.BUNDLED.joinpath("minimikrav-2021-09-24.json").read_bytes()) == (revision, False)
    assert catalogue.sync_bundled_signals(models=(CatalogueRevision, Requirement, Answer)) == []


def test_syncing_refuses_a_changed_text(db):
    data = json.loads(catalogue.BUNDLED.joinpath("minimikrav-2021-09-24.json").read_text())
    data["groups"][0]["requirements"][1]["title"]["sv"] = "Ändrad i efterhand"
    with pytest.raises(catalogue.CatalogueError, match="only the signals"):
        catalogue.sync_signals(json.dumps(data).encode(), models=(CatalogueRevision, Requirement, Answer))
    assert not Requirement.objects.filter(title_sv="Ändrad i efterhand").exists()


# -- the pages -------------------------------------------------------------------


def test_the_coordinator_records_a_sending_of_the_contact_details(people):
    client = client_for(people.coordinator)
    board_page = client.get(reverse("board")).content.decode()
    assert reverse("federation_sending_list") in board_page
    url = reverse("federation_sending_list")
    today = timezone.localdate()
    response = client.post(url, {"sent_on": today.isoformat(), "method": "portal", "changes": "Ny kassör"})
    assert response.status_code == 302
    sending = FederationSending.objects.get()
    assert (sending.sent_on, sending.method, sending.recorded_by) == (today, "portal", people.coordinator)
    page = client.get(url).content.decode()
    assert "Ny kassör" in page and "Kim Coordinator" in page
    assert evidence.federation_sending(content.evidence_day(today.year)).state == evidence.OK


def test_a_board_member_reads_the_registers_and_records_nothing(people):
    client = client_for(people.board)
    for name in ("federation_sending_list", "annual_meeting_list"):
        page = client.get(reverse(name))
        assert page.status_code == 200 and b'<form method="post" class="narrow">' not in page.content
    client.post(reverse("federation_sending_list"), {"sent_on": "2024-01-01", "method": "post", "changes": "x"})
    assert not FederationSending.objects.exists()


def test_the_annual_meeting_is_held_after_the_year_it_closes(people):
    client = client_for(people.coordinator)
    url = reverse("annual_meeting_list")
    response = client.post(url, {"year": 2024, "held_on": "2024-11-30"})
    assert response.status_code == 200 and b"after that year has ended" in response.content
    assert client.post(url, {"year": 2024, "held_on": "2025-03-20"}).status_code == 302
    assert AnnualMeeting.objects.get().recorded_by == people.coordinator
    response = client.post(url, {"year": 2024, "held_on": "2025-03-21"})
    assert response.status_code == 200 and AnnualMeeting.objects.count() == 1


def test_the_grants_report_is_a_kind_on_the_reports_page(people):
    client = client_for(people.coordinator)
    page = client.get(reverse("report_list")).content.decode()
    assert 'value="grants"' in page
    client.post(
        reverse("report_list"),
        {"kind": "grants", "year": YEAR - 1, "sent_on": "2024-04-01", "recipient": "Förbundet"},
    )
    assert evidence.grants_report(DAY).state == evidence.OK


def test_the_sending_of_the_signed_assurance_is_recorded_on_the_years_page(people):
    signed = _signed(YEAR - 1, people.auditor, signed_on=date(YEAR, 3, 1))
    client = client_for(people.board)
    page = client.get(reverse("assessment_detail", args=[YEAR - 1])).content.decode()
    assert "Not recorded" in page and reverse("assurance_sent", args=[YEAR - 1, 1]) in page
    url = reverse("assurance_sent", args=[YEAR - 1, 1])
    refused = client.post(url, {"sent_on": "2024-02-28", "method": "post", "note": "Rekommenderat"})  # before signing
    assert not AssuranceSending.objects.exists()
    # The page again, with the error beside the form and nothing typed lost.
    assert refused.status_code == 400
    form = refused.context["sending_form"]
    assert form.errors and form["method"].value() == "post" and form["note"].value() == "Rekommenderat"
    client.post(url, {"sent_on": "2024-03-12", "method": "email", "note": "Till kansliet"})
    sending = AssuranceSending.objects.get()
    assert (sending.assessment, sending.sent_on, sending.recorded_by) == (signed, date(YEAR, 3, 12), people.board)
    page = client.get(reverse("assessment_detail", args=[YEAR - 1])).content.decode()
    assert "2024-03-12" in page and "Till kansliet" in page
    assert evidence.assurance_sent(DAY).state == evidence.OK


def test_an_unsigned_year_cannot_be_recorded_as_sent(people):
    services.start_year(year=YEAR, by=people.coordinator, from_previous=False)
    client = client_for(people.coordinator)
    page = client.get(reverse("assessment_detail", args=[YEAR])).content.decode()
    assert reverse("assurance_sent", args=[YEAR, 1]) not in page
    client.post(reverse("assurance_sent", args=[YEAR, 1]), {"sent_on": "2024-03-12", "method": "email"})
    assert not AssuranceSending.objects.exists()


# -- the reminder ------------------------------------------------------------------


def test_the_board_and_coordinators_are_reminded_once_until_the_sending_is_recorded(people, mailoutbox):
    today = timezone.localdate()
    older = _signed(today.year - 3, people.auditor)  # long past: no reminder
    signed = _signed(today.year - 1, people.auditor, signed_on=today)
    assert reminders.send_due(today)["assurance_sending"] == 1
    assert reminders.send_due(today)["assurance_sending"] == 0
    (mail,) = [m for m in mailoutbox if "assurance" in m.body.lower() or "försäkran" in m.body.lower()]
    assert set(mail.to) == {people.coordinator.email, people.board.email}
    assert people.auditor.name not in mail.body and people.coordinator.name not in mail.body
    assert ReminderSent.objects.filter(kind="assurance_sending", key=str(signed.pk)).exists()
    assert not ReminderSent.objects.filter(kind="assurance_sending", key=str(older.pk)).exists()


def test_no_reminder_once_the_sending_is_recorded(people, mailoutbox):
    today = timezone.localdate()
    signed = _signed(today.year - 1, people.auditor, signed_on=today)
    AssuranceSending.objects.create(assessment=signed, sent_on=today, method="email")
    assert reminders.send_due(today)["assurance_sending"] == 0
