"""Figure 12, the view: a pledge scan is handed out only to coordinators, as a
download, with its access logged; nobody else gets it, by any URL. The pledge
is the person's (members.models.ConfidentialityPledge)."""

from datetime import date
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jour import uploads
from jour.models import Role
from members.models import ConfidentialityPledge, Person, VolunteerAssignment
from tests.personas import login_password_only, login_verified

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def pledge(people, media):
    """Alex's own scanned pledge (Alex is a volunteer: the account stays open)."""
    person = Person.objects.create(name="Alex Support", account=people.alex)
    VolunteerAssignment.objects.create(person=person, start=date(2024, 1, 1), basic_training_on=date(2024, 1, 1))
    name = uploads.store(SimpleUploadedFile("Alex pledge.pdf", JPEG), "pledges")
    return ConfidentialityPledge.objects.create(person=person, signed_on=date(2024, 1, 1), scan=name)


def url(pledge) -> str:
    return reverse("pledge_download", args=[pledge.pk])


def access_entries(pledge):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ConfidentialityPledge),
        object_pk=str(pledge.pk),
        action=LogEntry.Action.ACCESS,
    )


def test_the_url_is_named():
    assert reverse("pledge_download", args=[3]) == "/people/pledges/3/scan/"


def test_a_coordinator_downloads_it_as_an_attachment(people, pledge):
    client = Client()
    login_verified(client, people.coordinator)
    response = client.get(url(pledge))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'attachment; filename="pledge-{pledge.pk}.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Alex" not in response["Content-Disposition"]
    entry = access_entries(pledge).get()
    assert entry.actor == people.coordinator


@pytest.mark.parametrize("role", [Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR])
def test_nobody_else_gets_it_not_even_the_volunteer_whose_pledge_it_is(people, pledge, role):
    client = Client()
    login_verified(client, people.by_role()[role])  # the support person is Alex, whose pledge it is
    for method in (client.get, client.post):
        response = method(url(pledge))
        assert response.status_code == 403
        assert JPEG not in response.content
    assert not access_entries(pledge).exists()


def test_anonymous_is_sent_to_login_and_a_password_alone_to_the_second_factor(people, pledge):
    anonymous = Client().get(url(pledge))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    half = Client()
    login_password_only(half, people.coordinator)
    response = half.get(url(pledge))
    assert response.status_code == 302 and response["Location"].startswith(reverse("verify"))


def test_not_found_without_a_scan_or_when_the_file_is_gone(people, pledge, media):
    client = Client()
    login_verified(client, people.coordinator)
    without = ConfidentialityPledge.objects.create(person=Person.objects.create(name="N"), signed_on=date(2024, 1, 1))
    assert client.get(url(without)).status_code == 404
    (media / pledge.scan.name).unlink()
    assert client.get(url(pledge)).status_code == 404
    assert client.get(reverse("pledge_download", args=[999999])).status_code == 404
    assert not access_entries(pledge).exists()


def test_the_raw_media_path_is_not_served(people, pledge):
    client = Client()
    login_verified(client, people.coordinator)
    for path in (f"/media/{pledge.scan.name}", f"/{pledge.scan.name}", "/media/"):
        assert client.get(path).status_code == 404, path


def test_a_post_is_not_a_download(people, pledge):
    client = Client()
    login_verified(client, people.coordinator)
    assert client.post(url(pledge)).status_code == 405
