"""The confidentiality pledge is the person's: recorded on the person's page for
a volunteer, an employee or a board member alike, with a scan that is checked
by content and size, stored under a generated name, deletable when it is the
wrong file, and removed from disk when the person is erased."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from jour import formatting
from jour.models import Role
from members import services
from members.models import BoardTerm, ConfidentialityPledge, Employment, Person
from tests.personas import client_for, login_verified

PDF = b"%PDF-1.4\n% a scanned pledge\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TEN_MB = 10 * 1024 * 1024
TODAY = timezone.localdate()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def coordinator_client(people):
    return client_for(people.coordinator)


@pytest.fixture
def chair(db):
    """A board member: no volunteer assignment, so before the pledge became the person's there was nowhere to put it."""
    person = Person.objects.create(name="Britt Ordförande", email="britt@people.example")
    BoardTerm.objects.create(person=person, role="chair", start=date(2024, 1, 1))
    return person


@pytest.fixture
def employee(db):
    person = Person.objects.create(name="Edvin Anställd", email="edvin@people.example")
    Employment.objects.create(person=person, title="Samordnare", start=date(2024, 1, 1))
    return person


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def pledge_data(**overrides) -> dict:
    data = {"pledge-signed_on": "2024-02-28", "pledge-template_version": "2021-09", **overrides}
    return {key: value for key, value in data.items() if value is not None}


def record(client, person, **overrides):
    return client.post(reverse("pledge_create", args=[person.pk]), pledge_data(**overrides))


def errors_of(response, field):
    return [error.code for error in response.context["pledge_form"].errors.as_data().get(field, [])]


def test_urls_are_named():
    assert reverse("pledge_create", args=[4]) == "/people/4/pledges/new/"
    assert reverse("pledge_scan_delete", args=[4, 9]) == "/people/4/pledges/9/delete-scan/"


@pytest.mark.parametrize("who", ["chair", "employee"])
def test_a_board_members_and_an_employees_pledge_is_recorded_with_its_scan(
    people, coordinator_client, media, request, who
):
    person = request.getfixturevalue(who)
    scan = SimpleUploadedFile(f"{person.name} tystnadslöfte.pdf", PDF, content_type="application/pdf")
    response = record(coordinator_client, person, **{"pledge-scan": scan, "pledge-template_version": " 2021-09 "})
    assert response.status_code == 302 and response["Location"] == reverse("person_detail", args=[person.pk])
    pledge = ConfidentialityPledge.objects.get(person=person)
    assert (pledge.signed_on, pledge.template_version) == (date(2024, 2, 28), "2021-09")
    assert pledge.recorded_by == people.coordinator and pledge.recorded_at
    name = pledge.scan.name
    assert name.startswith("pledges/") and name.endswith(".pdf") and person.name.split()[0] not in name
    assert stored_files(media) == [media / name] and (media / name).read_bytes() == PDF
    # Audited with an actor, and the client's file name is nowhere in it.
    entry = LogEntry.objects.get_for_object(pledge).get(action=LogEntry.Action.CREATE)
    assert entry.actor == people.coordinator and "tystnadslöfte" not in str(entry.changes)

    page = coordinator_client.get(reverse("person_detail", args=[person.pk]))
    assert list(page.context["pledges"]) == [pledge]
    html = page.content.decode()
    with override("en"):
        assert formatting.day(date(2024, 2, 28)) in html and "2021-09" in html
    assert reverse("pledge_download", args=[pledge.pk]) in html
    assert reverse("pledge_scan_delete", args=[person.pk, pledge.pk]) in html


def test_a_pledge_without_a_scan(coordinator_client, chair, media):
    response = record(coordinator_client, chair, **{"pledge-template_version": ""})
    assert response.status_code == 302
    pledge = ConfidentialityPledge.objects.get(person=chair)
    assert not pledge.scan and pledge.template_version == ""
    assert stored_files(media) == []


def test_the_signing_date_is_required_and_not_in_the_future(coordinator_client, chair, media):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = record(coordinator_client, chair, **{"pledge-signed_on": tomorrow})
    assert response.status_code == 400 and errors_of(response, "signed_on") == ["future"]
    response = record(
        coordinator_client, chair, **{"pledge-signed_on": "", "pledge-scan": SimpleUploadedFile("p.pdf", PDF)}
    )
    assert response.status_code == 400 and errors_of(response, "signed_on") == ["required"]
    assert not ConfidentialityPledge.objects.exists() and stored_files(media) == []


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
    people, coordinator_client, chair, media, name, content, code
):
    scan = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = record(coordinator_client, chair, **{"pledge-scan": scan})
    assert response.status_code == 400
    form = response.context["pledge_form"]
    assert errors_of(response, "scan") == [code] and list(form.errors) == ["scan"]
    with override("en"):
        message = form.errors["scan"][0]
    assert ("PDF" in message) if code == "file_type" else ("10 MB" in message)
    html = response.content.decode()
    assert 'value="2024-02-28"' in html and 'value="2021-09"' in html
    assert "Browsers do not keep a chosen file" in html
    assert not ConfidentialityPledge.objects.exists() and stored_files(media) == []
    # The page that comes back shows the person: it records the access as the page does.
    entry = LogEntry.objects.get_for_object(chair).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == people.coordinator


