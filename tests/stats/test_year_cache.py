"""The year's counts kept between requests (stats.year_cache): kept once, counted again
after any save or delete of what they are made of, never kept from a transaction that
rolled back, and counted afresh when the cache does not answer.

These tests commit (transaction=True): what is kept must be what others can read."""

import logging
import time
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from calendars.models import Appointment, AppointmentKind
from cases.models import Case, Circumstance
from jour.models import Role
from stats import figures, selection, year_cache
from stats.selection import Selection
from tests.cases.factories import attempt, make_case
from tests.worker import in_thread, redis_url_or_skip

from .dataset import at

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = 2026


def seekers(parts: figures.Parts) -> int:
    return sum(parts.counts["crime_type"].values())  # every case has one row there


def new_case(people, day: int = 2) -> Case:
    received = at(YEAR, 3, day)
    return make_case(people.coordinator, now=received + timedelta(minutes=5), received_at=received)


def counted(year: int = YEAR) -> tuple[figures.Parts, int]:
    with CaptureQueriesContext(connection) as queries:
        parts = year_cache.year_parts(year)
    return parts, len(queries)


def test_the_counts_are_kept_until_a_counted_row_changes(people):
    case = new_case(people)
    first, queries = counted()
    assert seekers(first) == 1 and queries > 5
    again, queries = counted()
    assert queries == 0 and seekers(again) == 1 and again.version == first.version

    new_case(people, day=3)
    assert seekers(counted()[0]) == 2  # a new case
    attempt(case, case.received_at + timedelta(hours=1), by=people.alex)
    assert counted()[0].counts["support"] != again.counts["support"]  # an attempt
    # get_or_create: a transactional test before this one may have flushed the migration's markers.
    honour, _new = Circumstance.objects.get_or_create(code=Circumstance.HONOUR, defaults={"name": "Hedersrelaterat"})
    case.circumstances.add(honour)
    honour = counted()[0].counts["marker_honour"]
    assert sum(n for (_m, _p, row, _c), n in honour.items() if row != figures.WITHOUT) == 1  # a marker
    case.delete()
    assert seekers(counted()[0]) == 1  # a deletion


def test_the_volunteers_are_kept_until_a_participation_or_a_role_changes(people):
    year = figures.Period(date(YEAR, 1, 1), date(YEAR + 1, 1, 1))

    def volunteers() -> tuple[figures.Volunteering, int]:
        with CaptureQueriesContext(connection) as queries:
            found = year_cache.volunteering(year)
        return found, len(queries)

    case = new_case(people)
    assert volunteers()[0] == figures.Volunteering(active=0, hours=0.0)
    assert volunteers()[1] == 0
    starts = at(YEAR, 3, 5)
    meeting = Appointment.objects.create(
        kind=AppointmentKind.MEETING,
        case=case,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        created_by=people.coordinator,
    )
    assert volunteers()[0] == figures.Volunteering(active=0, hours=0.0)  # nobody went yet
    meeting.participants.add(people.alex)  # no save of a counted row: the m2m signal
    assert volunteers()[0] == figures.Volunteering(active=1, hours=2.0)
    people.alex.last_login = starts  # what a login saves decides nothing
    people.alex.save(update_fields=["last_login"])
    assert volunteers() == (figures.Volunteering(active=1, hours=2.0), 0)
    people.alex.role = Role.BOARD_MEMBER  # no longer a volunteer
    people.alex.save(update_fields=["role"])
    assert volunteers()[0] == figures.Volunteering(active=0, hours=0.0)


def test_a_process_keeps_only_what_the_current_version_names(people):
    new_case(people)
    first, _queries = counted()
    new_case(people, day=3)
    second, _queries = counted()
    assert first.version != second.version
    assert list(year_cache._read) == [f"stats:counted:{YEAR}:{second.version}"]  # the older half megabyte is gone


def test_the_protected_selection_uses_the_kept_counts(people):
    for day in range(2, 14):
        new_case(people, day)
    selection.protected(Selection(YEAR))
    with CaptureQueriesContext(connection) as queries:
        protected = selection.protected(Selection(YEAR))
    assert len(queries) == 0
    assert protected.cells  # shown, from the kept counts


def test_what_no_signal_tells_is_counted_again_after_the_ttl(people, monkeypatch):
    """A deadline passing changes the first-contact figures without a save: what is kept,
    in the shared cache and in the process that read it, goes after TTL."""
    new_case(people)
    counted()
    assert counted()[1] == 0
    later = time.time() + year_cache.TTL + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert counted()[1] > 5


def test_nothing_is_kept_from_a_transaction_that_rolls_back(people):
    new_case(people)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        new_case(people, day=3)
        inside, _queries = counted()
        assert seekers(inside) == 2  # the transaction sees its own case
        again, queries = counted()
        assert queries > 0 and seekers(again) == 2  # and counts it afresh, keeping nothing
        raise Undo
    assert seekers(counted()[0]) == 1


def test_counts_kept_by_a_reader_while_a_write_was_not_yet_committed_are_not_read_after_it(people):
    """A reader elsewhere counts between the writer's save and its commit and keeps what
    it saw under the version of that moment; the commit makes a new one."""
    new_case(people)
    kept_by_reader, errors = [], []
    with transaction.atomic():
        new_case(people, day=3)
        in_thread(lambda: seekers(year_cache.year_parts(YEAR)), errors, kept_by_reader).join()
    assert not errors
    assert kept_by_reader == [1]  # it could not see the uncommitted case
    assert seekers(counted()[0]) == 2


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "stats": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
)
def test_a_cache_that_does_not_answer_costs_a_count_not_a_page(people, caplog):
    new_case(people)
    with caplog.at_level(logging.WARNING, logger="stats.year_cache"):
        parts, queries = counted()
    assert seekers(parts) == 1 and queries > 5
    assert "statistics cache cannot be read" in caplog.text


def test_the_counts_travel_through_redis(people, settings):
    """What is kept must survive pickling into the production cache (lazy titles included)."""
    url = redis_url_or_skip()
    caches = {**settings.CACHES, "stats": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    with override_settings(CACHES=caches):
        from django.core.cache import caches as handler

        handler["stats"].delete_many([year_cache.VERSION_KEY])
        new_case(people)
        first, _queries = counted()
        kept, queries = counted()
        assert queries == 0
        assert kept.counts == first.counts and [d.key for d in kept.dimensions] == [d.key for d in first.dimensions]
        assert str(kept.dimensions[0].title) == str(first.dimensions[0].title)
