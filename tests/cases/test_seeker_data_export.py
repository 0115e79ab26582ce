"""The seeker's data (GDPR art. 15, issue 17 item 7): everything the jour holds
about the seeker, from every table that can hold it, readable in the UI's
language, handed out as an AES-256 ZIP under a passphrase shown once and kept
nowhere; audited without the data; coordinators only."""

import io
import json
import logging
import re
from datetime import timedelta

import pytest
import pyzipper
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from pypdf import PdfReader

from calendars.services import save_appointment
from cases import journal, paper, retention, seeker_archive, services
from cases.models import Case, PaperKind
from partners.models import Partner, Routine
from partners.services import check_step, record_referral, save_routine
from tests.members.dbsearch import find_in_database
from tests.personas import client_for

from .factories import SEEKER, make_case

# One distinctive value in every column that can hold something about the seeker.
HANDOVER_NOTE = "Tolk behövs: nordsamiska"
END_NOTE = "Byter till Ylva efter flytten till Åkarp"
ATTEMPT_NOTE = "Vill träffas på biblioteket i Grönhög"
REFERRAL_NOTE = "Gav numret till skyddade boendet Lönnhagen"
APPOINTMENT_TITLE = "Samtal med Ingegerd om rättegången"
APPOINTMENT_PLACE = "Bakom kiosken vid Hjortvägen 12"
APPOINTMENT_ROOM = "Sal 4B Rådhusrätten"
PAPER_DESCRIPTION = "Kopia av läkarintyget från Ödeshög"
HOLD_REASON = "Vittnesstödet fortsätter till rättegången i Tyringe"
STEP_TITLE = "Erbjud skyddsplanering med Trollbäckens polis"
ROUTINE_NAME = "Rutin för misshandel i Snöstorp"
PARTNER_NAME = "Kvinnojouren Lönnhagen"
SECOND_NAME = "Inga"  # the seeker's other case, found by the same phone number

FREE_TEXT = [
    HANDOVER_NOTE,
    END_NOTE,
    ATTEMPT_NOTE,
    REFERRAL_NOTE,
    APPOINTMENT_TITLE,
    APPOINTMENT_PLACE,
    APPOINTMENT_ROOM,
    PAPER_DESCRIPTION,
    HOLD_REASON,
    STEP_TITLE,
    ROUTINE_NAME,
    PARTNER_NAME,
]
JOURNAL_TEXT = "Seedad journal: pratade om flytten till Hällekis"
NEEDLES = [*SEEKER.values(), *FREE_TEXT, JOURNAL_TEXT, SECOND_NAME, "Alex Support", "Kim Coordinator"]
STRANGER = {
    "first_name": "Gunvor",
    "last_name": "Tältmakarsson",
    "phone": "070-555 44 21",
    "email": "gunvor.taltmakare@seeker.example",
    "notes": "Seedad: bor ovanför frisören på Lingonstigen 3",
}


