"""The federation's rule: the coordinator is co-opted to the board, and is not a member of it."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from members.board import coordinator_rule, coordinators_on, is_coordinator_during
from members.models import BoardRole, BoardTerm, Employment, Person

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=700)
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def kim(people):
    """The coordinator by login account."""
    return Person.objects.create(name="Kim Coordinator", account=people.coordinator)


@pytest.fixture
def maria(people):
    return Person.objects.create(name="Maria Board", account=people.board)


def term(person, role, start=LONG_AGO, end=None):
    return BoardTerm.objects.create(person=person, role=role, start=start, end=end)


def test_co_opted_coordinator_and_a_board_without_them_is_ok(kim, maria):
    term(kim, BoardRole.CO_OPTED)
    term(maria, BoardRole.CHAIR)
    result = coordinator_rule(TODAY)
    assert result.ok and bool(result)
    assert result.problems == () and result.warnings == ()
    assert "Kim Coordinator" in result.reason


@pytest.mark.parametrize("role", [r for r in BoardRole if r != BoardRole.CO_OPTED])
def test_the_coordinator_in_any_voting_role_breaks_the_rule(kim, maria, role):
    term(kim, BoardRole.CO_OPTED)
    term(kim, role)
    with translation.override("en"):
        result = coordinator_rule(TODAY)
    assert not result.ok
    assert len(result.problems) == 1
    assert "Kim Coordinator" in result.reason
    assert "voting" in result.reason or "co-opted" in result.reason


def test_no_co_opted_coordinator_breaks_the_rule(kim, maria):
    term(maria, BoardRole.CHAIR)
    with translation.override("en"):
        result = coordinator_rule(TODAY)
    assert not result.ok
    assert "Kim Coordinator" in result.reason and "not co-opted" in result.reason


def test_both_failures_are_reported(kim):
    term(kim, BoardRole.TREASURER)
    result = coordinator_rule(TODAY)
    assert not result.ok
    assert len(result.problems) == 2
    assert all(problem in result.reason for problem in result.problems)


def test_nobody_recorded_as_coordinator_breaks_the_rule(people, maria):
    term(maria, BoardRole.CHAIR)
    people.coordinator.is_active = False  # a former coordinator's closed account counts for nothing
    people.coordinator.save()
    Person.objects.create(name="Kim Coordinator", account=people.coordinator)
    with translation.override("en"):
        result = coordinator_rule(TODAY)
    assert not result.ok
    assert "Nobody is recorded as the coordinator" in result.reason


def test_ended_and_future_terms_are_ignored(kim, maria):
    term(kim, BoardRole.CHAIR, start=LONG_AGO, end=TODAY)  # stopped today: no longer a contradiction
    term(kim, BoardRole.MEMBER, start=TODAY + timedelta(days=30))  # not started yet
    term(kim, BoardRole.CO_OPTED, start=LONG_AGO, end=None)
    assert coordinator_rule(TODAY).ok


def test_an_ended_co_opted_term_does_not_count(kim):
    """The end date is the day the term stopped (members.models.active_on)."""
    term(kim, BoardRole.CO_OPTED, start=LONG_AGO, end=TODAY)
    assert not coordinator_rule(TODAY).ok
    # ... but it did on a day it was running.
    assert coordinator_rule(YESTERDAY).ok


def test_an_employed_coordinator_is_found_by_the_title(db):
    erik = Person.objects.create(name="Erik Employed")
    job = Employment.objects.create(person=erik, title="Verksamhetssamordnare", start=LONG_AGO)
    assert list(coordinators_on(TODAY)) == [erik]
    term(erik, BoardRole.MEMBER)
    assert not coordinator_rule(TODAY).ok
    # Once the employment has ended he is no longer the coordinator: the seat is his to keep.
    job.end = TODAY
    job.save()
    assert list(coordinators_on(TODAY)) == []
    assert list(coordinators_on(YESTERDAY)) == [erik]
    assert not is_coordinator_during(erik, TODAY, None)
    assert is_coordinator_during(erik, LONG_AGO, None)


def test_other_titles_do_not_make_a_coordinator(db):
    person = Person.objects.create(name="Ella Economist")
    Employment.objects.create(person=person, title="Ekonom", start=LONG_AGO)
    assert list(coordinators_on(TODAY)) == []


def test_a_co_opted_seat_held_by_someone_else_is_a_warning(kim, maria):
    term(kim, BoardRole.CO_OPTED)
    term(maria, BoardRole.CO_OPTED)
    result = coordinator_rule(TODAY)
    assert result.ok
    assert len(result.warnings) == 1 and "Maria Board" in result.warnings[0]


def test_default_day_is_today(kim):
    term(kim, BoardRole.CO_OPTED)
    assert coordinator_rule().ok
