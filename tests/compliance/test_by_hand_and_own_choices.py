"""Issue 17, item 4: the jour's choices are named as the jour's, and what the
site cannot evidence is assessed by hand with a comment that says how."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from compliance import by_hand, reminders, services
from compliance.models import Status
from jour import formatting
from tests.personas import login_verified

from .cycle import assess_all

YEAR = 2025


def test_minerva_requirements_say_why_they_are_assessed_by_hand():
    with translation.override("en"):
        assert "Minerva" in by_hand.reason("G11", "") and "outside this site" in by_hand.reason("G11", "")
        assert "Minerva" in by_hand.reason("C3", "")
        assert by_hand.reason("S9", "") == "The site holds no data for this requirement."
    assert by_hand.reason("S6", "first_contact_kpi") == ""


@pytest.mark.parametrize("status", [Status.MET, Status.NOT_MET, Status.PARTLY, Status.NOT_APPLICABLE])
def test_any_status_of_a_requirement_assessed_by_hand_needs_a_comment(client, people, status):
    assessment = services.start_year(year=YEAR, by=people.coordinator, from_previous=False)
    answer = assessment.answers.get(code="G11")
    login_verified(client, people.coordinator)
    url = reverse("answer_edit", args=[YEAR, "G11"])

    response = client.post(
        url, {"status": status, "comment": " ", "lock_version": answer.lock_version}, headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    assert "Assessed by hand: Minerva" in response.content.decode()
    answer.refresh_from_db()
    assert answer.status == Status.UNASSESSED

    response = client.post(
        url, {"status": status, "comment": "Kontrollerat i Minerva 12/11.", "lock_version": answer.lock_version}
    )
    assert response.status_code == 302


def test_the_year_is_not_ready_while_a_hand_assessed_requirement_has_no_comment(people):
    assessment = services.start_year(year=YEAR, by=people.coordinator, from_previous=False)
    assess_all(assessment, people.coordinator)
    g11 = assessment.answers.get(code="G11")
    services.save_board_answer(
        answer_id=g11.pk, lock_version=g11.lock_version, data={"comment": ""}, by=people.coordinator
    )
    with pytest.raises(ValidationError) as refused:
        services.mark_ready(assessment=assessment, by=people.coordinator)
    assert refused.value.code == "by_hand" and "G11" in refused.value.messages[0]


def test_the_target_and_the_deadlines_are_the_jours_own(client, people, mailoutbox, settings):
    settings.JOUR_FEDERATION_DEADLINE, settings.JOUR_REMINDER_WEEKS = "04-30", 4
    reminders.send_due(date(2026, 4, 2))
    [mail] = [m for m in mailoutbox if people.board.email in m.to]
    assert "jourens egen sista dag" in mail.subject  # e-mails go out in the site's language
    assert "Jourens egen sista dag" in mail.body and "Förbundet bestämmer" in mail.body

    services.start_year(year=YEAR, by=people.coordinator, from_previous=False)
    login_verified(client, people.coordinator)
    page = client.get(reverse("assessment_detail", args=[YEAR]), headers={"accept-language": "en"}).content.decode()
    assert "The jour's own target: 90.0% (the federation sets no share)" in page
    with translation.override("en"):
        due = formatting.day(date(2026, 4, 30))
    assert f"The jour's own deadline for sending it to the federation: {due}." in page