@pytest.fixture
def seeker(people):
    """The seeker's case with a row in every table, a second case of theirs
    (same phone number, closed and held back) and a stranger's case."""
    coordinator, alex, sam = people.coordinator, people.alex, people.sam
    now = timezone.now()
    case = make_case(coordinator, received_at=now - timedelta(days=3))
    services.assign(case=case, person=alex, kind="support", note=HANDOVER_NOTE, by=coordinator)
    journal.write(case=case, text=JOURNAL_TEXT, by=alex)
    earlier = services.assign(case=case, person=sam, kind="witness", by=coordinator)
    services.end_assignment(assignment=earlier, note=END_NOTE, by=coordinator)
    services.log_attempt(
        case=case, made_at=now - timedelta(days=2), method="phone", outcome="reached", note=ATTEMPT_NOTE, by=alex
    )
    services.record_risk_check(
        case=case,
        answers={
            "immediate_danger": "yes",
            "threats_known_person": "no",
            "children_at_risk": "unknown",
            "protected_identity_needed": "no",
        },
        by=alex,
    )
    shelter = Partner.objects.create(name=PARTNER_NAME, kind="shelter")
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
        by=alex,
    )
    save_appointment(
        appointment=None,
        data={
            "kind": "court",
            "case": case,
            "starts_at": now + timedelta(days=5),
            "ends_at": now + timedelta(days=5, hours=2),
            "place": APPOINTMENT_PLACE,
            "room": APPOINTMENT_ROOM,
            "title": APPOINTMENT_TITLE,
        },
        participants=[alex],
        by=coordinator,
    )
    paper.file_paper(
        case=case, kind=PaperKind.NOTES, description=PAPER_DESCRIPTION, filed_on=timezone.localdate(), by=alex
    )
    routine = save_routine(
        routine=Routine(name=ROUTINE_NAME, crime_type=case.crime_type),
        goal="",
        steps=[{"title": STEP_TITLE}],
        by=coordinator,
    )
    check_step(case=case, step=routine.current().steps.get(), by=alex)

    second = make_case(coordinator, received_at=now - timedelta(days=40), first_name=SECOND_NAME, email="", notes="")
    services.close_case(case=second, reason="completed", by=coordinator)
    retention.hold(case=second, reason=HOLD_REASON, until=timezone.localdate() + timedelta(days=60), by=coordinator)
    stranger = make_case(coordinator, received_at=now - timedelta(hours=1), **STRANGER)
    # The coordinator opens the case page: an access entry, with who and when.
    assert client_for(coordinator).get(reverse("case_detail", args=[case.pk])).status_code == 200
    case.refresh_from_db()
    return case, second, stranger


def make_archive(client, case):
    """POST for the archive; returns (page response, passphrase, token)."""
    page = client.post(reverse("seeker_data_archive", args=[case.pk]))
    assert page.status_code == 200
    prepared = page.context["prepared"]
    return page, prepared.passphrase, prepared.token


def download(client, case, token):
    return client.post(reverse("seeker_data_download", args=[case.pk]), {"token": token})


def unpack(content: bytes, passphrase: str, case: Case) -> tuple[dict, str]:
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        archive.setpassword(passphrase.encode())
        assert sorted(archive.namelist()) == [
            f"personuppgifter-{case.number}.json",
            f"personuppgifter-{case.number}.pdf",
        ]
        data = json.loads(archive.read(f"personuppgifter-{case.number}.json"))
        pdf = archive.read(f"personuppgifter-{case.number}.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return data, re.sub(r"\s+", " ", text)


def swedish(msgid: str) -> str:
    with override("sv"):
        return gettext(msgid)


def export_entries(case: Case):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=case.pk,
        additional_data__has_key="seeker_data_export",
    )


def test_the_archive_holds_every_value_the_jour_has_about_the_seeker(people, seeker):
    case, second, stranger = seeker
    client = client_for(people.coordinator, language=None)
    _page, passphrase, token = make_archive(client, case)
    response = download(client, case, token)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="personuppgifter-{case.number}.zip"'
    assert "no-store" in response["Cache-Control"]

    data, text = unpack(response.content, passphrase, case)
    as_json = json.dumps(data, ensure_ascii=False)
    for needle in NEEDLES:
        assert needle in as_json, needle
        assert needle in text, needle
    for value in STRANGER.values():
        assert value not in as_json and value not in text, value
    assert stranger.number not in as_json and stranger.number not in text

    # The JSON, section by section, for a program to read.
    assert [c["case"]["number"] for c in data["cases"]] == [second.number, case.number]
    mine = data["cases"][1]
    for field in ("first_name", "last_name", "phone", "email"):
        assert mine["case"][field] == SEEKER[field], field
    assert "notes" not in mine["case"]
    # The journal, oldest first: the text make_case wrote at registration, then Alex's entry.
    assert [(e["author"], e["text"]) for e in mine["journal"]] == [
        ("Kim Coordinator", SEEKER["notes"]),
        ("Alex Support", JOURNAL_TEXT),
    ]
    assert mine["case"]["anonymous"] is False
    assert mine["case"]["received_at"] == timezone.localtime(case.received_at).isoformat(timespec="minutes")
    assert [(a["person"], a["note"], a["end_note"]) for a in mine["support_persons"]] == [
        ("Alex Support", HANDOVER_NOTE, ""),
        ("Sam Support", "", END_NOTE),
    ]
    assert [a["note"] for a in mine["contact_attempts"]] == [ATTEMPT_NOTE]
    assert [r["immediate_danger"] for r in mine["risk_checks"]] == ["Ja"]
    assert [(r["partner"], r["note"], r["consent"]) for r in mine["referrals"]] == [(PARTNER_NAME, REFERRAL_NOTE, True)]
    assert [(a["title"], a["place"], a["room"], a["participants"]) for a in mine["appointments"]] == [
        (APPOINTMENT_TITLE, APPOINTMENT_PLACE, APPOINTMENT_ROOM, ["Alex Support"])
    ]
    assert [p["description"] for p in mine["paper_records"]] == [PAPER_DESCRIPTION]
    assert [(s["routine"], s["step"], s["done_by"]) for s in mine["routine_steps"]] == [
        (ROUTINE_NAME, STEP_TITLE, "Alex Support")
    ]
    assert [h["reason"] for h in data["cases"][0]["retention_holds"]] == [HOLD_REASON]
    assert [(a["by"], a["what"]) for a in mine["access"]] == [("Kim Coordinator", swedish("Opened the case"))]


