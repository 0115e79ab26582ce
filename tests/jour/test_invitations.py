"""A coordinator invites from a person's page; the link works once, for 72
hours, and carries nothing personal. (What a person needs before an
invitation, and the link to the person, are in tests/members/test_login_access.py.)"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jour.models import Invitation, Role, User
from members.models import ConfidentialityPledge, Person, VolunteerAssignment
from tests.personas import login_verified

NEW_PASSWORD = "a long and private passphrase"
LONG_AGO = timezone.localdate() - timedelta(days=400)


def _volunteer(email, name) -> Person:
    """A volunteer in the register with what a support person's account needs."""
    person = Person.objects.create(name=name, email=email)
    VolunteerAssignment.objects.create(person=person, start=LONG_AGO, basic_training_on=LONG_AGO)
    ConfidentialityPledge.objects.create(person=person, signed_on=LONG_AGO)
    return person


def _invite(client, people, email="new.volunteer@jour.test", name="Nora Newcomer", role=Role.SUPPORT_PERSON):
    """Give login access on the person's page, as the coordinator does."""
    person = _volunteer(email, name)
    login_verified(client, people.coordinator)
    return client.post(reverse("person_invite", args=[person.pk]), {"access-role": role}, follow=True)


def _link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_invitation_email_holds_only_the_link(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, people)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.volunteer@jour.test"]
    text = message.subject + message.body
    assert "Nora" not in text and "Newcomer" not in text
    invitation = Invitation.objects.get()
    assert invitation.token_hash and _link_in(message).rstrip("/").split("/")[-1] not in invitation.token_hash


def test_accepting_sets_the_password_then_asks_for_enrolment(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, people)
    link = _link_in(mail.outbox[0])
    invitee = Client()
    response = invitee.get(link)
    # The token leaves the address bar at once.
    assert response.status_code == 302 and response["Location"] == reverse("invitation_password")
    response = invitee.post(reverse("invitation_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == reverse("enrol")
    user = User.objects.get(email="new.volunteer@jour.test")
    assert user.role == Role.SUPPORT_PERSON and user.check_password(NEW_PASSWORD)
    assert invitee.get(reverse("start"))["Location"].startswith(reverse("enrol"))
    # The account is the person's, in the register.
    assert Person.objects.get(email="new.volunteer@jour.test").account == user


def test_a_link_works_only_once(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, people)
    link = _link_in(mail.outbox[0])
    first = Client()
    first.get(link)
    first.post(reverse("invitation_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = Client().get(link)
    assert response.status_code == 410
    assert "redan använts" in response.content.decode()


def test_a_link_expires_after_72_hours(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, people)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.sent_at == timedelta(hours=72)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(_link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "har gått ut" in response.content.decode()
    assert not User.objects.filter(email="new.volunteer@jour.test").exists()


def test_a_link_that_expires_between_the_two_steps_is_refused(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, people)
    invitee = Client()
    invitee.get(_link_in(mail.outbox[0]))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = invitee.post(reverse("invitation_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="new.volunteer@jour.test").exists()


def test_resending_invalidates_the_previous_link(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, people)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_action", args=[Invitation.objects.get().pk, "resend"]))
    assert len(mail.outbox) == 2
    assert Client().get(_link_in(mail.outbox[0])).status_code == 410
    assert Client().get(_link_in(mail.outbox[1])).status_code == 302


def test_a_weak_password_is_refused_with_a_message_and_nothing_changes(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, people)
    invitee = Client()
    invitee.get(_link_in(mail.outbox[0]))
    response = invitee.post(reverse("invitation_password"), {"password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert Invitation.objects.get().used_at is None


def test_an_address_that_already_has_an_account_is_refused(client, people):
    response = _invite(client, people, email="ALEX@jour.test")
    assert response.status_code == 400
    assert "Det finns redan ett konto" in response.content.decode()
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("path", ["x" * 43, "short", "..%2F..%2Fetc%2Fpasswd"])
def test_unknown_tokens_are_refused(client, db, path):
    response = client.get(f"/accounts/invitation/{path}/")
    assert response.status_code in (404, 410)
    assert "invitation_password" not in response.get("Location", "")


def test_a_broker_that_is_down_loses_no_invitation(client, people, settings, monkeypatch):
    from jour import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_invitation, "delay", broker_down)
    response = _invite(client, people)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("person_detail", args=[Person.objects.get().pk])
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None
    # The periodic sweep sends it.
    assert tasks.send_pending_invitations() == 1
    assert len(mail.outbox) == 1
    assert tasks.send_pending_invitations() == 0


def test_withdrawing_kills_the_link_and_the_person_page_forgets_it(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, people)
    invitation = Invitation.objects.get()
    person = Person.objects.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "An invitation to log in as" in client.get(reverse("person_detail", args=[person.pk])).content.decode()
    response = client.post(reverse("invitation_action", args=[invitation.pk, "revoke"]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(_link_in(mail.outbox[0])).status_code == 410
    page = client.get(reverse("person_detail", args=[person.pk]))
    assert page.context["open_invitation"] is None
    assert "An invitation to log in as" not in page.content.decode()


def test_the_accounts_page_no_longer_invites(client, people):
    login_verified(client, people.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("account_list"))
    html = page.content.decode()
    assert page.status_code == 200 and "form" not in page.context
    assert 'name="email"' not in html and f'href="{reverse("people_list")}"' in html
    assert "Invitations start on a person's page" in html
    response = client.post(reverse("account_list"), {"email": "x@jour.test", "name": "X", "role": Role.AUDITOR})
    assert response.status_code == 405
    assert not Invitation.objects.exists()
