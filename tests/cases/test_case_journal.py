"""The case journal: dated entries written by whoever may work the case (its
coordinators and the support persons on it now), newest first with who and
when; add-only, except that the author may correct a slip for a short while,
which is marked and audited with the text masked. Anyone else gets 404 and
changes nothing; a refused entry keeps every character typed."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import journal, retention, services
from cases.models import JOURNAL_TEXT_MAX, JournalEntry
from jour.audit import MASK
from tests.personas import client_for

from .factories import assign, make_case

FIRST = "Ringde upp, bokade ett möte på tisdag"
SECOND = "Mötet hölls, hon vill ha hjälp med ersättningsansökan"


@pytest.fixture
def alex_case(people):
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=3), notes="")
    assign(case, people.alex, by=people.coordinator)
    return case


def _write(client, case, text, **headers):
    return client.post(reverse("journal_create", args=[case.pk]), {"text": text}, **headers)


def test_the_coordinator_and_the_support_person_write_and_the_page_shows_newest_first(people, alex_case):
    response = _write(client_for(people.coordinator), alex_case, FIRST)
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[alex_case.pk]) + "#journal"
    assert _write(client_for(people.alex), alex_case, SECOND).status_code == 302

    entries = list(alex_case.journal.order_by("written_at"))
    assert [(e.text, e.author) for e in entries] == [(FIRST, people.coordinator), (SECOND, people.alex)]
    html = client_for(people.alex).get(reverse("case_detail", args=[alex_case.pk])).content.decode()
    journal_part = html[html.index('id="journal"') :]
    assert journal_part.index(SECOND) < journal_part.index(FIRST)  # newest first
    assert "Alex Support" in journal_part and "Kim Coordinator" in journal_part
    assert timezone.localtime(entries[1].written_at).strftime("%H:%M") in journal_part


def test_with_htmx_the_journal_part_comes_back_with_the_entry(people, alex_case):
    response = _write(client_for(people.alex), alex_case, FIRST, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="journal"') and FIRST in html
    assert "<html" not in html
    assert 'role="status"' in html  # said out loud that it was saved


@pytest.mark.parametrize("who", ["sam", "board", "auditor"])
def test_nobody_else_writes_or_corrects(people, alex_case, who):
    entry = journal.write(case=alex_case, text=FIRST, by=people.alex)
    client = client_for(getattr(people, who))
    expected = 404 if who == "sam" else 403  # Sam is a support person, not on this case; the others no caseworkers
    assert _write(client, alex_case, SECOND).status_code == expected
    url = reverse("journal_correct", args=[alex_case.pk, entry.pk])
    assert client.post(url, {"text": SECOND}).status_code == expected
    assert list(JournalEntry.objects.values_list("text", flat=True)) == [FIRST]


def test_an_entry_is_reached_only_through_its_own_case(people, alex_case):
    other = make_case(people.coordinator, notes="")
    entry = journal.write(case=other, text=FIRST, by=people.coordinator)
    url = reverse("journal_correct", args=[alex_case.pk, entry.pk])
    assert client_for(people.coordinator).post(url, {"text": SECOND}).status_code == 404
    entry.refresh_from_db()
    assert entry.text == FIRST


def test_an_empty_entry_is_refused_with_a_message(people, alex_case):
    response = _write(client_for(people.alex), alex_case, "   \n ")
    assert response.status_code == 400
    assert "The entry is empty: write what happened before saving." in response.content.decode()
    assert not alex_case.journal.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_too_long_entry_is_refused_and_every_character_typed_comes_back(people, alex_case, htmx):
    typed = ("Långt referat av samtalet. " * 200)[: JOURNAL_TEXT_MAX + 10]
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = _write(client_for(people.alex), alex_case, typed, **headers)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"An entry can be at most {JOURNAL_TEXT_MAX} characters; this one has {len(typed.strip())}." in html
    assert typed.strip() in html.replace("&#x27;", "'")  # in the box, to shorten
    box = html[html.index('id="journal_text"') - 200 : html.index('id="journal_text"')]
    assert "<textarea" in box and "maxlength" not in box  # the browser cuts nothing off
    assert not alex_case.journal.exists()


def test_the_author_corrects_a_slip_marked_and_audited_with_the_text_masked(people, alex_case):
    entry = journal.write(case=alex_case, text=FIRST, by=people.alex)
    url = reverse("journal_correct", args=[alex_case.pk, entry.pk])
    assert client_for(people.alex).post(url, {"text": SECOND}).status_code == 302
    entry.refresh_from_db()
    assert (entry.text, entry.author, entry.written_at < entry.corrected_at) == (SECOND, people.alex, True)

    logged = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(JournalEntry), object_id=entry.pk)
    assert [e.action for e in logged.order_by("pk")] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    update = logged.get(action=LogEntry.Action.UPDATE)
    assert update.actor == people.alex
    assert update.changes["text"] == [MASK, MASK]
    assert FIRST not in str(update.changes) and SECOND not in str(update.changes) + update.object_repr
    html = client_for(people.coordinator).get(reverse("case_detail", args=[alex_case.pk])).content.decode()
    assert "corrected" in html[html.index(f'id="entry-{entry.pk}"') :]


def test_only_the_author_and_only_for_a_while(people, alex_case):
    entry = journal.write(case=alex_case, text=FIRST, by=people.alex)
    with pytest.raises(ValidationError):
        journal.correct(entry=entry, text=SECOND, by=people.coordinator)
    later = entry.written_at + timedelta(minutes=journal.CORRECTION_MINUTES, seconds=1)
    with pytest.raises(ValidationError):
        journal.correct(entry=entry, text=SECOND, by=people.alex, now=later)
    entry.refresh_from_db()
    assert (entry.text, entry.corrected_at) == (FIRST, None)


def test_a_correction_too_late_keeps_the_text_in_the_box_for_a_new_entry(people, alex_case):
    entry = journal.write(case=alex_case, text=FIRST, by=people.alex, now=timezone.now() - timedelta(minutes=20))
    url = reverse("journal_correct", args=[alex_case.pk, entry.pk])
    response = client_for(people.alex).post(url, {"text": SECOND})
    assert response.status_code == 400
    assert response.context["journal_form"]["text"].value() == SECOND
    assert "Write a new entry that says what was wrong." in response.content.decode()
    entry.refresh_from_db()
    assert entry.text == FIRST


def test_only_the_authors_own_recent_entries_offer_a_correction(people, alex_case):
    mine = journal.write(case=alex_case, text=FIRST, by=people.alex)
    old = journal.write(case=alex_case, text=SECOND, by=people.alex, now=timezone.now() - timedelta(hours=1))
    theirs = journal.write(case=alex_case, text="Kims rad", by=people.coordinator)
    html = client_for(people.alex).get(reverse("case_detail", args=[alex_case.pk])).content.decode()
    assert reverse("journal_correct", args=[alex_case.pk, mine.pk]) in html
    assert reverse("journal_correct", args=[alex_case.pk, old.pk]) not in html
    assert reverse("journal_correct", args=[alex_case.pk, theirs.pk]) not in html


def test_the_text_is_masked_in_the_audit_log(people, alex_case):
    entry = journal.write(case=alex_case, text=FIRST, by=people.alex)
    created = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(JournalEntry), object_id=entry.pk, action=0
    )
    assert created.changes["text"] == [None, MASK] or created.changes["text"][-1] == MASK
    assert FIRST not in str(created.changes) and FIRST not in created.object_repr


def test_an_anonymous_contact_has_no_journal(people):
    case = make_case(
        people.coordinator, channel="walk_in", anonymous=True, first_name="", last_name="", phone="", email=""
    )
    response = _write(client_for(people.coordinator), case, FIRST)
    assert response.status_code == 400
    assert "An anonymous contact has no journal" in response.content.decode()
    assert not case.journal.exists()


def test_making_a_case_anonymous_removes_its_journal(people, alex_case):
    journal.write(case=alex_case, text=FIRST, by=people.alex)
    alex_case.refresh_from_db()
    services.update_case(
        case=alex_case,
        data={"anonymous": True, "first_name": "", "last_name": "", "phone": "", "email": ""},
        expected_version=alex_case.version,
        by=people.coordinator,
    )
    assert not alex_case.journal.exists()


def test_nothing_is_written_on_an_anonymised_case(people, alex_case):
    journal.write(case=alex_case, text=FIRST, by=people.alex)
    retention.erase_on_request(case=alex_case, by=people.coordinator)
    assert not alex_case.journal.exists()
    response = _write(client_for(people.coordinator), alex_case, SECOND)
    assert response.status_code == 400
    assert not alex_case.journal.exists()


def test_a_closed_case_still_takes_an_entry(people, alex_case):
    services.close_case(case=alex_case, reason="completed", by=people.coordinator)
    assert _write(client_for(people.alex), alex_case, FIRST).status_code == 302
    assert alex_case.journal.get().text == FIRST


def test_the_case_page_costs_the_same_queries_with_one_entry_or_many(people, alex_case):
    client = client_for(people.alex)
    url = reverse("case_detail", args=[alex_case.pk])
    journal.write(case=alex_case, text=FIRST, by=people.alex)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(6):
        journal.write(case=alex_case, text=f"{SECOND} {n}", by=people.coordinator)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
