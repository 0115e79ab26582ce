"""Evidence documents as files: stored under made-up names with their SHA-256,
kept revision by revision, checked by content, and handed out to governance only."""

import hashlib
import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import selectors, services
from compliance.models import EvidenceDocument, EvidenceLink, EvidenceRevision
from tests.personas import login_verified

YEAR = 2025
CODE = "G3"


def _pdf_bytes() -> bytes:
    return b"%PDF-1.4\n%" + os.urandom(64) + b"\n%%EOF\n"


def _upload(data: bytes, name="Styrelseprotokoll Maria Board.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _stored(revision) -> bytes:
    with revision.file.open("rb") as handle:
        return handle.read()


def _media_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.fixture
def answer(people):
    return services.start_year(year=YEAR, by=people.coordinator, from_previous=False).answers.get(code=CODE)


@pytest.fixture
def uploaded(client, people, answer):
    """One document uploaded through the page by the coordinator."""
    data = _pdf_bytes()
    login_verified(client, people.coordinator)
    response = client.post(
        reverse("evidence_upload", args=[YEAR, CODE]), {"title": "Styrelseprotokoll 2025-03-12", "file": _upload(data)}
    )
    assert response.status_code == 302
    return EvidenceRevision.objects.select_related("document").get(), data


def test_an_upload_is_stored_under_a_made_up_name_with_its_hash_and_size(answer, uploaded):
    revision, data = uploaded
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.pdf", revision.file.name), revision.file.name
    assert (revision.number, revision.kind) == (1, "pdf")
    assert revision.sha256 == hashlib.sha256(data).hexdigest()
    assert revision.size == len(data)
    assert _stored(revision) == data
    assert revision.document.title == "Styrelseprotokoll 2025-03-12"
    assert EvidenceLink.objects.filter(answer=answer, document=revision.document).exists()


def test_a_new_revision_keeps_the_earlier_file(client, answer, uploaded):
    first, first_data = uploaded
    second_data = _pdf_bytes()

    response = client.post(
        reverse("evidence_new_revision", args=[YEAR, CODE, first.document_id]), {"file": _upload(second_data)}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second = EvidenceRevision.objects.get(document=first.document, number=2)
    assert second.file.name != first.file.name
    assert (_stored(first), first.sha256) == (first_data, hashlib.sha256(first_data).hexdigest())
    assert (_stored(second), second.sha256) == (second_data, hashlib.sha256(second_data).hexdigest())
    assert first.document.latest == second
    assert EvidenceDocument.objects.count() == 1
    assert EvidenceLink.objects.filter(answer=answer).count() == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("sv", "Filen är inte av en godkänd typ (PDF, PNG, JPEG)."),
        ("en", "This file is not of an accepted kind (PDF, PNG, JPEG)."),
    ],
)
def test_text_with_a_pdf_name_is_refused_and_nothing_is_stored(client, people, answer, settings, language, message):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    login_verified(client, people.coordinator)

    response = client.post(
        reverse("evidence_upload", args=[YEAR, CODE]),
        {"title": "Anteckningar", "file": _upload("Minnesanteckningar från mötet\n".encode(), name="anteckningar.pdf")},
    )

    assert response.status_code == 302
    [shown] = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown.startswith(message), shown
    assert not EvidenceDocument.objects.exists()
    assert not EvidenceRevision.objects.exists()
    assert not answer.links.exists()
    assert _media_files(settings) == []


@pytest.mark.parametrize("role", ["coordinator", "board", "auditor"])
def test_governance_downloads_a_revision_as_an_attachment(client, people, uploaded, role):
    revision, data = uploaded
    client.logout()
    login_verified(client, getattr(people, role))

    response = client.get(reverse("evidence_download", args=[revision.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == data


def test_a_support_person_cannot_download_evidence(client, people, uploaded):
    revision, data = uploaded
    client.logout()
    login_verified(client, people.alex)

    response = client.get(reverse("evidence_download", args=[revision.pk]))

    assert response.status_code == 403  # AccessMiddleware's answer to a role for_roles() leaves out
    assert not response.has_header("Content-Disposition")
    assert data not in response.content


def test_last_years_evidence_is_linked_again_when_the_new_year_starts_from_it(client, people):
    services.start_year(year=YEAR - 1, by=people.coordinator, from_previous=False)
    data = _pdf_bytes()
    login_verified(client, people.coordinator)
    client.post(
        reverse("evidence_upload", args=[YEAR - 1, CODE]), {"title": "Tystnadslöfte, mall", "file": _upload(data)}
    )
    revision = EvidenceRevision.objects.get()

    response = client.post(reverse("assessment_list"), {"year": YEAR, "from_previous": "on"})
    assert response.status_code == 302

    new = selectors.current(YEAR)
    linked = EvidenceLink.objects.filter(answer__assessment=new)
    assert [(link.answer.code, link.document_id) for link in linked] == [(CODE, revision.document_id)]
    assert EvidenceRevision.objects.count() == 1 and EvidenceDocument.objects.count() == 1  # linked, not copied
    page = client.get(reverse("answer_edit", args=[YEAR, CODE])).content.decode()
    assert reverse("evidence_download", args=[revision.pk]) in page
