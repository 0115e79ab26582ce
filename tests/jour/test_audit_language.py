"""The audit log speaks the UI's language: actions, model and field names, choices, local times."""

from datetime import UTC, datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from compliance import services as compliance
from compliance.models import Status
from jour.audit import MASK
from jour.models import User
from tests.personas import client_for

# 21:34 UTC on a winter evening is 22:34 in Stockholm.
LATE = datetime(2026, 1, 12, 21, 34, tzinfo=UTC)


def _changes(people):
    assessment = compliance.start_year(year=2025, by=people.coordinator, from_previous=False)
    answer = assessment.answers.first()
    answer.auditor_verdict = Status.MET
    answer.save()
    alex = User.objects.get(pk=people.alex.pk)
    alex.deactivated_at = LATE
    alex.name = "Alexandra Newname"
    alex.save()


def _rows(people, language):
    page = client_for(people.coordinator, language).get(reverse("audit_log"))
    assert page.status_code == 200
    return [" ".join(tr.text_content().split()) for tr in html.fromstring(page.content).xpath("//tbody/tr")]


def _row(rows, needle):
    [row] = [row for row in rows if needle in row]
    return row


def test_the_log_in_swedish(people):
    _changes(people)
    rows = _rows(people, None)

    verdict = _row(rows, "Revisorernas omdöme")
    assert "ändrad" in verdict
    assert "Revisorernas omdöme: Ej bedömt → Uppfyllt" in verdict
    user = _row(rows, "22:34")
    assert " ändrad användare #" in user  # not "användare user #2"
    assert "Inaktiverad: – → 2026-01-12 22:34" in user  # local time, not the stored 21:34 UTC
    assert "21:34" not in user
    assert f"Namn: {MASK} → {MASK}" in user
    assert not any(word in " ".join(rows) for word in ("update", "auditor_verdict", "unassessed", "deactivated_at"))


def test_the_log_in_english(people):
    _changes(people)
    rows = _rows(people, "en")

    verdict = _row(rows, "Auditors' verdict")
    assert "changed" in verdict
    assert "Auditors' verdict: Not assessed → Met" in verdict
    user = _row(rows, "22:34")
    assert " changed user #" in user and "Deactivated: – → 2026-01-12 22:34" in user
    assert not any(word in " ".join(rows) for word in ("ändrad", "Revisorernas", "användare"))


def test_an_access_entry_reads_opened(people):
    client = client_for(people.coordinator, None)
    client.get(reverse("account_detail", args=[people.alex.pk]))
    page = client.get(reverse("audit_log"), {"action": str(LogEntry.Action.ACCESS)}).content.decode()
    assert "öppnad" in page and "access" not in page.split("<tbody>")[1]


@pytest.mark.parametrize("language", [None, "en"])
def test_the_number_of_queries_does_not_grow_with_entries_of_many_kinds(people, language):
    client = client_for(people.coordinator, language)
    client.get(reverse("audit_log"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit_log"))
    _changes(people)  # entries of other models, with choices, times and masked values
    for _ in range(10):
        User.objects.filter(pk=people.sam.pk).update(name="x")
        sam = User.objects.get(pk=people.sam.pk)
        sam.is_active = not sam.is_active
        sam.save()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("audit_log"))
    assert len(many) == len(few)