def test_a_path_trick_in_the_file_name_is_neutralised(coordinator_client, chair, media, tmp_path):
    scan = SimpleUploadedFile("../../etc/passwd.pdf", PNG, content_type="application/pdf")
    assert record(coordinator_client, chair, **{"pledge-scan": scan}).status_code == 302
    name = ConfidentialityPledge.objects.get(person=chair).scan.name
    assert name.startswith("pledges/") and name.endswith(".png") and "passwd" not in name
    assert stored_files(media) == [media / name]
    assert not (tmp_path / "etc").exists()


def test_the_same_day_again_updates_that_pledge_and_replaces_its_scan(
    coordinator_client, chair, media, django_capture_on_commit_callbacks
):
    record(coordinator_client, chair, **{"pledge-scan": SimpleUploadedFile("wrong.pdf", PDF)})
    old = ConfidentialityPledge.objects.get().scan.name
    with django_capture_on_commit_callbacks(execute=True):
        response = record(
            coordinator_client,
            chair,
            **{"pledge-template_version": "2021-09-24", "pledge-scan": SimpleUploadedFile("right.png", PNG)},
        )
    assert response.status_code == 302
    pledge = ConfidentialityPledge.objects.get()
    assert pledge.template_version == "2021-09-24" and pledge.scan.name != old and pledge.scan.name.endswith(".png")
    assert stored_files(media) == [media / pledge.scan.name]


def test_another_day_is_another_pledge(coordinator_client, chair):
    record(coordinator_client, chair)
    record(coordinator_client, chair, **{"pledge-signed_on": "2025-01-15"})
    assert list(chair.pledges.values_list("signed_on", flat=True)) == [date(2025, 1, 15), date(2024, 2, 28)]


def test_a_wrong_scan_is_deleted_and_the_pledge_stays(
    people, coordinator_client, chair, media, django_capture_on_commit_callbacks
):
    record(coordinator_client, chair, **{"pledge-scan": SimpleUploadedFile("wrong.pdf", PDF)})
    pledge = ConfidentialityPledge.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("pledge_scan_delete", args=[chair.pk, pledge.pk]), follow=True)
    assert response.status_code == 200
    assert "The stored scan is deleted. The pledge and its date stay." in response.content.decode()
    pledge.refresh_from_db()
    assert not pledge.scan and pledge.signed_on == date(2024, 2, 28)
    assert stored_files(media) == []
    assert LogEntry.objects.get_for_object(pledge).filter(action=LogEntry.Action.UPDATE, actor=people.coordinator)


def test_a_pledge_of_someone_else_is_not_found(coordinator_client, chair, employee, media):
    record(coordinator_client, chair, **{"pledge-scan": SimpleUploadedFile("p.pdf", PDF)})
    pledge = ConfidentialityPledge.objects.get()
    response = coordinator_client.post(reverse("pledge_scan_delete", args=[employee.pk, pledge.pk]))
    assert response.status_code == 404
    assert coordinator_client.post(reverse("pledge_create", args=[999999]), pledge_data()).status_code == 404
    pledge.refresh_from_db()
    assert pledge.scan and len(stored_files(media)) == 1


@pytest.mark.parametrize("role", [Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR])
def test_others_can_neither_record_nor_delete(people, chair, media, role):
    pledge = services.record_pledge(
        person=chair, signed_on=date(2024, 1, 1), upload=SimpleUploadedFile("p.pdf", PDF), by=people.coordinator
    )
    client = Client()
    login_verified(client, people.by_role()[role])
    scan = SimpleUploadedFile("x.pdf", PDF)
    assert (
        client.post(reverse("pledge_create", args=[chair.pk]), pledge_data(**{"pledge-scan": scan})).status_code == 403
    )
    assert client.post(reverse("pledge_scan_delete", args=[chair.pk, pledge.pk])).status_code == 403
    pledge.refresh_from_db()
    assert pledge.scan and ConfidentialityPledge.objects.count() == 1 and len(stored_files(media)) == 1


def test_erasing_the_person_deletes_their_scans_from_disk(people, coordinator_client, chair, media):
    for day in ("2023-05-01", "2024-02-28"):
        record(coordinator_client, chair, **{"pledge-signed_on": day, "pledge-scan": SimpleUploadedFile("p.pdf", PDF)})
    other = services.record_pledge(
        person=Person.objects.create(name="Annan"),
        signed_on=TODAY,
        upload=SimpleUploadedFile("o.pdf", PDF),
        by=people.coordinator,
    )
    assert len(stored_files(media)) == 3
    page = coordinator_client.get(reverse("person_erase", args=[chair.pk]))
    assert page.context["pledge_scans"] == 2
    services.erase_person(person=chair, by=people.coordinator)
    assert stored_files(media) == [media / other.scan.name]
    assert list(ConfidentialityPledge.objects.all()) == [other]
