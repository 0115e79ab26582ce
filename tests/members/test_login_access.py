"""One way in (issue 16, item 4): a login account starts from a person in the
register who meets the access rule (members.services.access_blockers), the
accepted invitation links the account to the person, and an account with a case
role that belongs to nobody is listed for the coordinator to link or close."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from jour import services as accounts
from jour.models import Invitation, Role, User
from members import services
from members.models import BoardTerm, ConfidentialityPledge, Employment, Person, VolunteerAssignment
from tests.personas import client_for, login_verified

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=400)
PASSWORD = "a long and private passphrase"

NEEDS_ASSIGNMENT = "A support person needs a current volunteer assignment."
NEEDS_EMPLOYMENT = "A coordinator needs a current employment or volunteer assignment."
NEEDS_TERM = "A board member needs a current board term."
NO_PLEDGE = "No signed confidentiality pledge is recorded."
NO_TRAINING = "No basic training is recorded on a volunteer assignment."
NO_EMAIL = "The person has no e-mail address. Add one under Edit contact details: the invitation is sent there."


def volunteer(name="Vilgot Volontär", email="vilgot@people.example", *, pledge=True, training=True, assignment=True):
    person = Person.objects.create(name=name, email=email)
    if assignment:
        VolunteerAssignment.objects.create(
            person=person, start=LONG_AGO, basic_training_on=LONG_AGO if training else None
        )
    if pledge:
        ConfidentialityPledge.objects.create(person=person, signed_on=LONG_AGO)
    return person


def blockers(person, role, day=TODAY):
    with override("en"):
        return services.access_blockers(person, role, day)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def accept(link: str) -> Client:
    invitee = Client()
    invitee.get(link)
    invitee.post(reverse("invitation_password"), {"password1": PASSWORD, "password2": PASSWORD})
    return invitee


# --- The rule ----------------------------------------------------------------------


def test_a_support_person_needs_the_assignment_the_pledge_and_basic_training(db):
    nothing = Person.objects.create(name="Nils Ingenting")
    assert blockers(nothing, Role.SUPPORT_PERSON) == [NEEDS_ASSIGNMENT, NO_PLEDGE, NO_TRAINING]
    assert blockers(volunteer(pledge=False), Role.SUPPORT_PERSON) == [NO_PLEDGE]
    assert blockers(volunteer("Otränad", "o@people.example", training=False), Role.SUPPORT_PERSON) == [NO_TRAINING]
    assert blockers(volunteer("Klar", "k@people.example"), Role.SUPPORT_PERSON) == []


def test_an_ended_assignment_is_no_ground(db):
    person = volunteer()
    person.volunteering.update(end=TODAY)
    assert blockers(person, Role.SUPPORT_PERSON) == [NEEDS_ASSIGNMENT]


def test_a_coordinator_needs_an_employment_or_assignment_and_the_pledge_not_training(db):
    person = Person.objects.create(name="Stina Samordnare", email="stina@people.example")
    assert blockers(person, Role.COORDINATOR) == [NEEDS_EMPLOYMENT, NO_PLEDGE]
    Employment.objects.create(person=person, title="Samordnare", start=LONG_AGO)
    assert blockers(person, Role.COORDINATOR) == [NO_PLEDGE]
    ConfidentialityPledge.objects.create(person=person, signed_on=TODAY)
    assert blockers(person, Role.COORDINATOR) == []
    # A pledge signed later does not count for an earlier day.
    assert blockers(person, Role.COORDINATOR, TODAY - timedelta(days=1)) == [NO_PLEDGE]


def test_a_board_member_needs_a_board_term_and_an_auditor_only_the_register(db):
    person = Person.objects.create(name="Bo Styrelse", email="bo@people.example")
    assert blockers(person, Role.BOARD_MEMBER) == [NEEDS_TERM]
    assert blockers(person, Role.AUDITOR) == []
    BoardTerm.objects.create(person=person, role="treasurer", start=LONG_AGO)
    assert blockers(person, Role.BOARD_MEMBER) == []


# --- Inviting from the person's page ------------------------------------------------


def invite(client, person, role=Role.SUPPORT_PERSON):
    return client.post(reverse("person_invite", args=[person.pk]), {"access-role": role})


@pytest.mark.parametrize(
    ("missing", "reason"),
    [("assignment", NEEDS_ASSIGNMENT), ("pledge", NO_PLEDGE), ("training", NO_TRAINING)],
)
def test_an_invitation_without_what_the_role_needs_is_refused_with_its_reason_and_sends_nothing(
    people, django_capture_on_commit_callbacks, missing, reason
):
    person = volunteer(**{missing: False})
    coordinator = client_for(people.coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = invite(coordinator, person)
    assert response.status_code == 400
    errors = response.context["access_form"].non_field_errors()
    assert reason in errors
    assert reason in response.content.decode()
    assert not Invitation.objects.exists() and callbacks == [] and mail.outbox == []
    person.refresh_from_db()
    assert person.invitation is None and person.account is None
    # The refused form comes back on the person's page, which records the access as the page does.
    assert LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.ACCESS).count() == 1


def test_a_person_without_an_email_address_is_told_so(people):
    person = volunteer(email="")
    response = invite(client_for(people.coordinator), person)
    assert response.status_code == 400
    assert response.context["access_form"].non_field_errors() == [NO_EMAIL]
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_person_who_has_an_account_gets_no_second_one(people):
    person = volunteer()
    person.account = people.alex
    person.save()
    response = invite(client_for(people.coordinator), person)
    assert response.status_code == 400
    assert "already has a login account" in response.context["access_form"].non_field_errors()[0]
    assert not Invitation.objects.exists()


def test_an_unknown_role_is_a_field_error(people):
    response = invite(client_for(people.coordinator), volunteer(), role="superuser")
    assert response.status_code == 400 and response.context["access_form"].errors["role"]
    assert not Invitation.objects.exists()


def test_the_page_shows_per_role_what_stands_in_the_way(people):
    person = volunteer(pledge=False)
    page = client_for(people.coordinator).get(reverse("person_detail", args=[person.pk]))
    with override("en"):
        reasons = {str(label): reasons for label, reasons in page.context["role_blockers"]}
    # A volunteer assignment is ground for a coordinator's account too; the pledge is missing for both case roles.
    assert reasons == {
        "Coordinator": [NO_PLEDGE],
        "Support person": [NO_PLEDGE],
        "Board member": [NEEDS_TERM],
        "Auditor": [],
    }
    html = page.content.decode()
    assert NO_PLEDGE in html and "nothing: it can be given" in html
    assert f'action="{reverse("person_invite", args=[person.pk])}"' in html


def test_an_invitation_from_the_page_is_remembered_and_accepting_it_links_the_account(
    people, django_capture_on_commit_callbacks
):
    person = volunteer()
    coordinator = client_for(people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(coordinator, person)
    assert response.status_code == 302 and response["Location"] == reverse("person_detail", args=[person.pk])
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.name, invitation.role) == (person.email, person.name, Role.SUPPORT_PERSON)
    person.refresh_from_db()
    assert person.invitation == invitation and person.account is None
    message = mail.outbox[0]
    assert message.to == [person.email] and "Vilgot" not in message.subject + message.body

    accept(link_in(message))

    account = User.objects.get(email=person.email)
    person.refresh_from_db()
    assert person.account == account and person.invitation is None
    assert account.role == Role.SUPPORT_PERSON and account.is_active
    assert account not in services.unlinked_case_accounts()
    page = coordinator.get(reverse("person_detail", args=[person.pk]))
    assert page.context["role_blockers"] == [] and page.context["account_blockers"] == []


def test_acceptance_is_refused_when_the_person_no_longer_meets_the_rule(people, django_capture_on_commit_callbacks):
    person = volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(person=person, role=Role.SUPPORT_PERSON, by=people.coordinator)
    person.volunteering.update(end=TODAY)  # left between the invitation and its acceptance
    invitee = Client()
    invitee.get(link_in(mail.outbox[0]))
    response = invitee.post(reverse("invitation_password"), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email=person.email).exists()
    assert Invitation.objects.get().used_at is None


def test_a_reset_keeps_the_link(people, django_capture_on_commit_callbacks):
    person = volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(person=person, role=Role.SUPPORT_PERSON, by=people.coordinator)
    accept(link_in(mail.outbox[0]))
    account = User.objects.get(email=person.email)
    with django_capture_on_commit_callbacks(execute=True):
        accounts.reset_access(user=account, by=people.coordinator)
    accept(link_in(mail.outbox[1]))
    person.refresh_from_db()
    assert person.account == account and User.objects.filter(email=person.email).count() == 1
    assert account.invitations.filter(used_at__isnull=False).count() == 2


def test_the_nightly_check_closes_a_linked_leaver(people, django_capture_on_commit_callbacks):
    """Invited from the register, so the leaving rule reaches the account."""
    person = volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(person=person, role=Role.SUPPORT_PERSON, by=people.coordinator)
    accept(link_in(mail.outbox[0]))
    account = User.objects.get(email=person.email)
    VolunteerAssignment.objects.filter(person=person).update(end=TODAY)  # reached overnight

    assert services.close_leavers_accounts() == [account.pk]

    account.refresh_from_db()
    assert not account.is_active


# --- Accounts outside the register ------------------------------------------------


def unlinked_on_the_page(client) -> set[int]:
    html = client.get(reverse("people_list")).content.decode()
    return {int(pk) for pk in re.findall(r'data-account="(\d+)"', html)}


def test_accounts_with_a_case_role_and_no_person_are_listed_until_linked_or_closed(people):
    """The personas' accounts are made outside the register: the coordinator's
    and the two support persons' are listed; the board member's and the
    auditor's have no case role and are not."""
    coordinator = client_for(people.coordinator)
    expected = {people.coordinator.pk, people.alex.pk, people.sam.pk}
    assert unlinked_on_the_page(coordinator) == expected
    html = coordinator.get(reverse("people_list")).content.decode()
    assert "Login accounts not linked to anyone in the register" in html
    assert reverse("account_detail", args=[people.alex.pk]) in html
    assert "Edit contact details" in html  # how to link it

    # Linked through the person form's login account field.
    alex = Person.objects.create(name="Alex Support", email="alex@jour.test")
    response = coordinator.post(
        reverse("person_edit", args=[alex.pk]), {"name": "Alex Support", "account": people.alex.pk}
    )
    assert response.status_code == 302
    assert unlinked_on_the_page(coordinator) == expected - {people.alex.pk}

    # Closed on its account page.
    response = coordinator.post(reverse("account_action", args=[people.sam.pk, "deactivate"]))
    assert response.status_code == 302
    assert unlinked_on_the_page(coordinator) == {people.coordinator.pk}


def test_an_unlinked_account_is_not_closed_by_the_nightly_check(people):
    """The first coordinator starts unlinked (createsuperuser) and must be able to log in to link herself."""
    assert services.close_leavers_accounts() == []
    assert set(services.unlinked_case_accounts()) == {people.coordinator, people.alex, people.sam}
    for user in (people.coordinator, people.alex, people.sam):
        user.refresh_from_db()
        assert user.is_active


def test_the_coordinators_start_page_counts_them(people):
    start = client_for(people.coordinator).get(reverse("start"))
    assert start.context["unlinked_accounts"] == 3
    assert "3 active login accounts with a case role belong to nobody in the register" in start.content.decode()
    login_verified(alex := Client(), people.alex)
    assert "unlinked_accounts" not in alex.get(reverse("start")).context


def test_the_panel_is_for_coordinators_only(people):
    for user in (people.alex, people.board, people.auditor):
        response = client_for(user).get(reverse("people_list"))
        assert response.status_code == 403
        html = response.content.decode()
        assert "Sam Support" not in html and "data-account=" not in html
