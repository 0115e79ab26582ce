"""The whole yearly cycle through the browser views: assess, ready, sign twice,
render, download, verify."""

import hashlib
import io
import json

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse

from compliance import assurance, selectors
from compliance.models import Assessment, AssessmentState, Assurance, Status
from tests.personas import login_verified

from .cycle import assess_all, chair_person, fresh_code, second_auditor

pytestmark = pytest.mark.django_db(transaction=False)
YEAR = 2025


def test_full_cycle(client, people, django_capture_on_commit_callbacks, tmp_path):
    login_verified(client, people.coordinator)
    response = client.post(reverse("assessment_list"), {"year": YEAR, "from_previous": "on"})
    assert response.status_code == 302
    assessment = Assessment.objects.get(year=YEAR)
    assert assessment.answers.count() == 38
    responsible = chair_person(people.board)
    assess_all(assessment, people.coordinator, responsible=responsible)

    # Not-met requirement gets an action item.
    first = assessment.answers.order_by("position").first()
    page = client.get(reverse("answer_edit", args=[YEAR, first.code]))
    assert page.status_code == 200
    response = client.post(
        reverse("answer_edit", args=[YEAR, first.code]),
        {
            "status": Status.NOT_MET,
            "comment": "Saknas",
            "responsible": responsible.pk,
            "evidence_note": "",
            "evidence_date": "",
            "review_date": "2025-11-01",
            "lock_version": first.lock_version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(
        reverse("action_plan", args=[YEAR]),
        {
            "item-requirement_code": first.code,
            "item-what": "Anta en ny rutin",
            "item-owner": responsible.pk,
            "item-due_on": "2026-02-01",
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessment_ready", args=[YEAR]))
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.READY

    # The auditor's page lists the requirements without a verdict and offers no signing yet.
    client.logout()
    login_verified(client, people.auditor)
    page = client.get(reverse("assessment_detail", args=[YEAR]), headers={"accept-language": "en"}).content.decode()
    assert "Give your verdict on every requirement before you sign: 38 have none yet." in page
    assert "Sign the assurance" not in page
    for answer in assessment.answers.order_by("position"):
        response = client.post(
            reverse("answer_edit", args=[YEAR, answer.code]),
            {"auditor_verdict": answer.status, "auditor_comment": "", "lock_version": answer.lock_version},
        )
        assert response.status_code == 302, answer.code

    eva = second_auditor()
    for auditor in (people.auditor, eva):
        client.logout()
        login_verified(client, auditor)
        code, _ = fresh_code(auditor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("assessment_sign", args=[YEAR]), {"code": code, "confirm": "on"})
        assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED
    found = Assurance.objects.get(assessment=assessment)

    pdf = b"".join(client.get(reverse("assurance_pdf", args=[YEAR, 1])).streaming_content)
    document = client.get(reverse("assurance_json", args=[YEAR, 1])).content
    assert hashlib.sha256(pdf).hexdigest() == found.pdf_sha256
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    embedded = reader.attachments[f"assurance-{YEAR}.json"][0]
    assert embedded == document
    record = json.loads(document)
    assert record["content_sha256"] == hashlib.sha256(assessment.frozen_json.encode()).hexdigest()
    text = "".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())
    for answer in assessment.answers.all():
        assert answer.code in text
    assert "Johan Auditor" in text and "Eva Auditor" in text
    assert record["content_sha256"] in flat
    assert "Anta en ny rutin" in text

    result = assurance.verify(pdf)
    assert result.ok, [(c.name, c.detail) for c in result.checks]
    broken = bytearray(pdf)
    broken[len(pdf) // 2] ^= 0x01
    assert not assurance.verify(bytes(broken)).ok

    call_command("assurance_export", str(YEAR), "--out", str(tmp_path))
    assert (tmp_path / f"assurance-{YEAR}.pdf").read_bytes() == pdf
    assert (tmp_path / f"assurance-{YEAR}.json").read_bytes() == document
    call_command("assurance_verify", str(tmp_path / f"assurance-{YEAR}.pdf"))

    # A later change makes a new version; the signed one stays.
    client.logout()
    login_verified(client, people.coordinator)
    client.post(reverse("assessment_new_version", args=[YEAR]))
    assert selectors.current(YEAR).version == 2
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED
    assert assurance.verify(pdf).ok
