"""Actions taken for the seeker ("insatser"): recorded on a case the user may
see, never for a future day or a day before the case reached the jour, never
on a case whose personal data is removed; removed again only by whoever
recorded it or a coordinator, with an audit entry."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import retention, services
from cases.models import Action, ActionKind
from tests.personas import login_verified

from .factories import assign, make_case


@pytest.fixture
def alex_case(people):
    """Reached the jour ten days ago, assigned to Alex."""
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=10))
    assign(case, people.alex, by=people.coordinator)
    return case


def english(client, user):
    """Logged in, reading English: the assertions read the source strings, whatever the .po holds."""
    login_verified(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _post(client, case, **data):
    values = {"done_on": timezone.localdate().isoformat(), "kind": "accompanied_police", **data}
    return client.post(reverse("action_create", args=[case.pk]), values)


def test_alex_records_an_action_on_his_case(client, people, alex_case):
    english(client, people.alex)
    day = timezone.localdate() - timedelta(days=2)
    response = _post(client, alex_case, done_on=day.isoformat(), kind="compensation_help")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{alex_case.pk}/#actions")
    action = Action.objects.get()
    assert (action.case, action.done_on, action.kind, action.done_by) == (
        alex_case,
        day,
        ActionKind.COMPENSATION_HELP,
        people.alex,
    )
    page = client.get(reverse("case_detail", args=[alex_case.pk])).content.decode()
    assert "Help applying for compensation" in page
    assert "Contacts: 0 · Actions: 1" in page


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda case: timezone.localdate() + timedelta(days=1), "cannot be recorded for a day in the future"),
        (lambda case: timezone.localdate(case.received_at) - timedelta(days=1), "the day the case reached the jour"),
    ],
    ids=["future", "before_received"],
)
def test_an_impossible_day_is_refused_on_the_page_with_nothing_lost(client, people, alex_case, when, message):
    english(client, people.alex)
    day = when(alex_case).isoformat()
    response = _post(client, alex_case, done_on=day, kind="legal_information")
    assert response.status_code == 400
    form = response.context["action_form"]
    assert list(form.errors) == ["done_on"]
    assert message in form.errors["done_on"][0]
    # What was typed is still in the form, and the form is open.
    assert form["done_on"].value() == day and form["kind"].value() == "legal_information"
    assert "cases/case_detail.html" in [t.name for t in response.templates]
    assert Action.objects.count() == 0


def test_the_day_the_case_came_and_today_are_both_accepted(people, alex_case):
    first = timezone.localdate(alex_case.received_at)
    services.record_action(case=alex_case, done_on=first, kind="other", by=people.alex)
    services.record_action(case=alex_case, done_on=timezone.localdate(), kind="other", by=people.alex)
    assert Action.objects.count() == 2


def test_an_unknown_kind_is_refused(client, people, alex_case):
    login_verified(client, people.alex)
    response = _post(client, alex_case, kind="cup_of_coffee")
    assert response.status_code == 400
    assert list(response.context["action_form"].errors) == ["kind"]
    with pytest.raises(ValidationError) as refused:
        services.record_action(case=alex_case, done_on=timezone.localdate(), kind="cup_of_coffee", by=people.alex)
    assert "kind" in refused.value.message_dict
    assert Action.objects.count() == 0


def test_a_closed_case_takes_an_action_an_anonymised_one_does_not(client, people, alex_case):
    services.close_case(case=alex_case, reason="completed", by=people.coordinator)
    services.record_action(case=alex_case, done_on=timezone.localdate(), kind="practical_help", by=people.coordinator)
    retention.anonymise(case=alex_case, rule="test", by=people.coordinator)
    english(client, people.coordinator)
    response = _post(client, alex_case)
    assert response.status_code == 400
    assert Action.objects.count() == 1
    page = response.content.decode()
    assert "nothing more is recorded on it" in page
    # No form to record another, no button to remove the one counted.
    assert f'action="{reverse("action_create", args=[alex_case.pk])}"' not in page
    assert "/delete/" not in page


def test_sam_cannot_reach_alexs_case(client, people, alex_case):
    action = services.record_action(case=alex_case, done_on=timezone.localdate(), kind="other", by=people.alex)
    login_verified(client, people.sam)
    assert _post(client, alex_case).status_code == 404
    delete = reverse("action_delete", args=[alex_case.pk, action.pk])
    assert client.post(delete).status_code == 404
    assert list(Action.objects.values_list("pk", flat=True)) == [action.pk]


@pytest.mark.parametrize("who", ["board", "auditor"])
def test_board_and_auditors_record_nothing(client, people, alex_case, who):
    login_verified(client, getattr(people, who))
    assert _post(client, alex_case).status_code == 403
    assert Action.objects.count() == 0


def test_an_action_of_another_case_is_not_found_through_this_one(client, people, alex_case):
    other = make_case(people.coordinator)
    action = services.record_action(case=other, done_on=timezone.localdate(), kind="other", by=people.coordinator)
    login_verified(client, people.coordinator)
    assert client.post(reverse("action_delete", args=[alex_case.pk, action.pk])).status_code == 404
    assert Action.objects.filter(pk=action.pk).exists()


# --- removing one recorded by mistake -------------------------------------------------------


def _deletions(action_pk):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Action),
        object_pk=str(action_pk),
        action=LogEntry.Action.DELETE,
    )


@pytest.mark.parametrize("remover", ["alex", "coordinator"])
def test_the_recorder_or_a_coordinator_removes_it_and_the_log_says_who(client, people, alex_case, remover):
    action = services.record_action(case=alex_case, done_on=timezone.localdate(), kind="other", by=people.alex)
    login_verified(client, getattr(people, remover))
    response = client.post(reverse("action_delete", args=[alex_case.pk, action.pk]))
    assert response.status_code == 302
    assert not Action.objects.exists()
    entry = _deletions(action.pk).get()
    assert entry.actor == getattr(people, remover)
    # A second click finds nothing to remove and changes nothing.
    assert client.post(reverse("action_delete", args=[alex_case.pk, action.pk])).status_code == 404
    assert _deletions(action.pk).count() == 1


def test_another_support_person_on_the_case_cannot_remove_it(client, people, alex_case):
    assign(alex_case, people.sam, by=people.coordinator)
    action = services.record_action(case=alex_case, done_on=timezone.localdate(), kind="other", by=people.alex)
    login_verified(client, people.sam)
    page = client.get(reverse("case_detail", args=[alex_case.pk])).content.decode()
    assert reverse("action_delete", args=[alex_case.pk, action.pk]) not in page
    response = client.post(reverse("action_delete", args=[alex_case.pk, action.pk]), follow=True)
    assert response.status_code == 200
    assert Action.objects.filter(pk=action.pk).exists()
    assert not _deletions(action.pk).exists()
    with pytest.raises(ValidationError):
        services.remove_action(action=action, by=people.sam)


def test_an_action_on_an_anonymised_case_stays(people, alex_case):
    action = services.record_action(case=alex_case, done_on=timezone.localdate(), kind="other", by=people.alex)
    services.close_case(case=alex_case, reason="completed", by=people.coordinator)
    retention.anonymise(case=alex_case, rule="test", by=people.coordinator)
    with pytest.raises(ValidationError):
        services.remove_action(action=action, by=people.coordinator)
    assert Action.objects.filter(pk=action.pk).exists()


def test_recording_writes_an_audit_entry_with_its_actor(people, alex_case):
    action = services.record_action(case=alex_case, done_on=timezone.localdate(), kind="other", by=people.alex)
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Action), object_pk=str(action.pk), action=LogEntry.Action.CREATE
    )
    assert entry.actor == people.alex
    assert str(action) == f"action #{action.pk}"  # names nothing


def test_the_seeker_data_export_lists_the_actions(people, alex_case):
    from cases import seeker_data

    services.record_action(case=alex_case, done_on=timezone.localdate(), kind="accompanied_other", by=people.alex)
    export = seeker_data.collect(alex_case, language="en").as_dict()
    (actions,) = [case["actions"] for case in export["cases"]]
    assert actions == [
        {
            "done_on": timezone.localdate().isoformat(),
            "kind": "Went with the seeker to healthcare or an authority",
            "done_by": "Alex Support",
            "recorded_at": actions[0]["recorded_at"],
        }
    ]


def test_seed_demo_records_a_few_actions_once(db, settings):
    from django.core.management import call_command

    settings.JOUR_ENV = "development"  # seed_demo refuses production only
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Action.objects.count() == 3
    assert set(Action.objects.values_list("done_by__email", flat=True)) == {"stodperson@demo.example"}