def test_the_pdf_reads_as_swedish_text_not_as_keys(people, seeker):
    case = seeker[0]
    client = client_for(people.coordinator, language=None)
    _page, passphrase, token = make_archive(client, case)
    _data, text = unpack(download(client, case, token).content, passphrase, case)
    for label in (
        "Personuppgifter hos jouren",
        f"Ärende {case.number}",
        "Förnamn Ingegerd",
        "Anonym kontakt Nej",
        "Skyddade personuppgifter Nej",
        "Är den stödsökande i akut fara? Ja",
        "Stödpersoner",
        "Kontaktförsök",
        "Bokningar",
        "Pappersdokument",
        # Titles new with this export: whatever locale/ says (English until translated).
        swedish("Risk checks"),
        swedish("Referrals"),
        swedish("Routine steps done"),
        swedish("Who opened the case"),
    ):
        assert label in text, label
    for raw in ("first_name", "anonymous", "personal_data_removed", "False", "True", "None", "support_persons"):
        assert raw not in text, raw
    # Dates as people write them, not ISO timestamps.
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text)


def test_the_export_is_in_english_when_the_ui_is(people, seeker):
    case = seeker[0]
    client = client_for(people.coordinator, language="en")
    _page, passphrase, token = make_archive(client, case)
    data, text = unpack(download(client, case, token).content, passphrase, case)
    assert data["language"] == "en"
    for label in ("Personal data held by the jour", "First name Ingegerd", "Anonymous contact No", "Referrals"):
        assert label in text, label


def test_the_archive_cannot_be_opened_without_the_passphrase(people, seeker):
    case = seeker[0]
    client = client_for(people.coordinator)
    _page, passphrase, token = make_archive(client, case)
    content = download(client, case, token).content
    name = f"personuppgifter-{case.number}.json"
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(name)
        assert info.flag_bits & 0x1  # encrypted ...
        assert info.wz_aes_strength == 3  # ... with AES-256 (WinZip AE), not ZipCrypto
        with pytest.raises(RuntimeError):
            archive.read(name)
        with pytest.raises(RuntimeError):
            archive.read(name, pwd=seeker_archive.passphrase().encode())
        assert archive.read(name, pwd=passphrase.encode())
    for needle in NEEDLES:
        assert needle.encode() not in content, needle


