"""Figure 9: who changed what, with an actor; personal data masked entirely."""

import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from jour import services as accounts
from jour.models import Invitation, User
from tests.personas import login_verified


def _entries_for(obj):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk))


def test_a_change_is_logged_once_with_its_actor(people):
    accounts.deactivate_user(user=people.alex, by=people.coordinator)
    entries = _entries_for(people.alex).filter(action=LogEntry.Action.UPDATE)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == people.coordinator
    assert set(entry.changes_dict) >= {"is_active", "deactivated_at"}


def test_personal_data_is_masked_entirely_and_object_repr_identifies_nothing(client, people):
    login_verified(client, people.coordinator)
    # Invitations start on a person's page; the invitation itself is jour's (audited the same way).
    accounts.invite_user(email="ingrid.secret@jour.test", name="Ingrid Hemlig", role="auditor", by=people.coordinator)
    alex = User.objects.get(pk=people.alex.pk)
    alex.name = "Alexandra Newname"
    alex.email = "alexandra@jour.test"
    alex.save()

    dumped = json.dumps(list(LogEntry.objects.values("changes", "changes_text", "object_repr", "serialized_data")))
    for secret in ["ingrid", "Hemlig", "Alexandra", "alexandra@", "Newname", "Alex Support", "alex@jour"]:
        assert secret.lower() not in dumped.lower(), secret
    # Half-masked values (auditlog's default) would keep the tail visible.
    invitation_entry = _entries_for(Invitation.objects.get()).get(action=LogEntry.Action.CREATE)
    assert invitation_entry.changes_dict["email"][1] == "********"


def test_opening_an_account_page_records_an_access_entry(client, people):
    login_verified(client, people.coordinator)
    client.get(reverse("account_detail", args=[people.alex.pk]))
    access = _entries_for(people.alex).filter(action=LogEntry.Action.ACCESS)
    assert access.count() == 1
    assert access.get().actor == people.coordinator


def test_the_audit_log_is_read_only_and_for_coordinators(client, people):
    accounts.deactivate_user(user=people.sam, by=people.coordinator)
    login_verified(client, people.coordinator)
    page = client.get(reverse("audit_log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kim Coordinator" in html and "användare #" in html  # the record's kind in the UI's language
    before = LogEntry.objects.count()
    assert client.post(reverse("audit_log")).status_code == 405
    assert LogEntry.objects.count() == before

    login_verified(client, people.board)
    assert client.get(reverse("audit_log")).status_code == 403


def test_the_audit_log_filters_by_action_with_htmx(client, people):
    accounts.deactivate_user(user=people.sam, by=people.coordinator)
    login_verified(client, people.coordinator)
    client.get(reverse("account_detail", args=[people.sam.pk]))
    response = client.get(reverse("audit_log"), {"action": "3"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.count("<tr>") == 2  # header row + the one access entry


def test_the_audit_log_runs_a_constant_number_of_queries(client, people, django_assert_max_num_queries):
    login_verified(client, people.coordinator)
    for _ in range(20):
        accounts.deactivate_user(user=people.sam, by=people.coordinator)
        accounts.reactivate_user(user=people.sam, by=people.coordinator)
    with django_assert_max_num_queries(12):
        client.get(reverse("audit_log"))
