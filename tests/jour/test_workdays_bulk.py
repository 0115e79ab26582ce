"""The cumulative index (add_working_hours, working_hours_between) against a
plain day-by-day walk, and add_working_hours_bulk against add_working_hours."""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from jour.workdays import (
    STOCKHOLM,
    add_working_hours,
    add_working_hours_bulk,
    is_working_day,
    working_hours_between,
)

NEW_YORK = ZoneInfo("America/New_York")  # neither UTC nor Stockholm: the general path
HOURS = [0, 0.25, 1 / 3, 0.1, 4, 20, 23.999, 24, 44, 48, 100, 24 * 400]


def walk_add(start: datetime, hours: float) -> datetime:
    """The rule itself, one calendar day at a time in real (UTC) time."""
    t, remaining = start.astimezone(UTC), timedelta(hours=hours)
    while True:
        day = t.astimezone(STOCKHOLM).date()
        next_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), STOCKHOLM).astimezone(UTC)
        if is_working_day(day):
            if remaining < next_midnight - t:
                return (t + remaining).astimezone(STOCKHOLM)
            remaining -= next_midnight - t
        t = next_midnight


def walk_between(start: datetime, end: datetime) -> timedelta:
    t, end, total = start.astimezone(UTC), end.astimezone(UTC), timedelta(0)
    while t < end:
        day = t.astimezone(STOCKHOLM).date()
        next_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), STOCKHOLM).astimezone(UTC)
        if is_working_day(day):
            total += min(next_midnight, end) - t
        t = next_midnight
    return total