def test_the_passphrase_is_shown_once_and_kept_nowhere(people, seeker, caplog):
    case = seeker[0]
    caplog.set_level(logging.DEBUG)
    client = client_for(people.coordinator)
    page, passphrase, token = make_archive(client, case)
    assert re.fullmatch(r"[a-z2-7]{4}(-[a-z2-7]{4}){5}", passphrase)
    html = page.content.decode()
    assert html.count(passphrase) == 1
    assert "no-store" in page["Cache-Control"]
    response = download(client, case, token)
    assert response.status_code == 200

    assert find_in_database([passphrase]) == []  # sessions and the audit log included
    assert passphrase not in caplog.text
    urls = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    assert urls and not any(passphrase in url or token in url for url in urls)
    assert passphrase not in response["Content-Disposition"]
    # A new archive has a new passphrase.
    assert make_archive(client, case)[1] != passphrase


def _refused(response, case) -> bool:
    """No file: back to the case page, where a message says why (not a bare 404)."""
    return response.status_code == 302 and response["Location"] == reverse("case_detail", args=[case.pk])


def test_the_archive_is_downloaded_once_within_minutes_in_the_session_that_made_it(people, seeker, monkeypatch):
    case, second, _stranger = seeker
    client = client_for(people.coordinator)
    _page, _passphrase, token = make_archive(client, case)
    assert _refused(download(client, case, "not-the-token"), case)
    # A wrong attempt uses it up: make another.
    _page, _passphrase, token = make_archive(client, case)
    assert client.get(reverse("seeker_data_download", args=[case.pk]), {"token": token}).status_code == 405
    other_session = client_for(people.coordinator)
    assert _refused(download(other_session, case, token), case)
    assert _refused(download(client, second, token), second)
    _page, _passphrase, token = make_archive(client, case)
    assert download(client, case, token).status_code == 200
    again = download(client, case, token)
    assert _refused(again, case)
    page = client.get(again["Location"], headers={"accept-language": "en"}).content.decode()
    assert "That file has been downloaded already or is too old. Make a new one" in page

    monkeypatch.setattr(seeker_archive, "VALID_SECONDS", -1)
    _page, _passphrase, token = make_archive(client, case)
    assert _refused(download(client, case, token), case)


def test_each_archive_is_one_audit_entry_without_the_data(people, seeker):
    case = seeker[0]
    client = client_for(people.coordinator)
    before = LogEntry.objects.count()
    _page, passphrase, token = make_archive(client, case)
    download(client, case, token)
    assert LogEntry.objects.count() == before + 1
    entry = export_entries(case).get()
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == people.coordinator
    assert entry.additional_data == {"seeker_data_export": "GDPR art. 15", "format": "zip"}
    stored = json.dumps(
        [entry.changes, entry.additional_data, entry.changes_text, entry.object_repr], ensure_ascii=False
    )
    for value in [*NEEDLES, passphrase]:
        assert value not in stored, value


@pytest.mark.parametrize("persona", ["alex", "sam", "board", "auditor"])
def test_nobody_but_a_coordinator_makes_or_downloads_the_archive(people, seeker, persona):
    """Refused by the access middleware before the view, so for an existing
    case and a missing one alike (no hint of which ids exist)."""
    case = seeker[0]
    coordinator = client_for(people.coordinator)
    _page, _passphrase, token = make_archive(coordinator, case)
    entries = LogEntry.objects.count()
    client = client_for(getattr(people, persona))
    for pk in (case.pk, 999999):
        for name, data in (("seeker_data_archive", {}), ("seeker_data_download", {"token": token})):
            response = client.post(reverse(name, args=[pk]), data)
            assert response.status_code == 403, (name, pk)
            body = response.content.decode(errors="replace")
            assert not [value for value in [*SEEKER.values(), *FREE_TEXT, JOURNAL_TEXT] if value in body]
    assert seeker_archive.SESSION_KEY not in client.session
    assert LogEntry.objects.count() == entries
    # The coordinator's archive is still there for the coordinator.
    assert download(coordinator, case, token).status_code == 200


def test_the_case_page_offers_the_archive_to_a_coordinator_only(people, seeker):
    case = seeker[0]
    url = reverse("seeker_data_archive", args=[case.pk])
    assert url in client_for(people.coordinator).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert url not in client_for(people.alex).get(reverse("case_detail", args=[case.pk])).content.decode()
