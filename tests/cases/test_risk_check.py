"""The intake risk check: "immediate danger" guides to 112 and suggests urgent
priority; only a coordinator's confirmation changes the case's deadline."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases.models import Case, Priority, RiskCheck
from tests.partners.helpers import alex_case, case_state, client_for, risk_post, text

GUIDANCE = "Immediate danger: call 112"
CONFIRM_BUTTON = "Confirm: make the case urgent"
SUGGESTED = "The case is suggested as urgent; a coordinator confirms it."


@pytest.fixture
def case(people):
    return alex_case(people)


def _record(client, case, **answers):
    return client.post(reverse("risk_check_create", args=[case.pk]), risk_post(**answers))


def test_danger_shows_guidance_and_suggests_urgent_without_changing_the_case(people, case):
    before = Case.objects.get(pk=case.pk)
    alex = client_for(people.alex)

    response = _record(alex, case, danger="yes")

    assert response.status_code == 302
    check = RiskCheck.objects.get(case=case)
    assert check.danger and check.recorded_by == people.alex
    assert check.urgent_confirmed_at is None

    after = Case.objects.get(pk=case.pk)
    assert after.priority == Priority.NORMAL
    assert after.first_contact_due == before.first_contact_due
    assert after.first_contact_warn_at == before.first_contact_warn_at
    assert after.version == before.version

    alex_page = text(alex.get(reverse("case_detail", args=[case.pk])))
    assert GUIDANCE in alex_page  # the flash message and the panel
    assert "112" in alex_page
    assert SUGGESTED in alex_page
    assert CONFIRM_BUTTON not in alex_page  # a support person cannot confirm

    coordinator_page = text(client_for(people.coordinator).get(reverse("case_detail", args=[case.pk])))
    assert GUIDANCE in coordinator_page
    assert CONFIRM_BUTTON in coordinator_page
    assert reverse("risk_confirm_urgent", args=[case.pk, check.pk]) in coordinator_page


def test_no_danger_shows_no_guidance_and_no_suggestion(people, case):
    alex = client_for(people.alex)
    assert _record(alex, case, danger="no").status_code == 302
    page = text(alex.get(reverse("case_detail", args=[case.pk])))
    assert "The risk check is recorded." in page
    assert GUIDANCE not in page
    assert SUGGESTED not in page


def test_coordinator_confirmation_makes_the_case_urgent_with_an_earlier_deadline(people, case):
    _record(client_for(people.alex), case, danger="yes")
    check = RiskCheck.objects.get(case=case)
    before = Case.objects.get(pk=case.pk)
    coordinator = client_for(people.coordinator)

    response = coordinator.post(reverse("risk_confirm_urgent", args=[case.pk, check.pk]))

    assert response.status_code == 302
    after = Case.objects.get(pk=case.pk)
    assert after.priority == Priority.URGENT
    assert after.first_contact_due < before.first_contact_due
    # 24 working hours from the moment the case reached the jour (was 48).
    from jour.workdays import add_working_hours

    assert after.first_contact_due == add_working_hours(after.received_at, 24)
    check.refresh_from_db()
    assert check.urgent_confirmed_by == people.coordinator
    assert check.urgent_confirmed_at is not None

    page = text(coordinator.get(reverse("case_detail", args=[case.pk])))
    assert "The case is urgent now: first contact within 24 working hours." in page
    assert "Made urgent by Kim Coordinator." in page
    assert CONFIRM_BUTTON not in page  # no longer suggested


def test_support_person_cannot_confirm_urgent(people, case):
    alex = client_for(people.alex)
    _record(alex, case, danger="yes")
    check = RiskCheck.objects.get(case=case)
    before = case_state(case)

    response = alex.post(reverse("risk_confirm_urgent", args=[case.pk, check.pk]))

    assert response.status_code == 403
    assert case_state(case) == before
    assert Case.objects.get(pk=case.pk).priority == Priority.NORMAL


def test_confirming_a_check_without_danger_changes_nothing(people, case):
    _record(client_for(people.alex), case, danger="no")
    check = RiskCheck.objects.get(case=case)
    before = case_state(case)
    coordinator = client_for(people.coordinator)

    response = coordinator.post(reverse("risk_confirm_urgent", args=[case.pk, check.pk]), follow=True)

    assert "Only a risk check that found immediate danger makes a case urgent here." in text(response)
    assert case_state(case) == before


def test_repeated_checks_are_all_kept_and_the_older_shown_as_earlier(people, case):
    _record(client_for(people.alex), case, danger="no", threats="yes")
    coordinator = client_for(people.coordinator)
    _record(coordinator, case, danger="yes", threats="no")

    checks = list(RiskCheck.objects.filter(case=case).order_by("pk"))
    assert [(c.immediate_danger, c.threats_known_person, c.recorded_by) for c in checks] == [
        ("no", "yes", people.alex),
        ("yes", "no", people.coordinator),
    ]

    page = text(coordinator.get(reverse("case_detail", args=[case.pk])))
    latest, _, earlier = page.partition("Earlier risk checks")
    assert earlier, "the earlier checks are listed"
    assert "Recorded " in latest and "by Kim Coordinator." in latest
    earlier_items = re.findall(r"<li>(.*?)</li>", earlier.split("</ul>", 1)[0], re.S)
    assert len(earlier_items) == 1  # the latest is not repeated among the earlier ones
    item = " ".join(earlier_items[0].split())
    assert re.search(r"Alex Support: .*danger No, threats Yes", item), item
    assert "Kim Coordinator" not in item


def test_answers_and_who_recorded_them_are_in_the_audit_log(people, case):
    _record(client_for(people.alex), case, danger="yes", threats="yes", children="no", protected="unknown")
    check = RiskCheck.objects.get(case=case)

    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(RiskCheck),
        object_id=check.pk,
        action=LogEntry.Action.CREATE,
    )
    assert entry.actor == people.alex
    changes = entry.changes_dict
    assert changes["immediate_danger"][1] == "yes"
    assert changes["threats_known_person"][1] == "yes"
    assert changes["children_at_risk"][1] == "no"
    assert changes["protected_identity_needed"][1] == "unknown"
    assert str(changes["recorded_by"][1]) == str(people.alex.pk)


def test_urgent_confirmation_is_in_the_audit_log_with_the_coordinator(people, case):
    _record(client_for(people.alex), case, danger="yes")
    check = RiskCheck.objects.get(case=case)
    client_for(people.coordinator).post(reverse("risk_confirm_urgent", args=[case.pk, check.pk]))

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=case.pk, action=LogEntry.Action.UPDATE
    )
    priority_changes = [e for e in entries if "priority" in e.changes_dict]
    assert len(priority_changes) == 1
    assert priority_changes[0].actor == people.coordinator
    assert priority_changes[0].changes_dict["priority"] == ["normal", "urgent"]


def test_invalid_risk_check_is_400_and_saves_nothing(people, case):
    before = case_state(case)
    response = client_for(people.alex).post(
        reverse("risk_check_create", args=[case.pk]), {"immediate_danger": "perhaps"}
    )
    assert response.status_code == 400
    assert case_state(case) == before


def test_no_answer_is_chosen_before_the_volunteer_chooses(people, case):
    """Three radios per question and none checked: no empty "---------" answer preselected."""
    html = text(client_for(people.alex).get(reverse("case_detail", args=[case.pk])))
    form = html[html.index('action="' + reverse("risk_check_create", args=[case.pk])) :]
    form = form[: form.index("</form>")]
    radios = re.findall(r'<input type="radio"[^>]*>', form)
    assert len(radios) == 12
    assert not [radio for radio in radios if "checked" in radio]
    assert 'value=""' not in form and "---------" not in form


def test_an_unanswered_question_says_what_to_do_and_keeps_the_answers(people, case):
    answers = risk_post(danger="no")
    del answers["children_at_risk"]
    response = client_for(people.alex).post(reverse("risk_check_create", args=[case.pk]), answers)
    assert response.status_code == 400 and not RiskCheck.objects.filter(case=case).exists()
    html = text(response)
    assert html.count("Svara ja, nej eller okänt.") == 1 or html.count("Answer yes, no or not known.") == 1
    assert re.search(r'name="immediate_danger" value="no"[^>]*checked', html)
