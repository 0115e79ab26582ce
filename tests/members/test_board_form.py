"""Adding a board term refuses the contradiction both ways, with the error on the role, and saves nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.forms.board import BoardTermForm
from members.models import BoardRole, BoardTerm, Employment, Person
from tests.personas import login_verified

TODAY = timezone.localdate()


@pytest.fixture
def kim(people):
    return Person.objects.create(name="Kim Coordinator", account=people.coordinator)


@pytest.fixture
def maria(people):
    return Person.objects.create(name="Maria Board", account=people.board)


def data(person, role, start=TODAY, end=""):
    return {"person": person.pk, "role": role, "start": start.isoformat(), "end": end}


def role_error(form):
    errors = form.errors.as_data()
    assert set(errors) == {"role"}, form.errors
    return errors["role"][0]


@pytest.mark.parametrize("role", [r for r in BoardRole if r != BoardRole.CO_OPTED])
def test_a_coordinator_cannot_get_a_voting_role(kim, role):
    form = BoardTermForm(data(kim, role))
    assert not form.is_valid()
    error = role_error(form)
    assert error.code == "coordinator_votes"
    assert "Kim Coordinator" in " ".join(error.messages)


def test_an_employed_coordinator_cannot_get_a_voting_role(db):
    erik = Person.objects.create(name="Erik Employed")
    Employment.objects.create(person=erik, title="Samordnare", start=TODAY - timedelta(days=10))
    form = BoardTermForm(data(erik, BoardRole.CHAIR))
    assert not form.is_valid()
    assert role_error(form).code == "coordinator_votes"


def test_a_term_that_overlaps_a_coordinator_employment_is_refused(db):
    """A term from the day the employment stopped is fine; one that overlaps it is not."""
    erik = Person.objects.create(name="Erik Employed")
    start = TODAY - timedelta(days=100)
    Employment.objects.create(person=erik, title="Samordnare", start=start, end=TODAY)
    assert BoardTermForm(data(erik, BoardRole.MEMBER, start=TODAY)).is_valid()
    assert not BoardTermForm(data(erik, BoardRole.MEMBER, start=TODAY - timedelta(days=1))).is_valid()
    # A term that stops the day the employment starts does not overlap it either.
    before = (start - timedelta(days=50)).isoformat()
    assert BoardTermForm({**data(erik, BoardRole.MEMBER), "start": before, "end": start.isoformat()}).is_valid()
    ends_a_day_later = (start + timedelta(days=1)).isoformat()
    assert not BoardTermForm({**data(erik, BoardRole.MEMBER), "start": before, "end": ends_a_day_later}).is_valid()


def test_the_co_opted_role_is_for_the_coordinator_only(maria):
    form = BoardTermForm(data(maria, BoardRole.CO_OPTED))
    assert not form.is_valid()
    error = role_error(form)
    assert error.code == "co_opted_not_coordinator"
    assert "Maria Board" in " ".join(error.messages)


def test_the_rule_abiding_terms_are_accepted(kim, maria):
    assert BoardTermForm(data(kim, BoardRole.CO_OPTED)).is_valid()
    assert BoardTermForm(data(maria, BoardRole.CHAIR)).is_valid()


def test_end_before_start_is_a_field_error(maria):
    form = BoardTermForm(data(maria, BoardRole.CHAIR, end=(TODAY - timedelta(days=1)).isoformat()))
    assert not form.is_valid()
    assert set(form.errors) == {"end"}


@pytest.mark.parametrize(
    ("who", "role", "code"),
    [("kim", BoardRole.CHAIR, "coordinator_votes"), ("maria", BoardRole.CO_OPTED, "co_opted_not_coordinator")],
)
def test_the_page_shows_the_error_and_saves_nothing(client, people, kim, maria, who, role, code):
    person = {"kim": kim, "maria": maria}[who]
    login_verified(client, people.coordinator)
    response = client.post(reverse("board_term_create"), data(person, role))
    assert response.status_code == 200
    assert BoardTerm.objects.count() == 0
    form = response.context["form"]
    assert form.errors.as_data()["role"][0].code == code
    # The message is on the page, next to the field.
    message = form.errors["role"][0]
    assert person.name in message
    assert message.replace("'", "&#x27;") in response.content.decode()


def test_the_page_saves_a_valid_term(client, people, kim):
    login_verified(client, people.coordinator)
    response = client.post(reverse("board_term_create"), data(kim, BoardRole.CO_OPTED))
    assert response.status_code == 302 and response["Location"] == reverse("board")
    saved = BoardTerm.objects.get()
    assert (saved.person, saved.role, saved.start, saved.end) == (kim, BoardRole.CO_OPTED, TODAY, None)