def random_starts(n: int, seed: int) -> list[datetime]:
    rng = random.Random(seed)
    lo = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
    hi = int(datetime(2041, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
    starts = []
    for _ in range(n):
        instant = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=rng.randrange(lo, hi))
        starts.append(instant.astimezone(rng.choice([UTC, STOCKHOLM, STOCKHOLM, NEW_YORK])))
    return starts


def special_starts() -> list[datetime]:
    """Around every clock change, holiday and eve of 2020-2040, and the turns of the year."""
    days = []
    for year in range(2020, 2041):
        day = date(year, 1, 1)
        while day.year == year:
            clocks_change = day.weekday() == 6 and day.month in (3, 10) and day.day > 24  # the last Sunday
            weekday_holiday_or_eve = day.weekday() < 5 and not is_working_day(day)
            if clocks_change or weekday_holiday_or_eve:
                days += [day - timedelta(days=1), day, day + timedelta(days=1)]
            day += timedelta(days=1)
        days.append(date(year, 12, 31))
    starts = []
    for day in days:
        midnight = datetime(day.year, day.month, day.day, tzinfo=STOCKHOLM)
        starts += [midnight, midnight.replace(hour=12), midnight + timedelta(hours=23, minutes=59, seconds=59.999999)]
        if day.weekday() == 6:  # every hour of a Sunday, both folds: 02:30 is missing or twice there
            starts += [midnight.replace(hour=h, minute=30, fold=f) for h in range(24) for f in (0, 1)]
    starts += [datetime(year, 12, 31, 23, 30, tzinfo=UTC) for year in range(2020, 2041)]  # already next year here
    return starts


def cases() -> list[tuple[datetime, float]]:
    rng = random.Random(18)
    return [(start, rng.choice(HOURS)) for start in random_starts(1500, 6) + special_starts()]


CASES = cases()


def as_datetime64(instants: list[datetime]) -> np.ndarray:
    return np.array([i.astimezone(UTC).replace(tzinfo=None) for i in instants], dtype="datetime64[us]")


# --- the index against the walk -----------------------------------------------


def test_add_working_hours_is_the_day_by_day_walk():
    walkable = [(start, hours) for start, hours in CASES if hours < 200]
    mismatches = [(s, h) for s, h in walkable if add_working_hours(s, h) != walk_add(s, h)]
    assert mismatches == []


def test_wall_clock_of_the_answer_is_stockholms():
    for start, hours in CASES[:300]:
        result = add_working_hours(start, hours)
        expected = walk_add(start, hours)
        assert (result.tzinfo, result.utcoffset(), result.fold) == (STOCKHOLM, expected.utcoffset(), expected.fold)


def test_working_hours_between_is_the_day_by_day_walk():
    rng = random.Random(7)
    pairs = [(start, start + timedelta(hours=rng.choice([0.5, 30, 100, 2000]))) for start, _ in CASES[::4]]
    pairs += [(end, start) for start, end in pairs[:50]]  # backwards: zero
    assert [working_hours_between(s, e) for s, e in pairs] == [walk_between(s, e) for s, e in pairs]


def test_answers_past_the_next_year():
    start = datetime(2021, 3, 3, 10, tzinfo=STOCKHOLM)
    assert add_working_hours(start, 24 * 400) == walk_add(start, 24 * 400)
    assert working_hours_between(start, add_working_hours(start, 24 * 400)) == timedelta(hours=24 * 400)


# --- the bulk function ------------------------------------------------------------


def test_bulk_on_an_array_is_the_scalar_function():
    starts = as_datetime64([start for start, _ in CASES])
    hours = np.array([hours for _, hours in CASES])
    expected = as_datetime64([add_working_hours(start, h) for start, h in CASES])
    result = add_working_hours_bulk(starts, hours)
    assert result.dtype == np.dtype("datetime64[us]")
    assert np.flatnonzero(result != expected).tolist() == []


def test_bulk_on_datetimes_is_the_scalar_function():
    starts = [start for start, _ in CASES[:500]]
    hours = [hours for _, hours in CASES[:500]]
    result = add_working_hours_bulk(starts, hours)
    assert result == [add_working_hours(s, h) for s, h in zip(starts, hours, strict=True)]
    assert {r.tzinfo for r in result} == {STOCKHOLM}


@pytest.mark.parametrize("hours", [0, 24, 48, 0.1, 1 / 3])
def test_bulk_with_one_number_of_hours(hours):
    starts = [start for start, _ in CASES[:200]]
    assert add_working_hours_bulk(starts, hours) == [add_working_hours(s, hours) for s in starts]


def test_bulk_docstring_edge_cases():
    thursday = datetime(2026, 5, 7, tzinfo=STOCKHOLM)
    saturday = datetime(2026, 5, 9, 11, tzinfo=STOCKHOLM)
    monday = datetime(2026, 5, 11, tzinfo=STOCKHOLM)
    starts = [monday.replace(hour=9), saturday, thursday, datetime(2026, 5, 8, 23, 59, 59, tzinfo=STOCKHOLM)]
    result = add_working_hours_bulk(starts, [0, 0, 48, 0.5])
    assert result == [monday.replace(hour=9), monday, monday, monday.replace(minute=29, second=59)]


def test_bulk_from_epoch_seconds_keeps_the_shape():
    seconds = np.array([[1778230800, 1778320800], [1798200000, 1798243200]])  # May and December 2026
    result = add_working_hours_bulk(seconds.astype("datetime64[s]"), 24)
    assert result.shape == (2, 2)
    expected = [add_working_hours(datetime.fromtimestamp(s, UTC), 24) for s in seconds.ravel().tolist()]
    assert result.ravel().tolist() == [e.astimezone(UTC).replace(tzinfo=None) for e in expected]


def test_bulk_reaches_past_its_tables():
    starts = np.array(["2031-06-01T10:00", "2031-06-02T10:00"], dtype="datetime64[us]")
    result = add_working_hours_bulk(starts, [24 * 900, 24])
    assert result.tolist() == [
        add_working_hours(datetime(2031, 6, 1, 10, tzinfo=UTC), 24 * 900).astimezone(UTC).replace(tzinfo=None),
        datetime(2031, 6, 3, 10),
    ]


def test_bulk_empty():
    assert add_working_hours_bulk(np.array([], dtype="datetime64[us]"), 24).size == 0
    assert add_working_hours_bulk([], 24) == []


def test_bulk_rejects_what_the_scalar_function_rejects():
    with pytest.raises(ValueError):
        add_working_hours_bulk(np.array(["2026-05-05", "NaT"], dtype="datetime64[us]"), 24)
    with pytest.raises(ValueError):
        add_working_hours_bulk(np.array(["2026-05-05"], dtype="datetime64[us]"), [-1])
    with pytest.raises(ValueError):
        add_working_hours_bulk([datetime(2026, 5, 5, 10)], 24)
    with pytest.raises(TypeError):
        add_working_hours_bulk(np.array([1778230800]), 24)  # plain numbers: seconds or microseconds?
