"""Issue 17, item 1: no signature without review.

The board cannot send a year to the auditors while its status contradicts the
data without saying why; an auditor cannot sign a year with a requirement
they have not given a verdict on; the page, the signed content and the PDF
show each contradiction with its justification."""

import json
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compliance import content, evidence, services
from compliance.contradictions import contradicts
from compliance.models import AssessmentState, Status
from tests.personas import login_verified

from .cycle import assess_all, give_verdicts, ready_year, second_auditor, sign_as

YEAR = 2025


def _contradicting(assessment):
    answers = list(assessment.answers.order_by("position"))
    found = evidence.evidence_for((a.signal for a in answers), content.evidence_day(assessment.year))
    return [a for a in answers if contradicts(a.status, found.get(a.signal))]


def test_the_rule_met_against_not_ok_and_not_met_against_ok():
    assert contradicts(Status.MET, evidence.Evidence(evidence.NOT_OK, ""))
    assert contradicts(Status.NOT_MET, evidence.Evidence(evidence.OK, ""))
    assert not contradicts(Status.MET, evidence.Evidence(evidence.OK, ""))
    assert not contradicts(Status.PARTLY, evidence.Evidence(evidence.NOT_OK, ""))
    assert not contradicts(Status.MET, evidence.Evidence(evidence.MANUAL, ""))
    assert not contradicts(Status.MET, None)


def test_a_board_that_marks_failing_requirements_met_is_stopped_until_it_explains(people):
    assessment = services.start_year(year=YEAR, by=people.coordinator, from_previous=False)
    assess_all(assessment, people.coordinator, justification="")
    contradicting = _contradicting(assessment)
    assert contradicting, "an empty database fails some signals (no reports sent, no federation export)"

    with pytest.raises(ValidationError) as refused:
        services.mark_ready(assessment=assessment, by=people.coordinator)

    assert refused.value.code == "unexplained"
    for answer in contradicting:
        assert answer.code in refused.value.messages[0]
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DRAFT

    for answer in contradicting:
        answer.refresh_from_db()
        services.save_board_answer(
            answer_id=answer.pk,
            lock_version=answer.lock_version,
            data={"justification": "Rapporten skickades per post; kvittot finns i pärmen."},
            by=people.coordinator,
        )
    services.mark_ready(assessment=assessment, by=people.coordinator)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.READY


def test_the_board_form_asks_why_when_the_status_contradicts_the_data(client, people):
    assessment = services.start_year(year=YEAR, by=people.coordinator, from_previous=False)
    assess_all(assessment, people.coordinator, status=Status.PARTLY)
    answer = assessment.answers.get(code=_contradicting_code(assessment))
    login_verified(client, people.coordinator)
    url = reverse("answer_edit", args=[YEAR, answer.code])
    data = {"status": Status.MET, "comment": "Klart", "lock_version": answer.lock_version}

    response = client.post(url, data, headers={"accept-language": "en"})

    assert response.status_code == 200
    assert "Write why the board's status is different." in unescape(response.content.decode())
    answer.refresh_from_db()
    assert answer.status == Status.PARTLY  # nothing saved

    response = client.post(url, {**data, "justification": "Beslut i styrelsen 12/11 §4."})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.status, answer.justification) == (Status.MET, "Beslut i styrelsen 12/11 §4.")


def _contradicting_code(assessment) -> str:
    """A requirement whose signal is not ok in an empty database."""
    answers = list(assessment.answers.order_by("position"))
    found = evidence.evidence_for((a.signal for a in answers), content.evidence_day(assessment.year))
    return next(a.code for a in answers if found.get(a.signal) and found[a.signal].state == evidence.NOT_OK)


def test_auditors_cannot_sign_a_year_they_have_not_assessed(client, people):
    assessment = ready_year(YEAR, people.coordinator, verdicts=False)
    login_verified(client, people.auditor)
    page = client.get(reverse("assessment_detail", args=[YEAR]), headers={"accept-language": "en"}).content.decode()
    assert "Give your verdict on every requirement before you sign: 38 have none yet." in page
    assert 'action="/compliance/years/2025/sign/"' not in page

    with pytest.raises(ValidationError) as refused:
        sign_as(assessment, people.auditor)
    assert refused.value.code == "no_verdict"
    assert not assessment.signatures.exists()

    give_verdicts(assessment, people.auditor)
    last = assessment.answers.order_by("position").last()
    last.refresh_from_db()
    services.save_auditor_answer(
        answer_id=last.pk,
        lock_version=last.lock_version,
        data={"auditor_verdict": Status.UNASSESSED, "auditor_comment": ""},
        by=people.auditor,
    )
    with pytest.raises(ValidationError) as refused:
        sign_as(assessment, people.auditor)
    assert refused.value.code == "no_verdict" and last.code in refused.value.messages[0]

    give_verdicts(assessment, people.auditor)
    sign_as(assessment, people.auditor)
    sign_as(assessment, second_auditor())
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED


def test_the_signed_content_and_the_pages_show_each_contradiction_with_its_justification(client, people):
    assessment = ready_year(YEAR, people.coordinator)
    contradicting = {a.code for a in _contradicting(assessment)}
    assert contradicting
    sign_as(assessment, people.auditor)
    assessment.refresh_from_db()

    signed = {r["code"]: r for r in json.loads(assessment.frozen_json)["requirements"]}
    assert {code for code, r in signed.items() if r["contradicts_the_data"]} == contradicting
    for code in contradicting:
        assert signed[code]["justification"].startswith("Styrelsen har gått igenom underlaget")

    login_verified(client, people.auditor)
    page = client.get(reverse("assessment_detail", args=[YEAR]), headers={"accept-language": "en"}).content.decode()
    assert "status differs from the data:" in page
    for code in contradicting:
        assert f'<a href="#req-{code}">{code}</a>' in page
