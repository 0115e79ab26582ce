"""Adding and editing a volunteer assignment, with the confidentiality pledge's
scan: checked by content and size, stored under a generated name, refused
with a clear field error that keeps everything else typed."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from jour.models import Role
from members.models import Person, VolunteerAssignment
from tests.personas import login_verified

PDF = b"%PDF-1.4\n% a scanned pledge\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TEN_MB = 10 * 1024 * 1024


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
        "pledge_signed_on": "2024-02-28",
        "capacity": "3",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response, field):
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def test_urls_are_named(person):
    assert reverse("volunteer_create", args=[person.pk]) == f"/people/{person.pk}/volunteering/new/"
    assert reverse("volunteer_edit", args=[7]) == "/people/volunteering/7/edit/"


def test_the_form_starts_today(coordinator_client, person):
    response = coordinator_client.get(reverse("volunteer_create", args=[person.pk]))
    assert response.status_code == 200
    assert response.context["form"]["start"].value() == timezone.localdate()
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "end" not in response.context["form"].fields  # ending goes through end_engagement


def test_create_with_a_scan(coordinator_client, person, media):
    scan = SimpleUploadedFile("Vera tystnadslöfte.pdf", PDF, content_type="application/pdf")
    response = coordinator_client.post(
        reverse("volunteer_create", args=[person.pk]), form_data(witness_supporter="on", pledge_scan=scan)
    )
    assert response.status_code == 302 and response["Location"] == reverse("volunteer_list")
    assignment = VolunteerAssignment.objects.get(person=person)
    assert (assignment.start, assignment.capacity) == (date(2024, 3, 1), 3)
    assert assignment.support_person and assignment.witness_supporter
    assert assignment.basic_training_on == date(2024, 2, 10) and assignment.pledge_signed_on == date(2024, 2, 28)
    assert assignment.end is None
    name = assignment.pledge_scan.name
    assert name.startswith("pledges/") and name.endswith(".pdf") and "Vera" not in name
    assert (media / name).read_bytes() == PDF
    assert stored_files(media) == [media / name]
    # The audit entry has an actor and holds no client file name.
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(VolunteerAssignment), action=LogEntry.Action.CREATE
    )
    assert entry.actor_id is not None and "Vera" not in str(entry.changes)


def test_create_without_a_scan(coordinator_client, person, media):
    response = coordinator_client.post(
        reverse("volunteer_create", args=[person.pk]), form_data(pledge_signed_on="", basic_training_on="")
    )
    assert response.status_code == 302
    assignment = VolunteerAssignment.objects.get(person=person)
    assert not assignment.pledge_scan and assignment.pledge_signed_on is None
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("pledge.pdf", b"This is plain text pretending to be a PDF.", "file_type"),
        ("pledge.pdf", b"<!doctype html><script>alert(1)</script>", "file_type"),
        ("pledge.png", b"GIF89a not accepted", "file_type"),
        ("pledge.pdf", PDF + b"0" * (TEN_MB + 1 - len(PDF)), "file_too_large"),
    ],
    ids=["text-as-pdf", "html-as-pdf", "gif-as-png", "oversize"],
)
def test_a_refused_scan_is_a_field_error_and_keeps_what_was_typed(
    coordinator_client, person, media, name, content, code
):
    scan = SimpleUploadedFile(name, content, content_type="application/pdf")
    data = form_data(witness_supporter="on", capacity="4", pledge_scan=scan)
    response = coordinator_client.post(reverse("volunteer_create", args=[person.pk]), data)
    assert response.status_code == 200
    assert errors_of(response, "pledge_scan") == [code]
    assert list(response.context["form"].errors) == ["pledge_scan"]
    with override("en"):
        message = response.context["form"].errors["pledge_scan"][0]
    assert ("PDF" in message) if code == "file_type" else ("10 MB" in message)
    html = response.content.decode()
    assert 'value="2024-03-01"' in html and 'value="2024-02-28"' in html and 'value="4"' in html
    assert response.context["form"]["witness_supporter"].value() is True
    assert not VolunteerAssignment.objects.exists()
    assert stored_files(media) == []


def test_a_path_trick_in_the_file_name_is_neutralised(coordinator_client, person, media, tmp_path):
    scan = SimpleUploadedFile("../../etc/passwd.pdf", PNG, content_type="application/pdf")
    response = coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data(pledge_scan=scan))
    assert response.status_code == 302
    name = VolunteerAssignment.objects.get(person=person).pledge_scan.name
    assert name.startswith("pledges/") and name.endswith(".png") and "passwd" not in name
    assert stored_files(media) == [media / name]
    assert not (tmp_path / "etc").exists()


def test_a_role_is_required(coordinator_client, person):
    response = coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data(support_person=None))
    assert response.status_code == 200
    assert response.context["form"].errors["support_person"]
    assert not VolunteerAssignment.objects.exists()


def test_a_scan_needs_the_signing_date(coordinator_client, person, media):
    scan = SimpleUploadedFile("p.pdf", PDF)
    response = coordinator_client.post(
        reverse("volunteer_create", args=[person.pk]), form_data(pledge_signed_on="", pledge_scan=scan)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pledge_signed_on"]
    assert stored_files(media) == []


def test_dates_in_the_future_are_refused(coordinator_client, person):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = coordinator_client.post(
        reverse("volunteer_create", args=[person.pk]), form_data(pledge_signed_on=tomorrow, basic_training_on=tomorrow)
    )
    assert errors_of(response, "pledge_signed_on") == ["future"]
    assert errors_of(response, "basic_training_on") == ["future"]


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
def assignment_with_scan(coordinator_client, person, media):
    scan = SimpleUploadedFile("first.pdf", PDF)
    coordinator_client.post(reverse("volunteer_create", args=[person.pk]), form_data(pledge_scan=scan))
    return VolunteerAssignment.objects.get(person=person)


def test_editing_keeps_the_scan_when_no_new_file_is_chosen(
    coordinator_client, assignment_with_scan, media, django_capture_on_commit_callbacks
):
    name = assignment_with_scan.pledge_scan.name
    url = reverse("volunteer_edit", args=[assignment_with_scan.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, form_data(capacity="1"))
    assert response.status_code == 302
    assignment_with_scan.refresh_from_db()
    assert assignment_with_scan.capacity == 1 and assignment_with_scan.pledge_scan.name == name
    assert stored_files(media) == [media / name]


def test_replacing_the_scan_removes_the_old_file(
    coordinator_client, assignment_with_scan, media, django_capture_on_commit_callbacks
):
    old = assignment_with_scan.pledge_scan.name
    url = reverse("volunteer_edit", args=[assignment_with_scan.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, form_data(pledge_scan=SimpleUploadedFile("new.png", PNG)))
    assert response.status_code == 302
    assignment_with_scan.refresh_from_db()
    new = assignment_with_scan.pledge_scan.name
    assert new != old and new.endswith(".png")
    assert stored_files(media) == [media / new]


def test_deleting_the_scan(coordinator_client, assignment_with_scan, media, django_capture_on_commit_callbacks):
    url = reverse("volunteer_edit", args=[assignment_with_scan.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, form_data(remove_pledge_scan="on"))
    assert response.status_code == 302
    assignment_with_scan.refresh_from_db()
    assert not assignment_with_scan.pledge_scan
    assert stored_files(media) == []


def test_a_refused_replacement_keeps_the_stored_scan(coordinator_client, assignment_with_scan, media):
    name = assignment_with_scan.pledge_scan.name
    url = reverse("volunteer_edit", args=[assignment_with_scan.pk])
    response = coordinator_client.post(
        url, form_data(capacity="5", pledge_scan=SimpleUploadedFile("evil.pdf", b"#!/bin/sh\nrm -rf /\n"))
    )
    assert response.status_code == 200 and errors_of(response, "pledge_scan") == ["file_type"]
    assignment_with_scan.refresh_from_db()
    assert assignment_with_scan.pledge_scan.name == name and assignment_with_scan.capacity == 3
    assert stored_files(media) == [media / name]


def test_editing_does_not_end_the_assignment(coordinator_client, assignment_with_scan):
    url = reverse("volunteer_edit", args=[assignment_with_scan.pk])
    coordinator_client.post(url, form_data(end="2024-12-31"))
    assignment_with_scan.refresh_from_db()
    assert assignment_with_scan.end is None


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
