"""Adding and editing a volunteer assignment: roles, training and capacity.
The confidentiality pledge is not here any more: it is the person's
(tests/members/test_pledges.py), and the form says where it went."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jour.models import Role
from members.models import ConfidentialityPledge, Person, VolunteerAssignment
from tests.personas import login_verified

PDF = b"%PDF-1.4\n% a scanned pledge\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def coordinator_client(people):
    client = Client()
    login_verified(client, people.coordinator)
    return client


@pytest.fixture
def person(db):
    return Person.objects.create(name="Vera Volontär", email="vera@example.test")


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def form_data(**overrides) -> dict:
    data = {
        "start": "2024-03-01",
        "support_person": "on",
        "basic_training_on": "2024-02-10",
        "capacity": "3",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response, field):
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def test_urls_are_named(person):
    assert reverse("volunteer_create", args=[person.pk]) == f"/people/{person.pk}/volunteering/new/"
    assert reverse("volunteer_edit", args=[7]) == "/people/volunteering/7/edit/"


def test_the_form_starts_today_and_says_where_the_pledge_is(coordinator_client, person):
    coordinator_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator_client.get(reverse("volunteer_create", args=[person.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["start"].value() == timezone.localdate()
    assert "end" not in form.fields  # ending goes through end_engagement
    assert not {"pledge_signed_on", "pledge_scan", "remove_pledge_scan"} & set(form.fields)
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' not in html
    assert 'id="pledge-moved"' in html and reverse("person_detail", args=[person.pk]) in html
    assert "record it, and its scan, on the person's page" in html


def test_create(coordinator_client, person, media):
    # A pledge field sent anyway (an old form in a browser tab) is ignored: nothing is stored.
    scan = SimpleUploadedFile("Vera tystnadslöfte.pdf", PDF, content_type="application/pdf")
    response = coordinator_client.post(
        reverse("volunteer_create", args=[person.pk]),
        form_data(witness_supporter="on", pledge_signed_on="2024-02-28", pledge_scan=scan),
    )
    assert response.status_code == 302 and response["Location"] == reverse("volunteer_list")
    assignment = VolunteerAssignment.objects.get(person=person)
    assert (assignment.start, assignment.capacity) == (date(2024, 3, 1), 3)
    assert assignment.support_person and assignment.witness_supporter
    assert assignment.basic_training_on == date(2024, 2, 10)
    assert assignment.end is None
    assert not ConfidentialityPledge.objects.exists()
    assert stored_files(media) == []
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(VolunteerAssignment), action=LogEntry.Action.CREATE
    )
    assert entry.actor_id is not None


def test_create_without_training(coordinator_client, person):
    response = coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data(basic_training_on=""))
    assert response.status_code == 302
    assert VolunteerAssignment.objects.get(person=person).basic_training_on is None


def test_a_role_is_required(coordinator_client, person):
    response = coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data(support_person=None))
    assert response.status_code == 200
    assert response.context["form"].errors["support_person"]
    assert not VolunteerAssignment.objects.exists()


def test_a_training_date_in_the_future_is_refused(coordinator_client, person):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = coordinator_client.post(
        reverse("volunteer_create", args=[person.pk]), form_data(basic_training_on=tomorrow)
    )
    assert errors_of(response, "basic_training_on") == ["future"]
    assert not VolunteerAssignment.objects.exists()


def test_a_second_active_assignment_is_refused(coordinator_client, person):
    VolunteerAssignment.objects.create(person=person, start=date(2023, 1, 1))
    response = coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert VolunteerAssignment.objects.count() == 1


def test_a_new_assignment_after_an_ended_one_is_fine(coordinator_client, person):
    VolunteerAssignment.objects.create(person=person, start=date(2020, 1, 1), end=date(2021, 1, 1))
    response = coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data())
    assert response.status_code == 302
    assert VolunteerAssignment.objects.count() == 2


def test_a_new_assignment_may_start_the_day_the_last_one_ended(coordinator_client, person):
    VolunteerAssignment.objects.create(person=person, start=date(2020, 1, 1), end=date(2024, 3, 1))
    response = coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data(start="2024-03-01"))
    assert response.status_code == 302
    assert VolunteerAssignment.objects.count() == 2


def test_an_unknown_person_is_404(coordinator_client, db):
    assert coordinator_client.get(reverse("volunteer_create", args=[999999])).status_code == 404


# --- Editing -------------------------------------------------------------------


@pytest.fixture
def assignment(coordinator_client, person):
    coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data())
    return VolunteerAssignment.objects.get(person=person)


def test_editing_changes_what_was_changed(coordinator_client, assignment):
    url = reverse("volunteer_edit", args=[assignment.pk])
    response = coordinator_client.post(url, form_data(capacity="1", witness_supporter="on"))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.capacity == 1 and assignment.witness_supporter and assignment.start == date(2024, 3, 1)


def test_editing_does_not_end_the_assignment(coordinator_client, assignment):
    url = reverse("volunteer_edit", args=[assignment.pk])
    coordinator_client.post(url, form_data(end="2024-12-31"))
    assignment.refresh_from_db()
    assert assignment.end is None


def test_the_start_cannot_move_past_the_end(coordinator_client, person):
    ended = VolunteerAssignment.objects.create(person=person, start=date(2023, 1, 1), end=date(2023, 6, 30))
    response = coordinator_client.post(reverse("volunteer_edit", args=[ended.pk]), form_data(start="2023-07-01"))
    assert response.status_code == 200 and response.context["form"].errors["start"]


def test_opening_the_edit_page_is_logged_as_access(people, coordinator_client, person):
    assignment = VolunteerAssignment.objects.create(person=person, start=date(2023, 1, 1))
    response = coordinator_client.get(reverse("volunteer_edit", args=[assignment.pk]))
    assert response.status_code == 200 and "Vera Volontär" in response.content.decode()
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(VolunteerAssignment),
        object_pk=str(assignment.pk),
        action=LogEntry.Action.ACCESS,
    )
    assert entry.actor == people.coordinator


@pytest.mark.parametrize("role", [Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR])
def test_others_can_neither_see_nor_change(people, person, role, media):
    assignment = VolunteerAssignment.objects.create(person=person, start=date(2023, 1, 1), capacity=2)
    client = Client()
    login_verified(client, people.by_role()[role])
    for url in (reverse("volunteer_create", args=[person.pk]), reverse("volunteer_edit", args=[assignment.pk])):
        assert client.get(url).status_code == 403
        scan = SimpleUploadedFile("p.pdf", PDF)
        assert client.post(url, form_data(capacity="9", pledge_scan=scan)).status_code == 403
    assignment.refresh_from_db()
    assert assignment.capacity == 2 and VolunteerAssignment.objects.count() == 1
    assert stored_files(media) == []
