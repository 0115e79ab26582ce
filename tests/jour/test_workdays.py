from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jour.workdays import (
    STOCKHOLM,
    add_working_hours,
    is_working_day,
    next_working_day_start,
    working_hours_between,
)


def sthlm(*args, fold=0) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM, fold=fold)


# --- which days count ------------------------------------------------------

HOLIDAYS_2026 = {
    date(2026, 1, 1): "nyårsdagen (Thu)",
    date(2026, 1, 6): "trettondedag jul (Tue)",
    date(2026, 4, 3): "långfredagen (Fri)",
    date(2026, 4, 5): "påskdagen (Sun)",
    date(2026, 4, 6): "annandag påsk (Mon)",
    date(2026, 5, 1): "första maj (Fri)",
    date(2026, 5, 14): "Kristi himmelsfärdsdag (Thu)",
    date(2026, 5, 24): "pingstdagen (Sun)",
    date(2026, 6, 6): "nationaldagen (Sat)",
    date(2026, 6, 20): "midsommardagen (Sat)",
    date(2026, 10, 31): "alla helgons dag (Sat)",
    date(2026, 12, 25): "juldagen (Fri)",
    date(2026, 12, 26): "annandag jul (Sat)",
}
EVES_2026 = {
    date(2026, 6, 19): "midsommarafton (Fri)",
    date(2026, 12, 24): "julafton (Thu)",
    date(2026, 12, 31): "nyårsafton (Thu)",
}


@pytest.mark.parametrize("day", sorted(HOLIDAYS_2026 | EVES_2026), ids=str)
def test_public_holidays_and_eves_2026_are_not_working_days(day):
    assert not is_working_day(day)


def test_holiday_table_matches_the_holidays_package():
    # The package's default category is our table, plus every Sunday in
    # releases that list Sundays; the eves are not in it (or only sometimes).
    package = set(holidays.country_holidays("SE", years=2026))
    assert set(HOLIDAYS_2026) <= package
    assert all(d.weekday() == 6 or d in EVES_2026 for d in package - set(HOLIDAYS_2026))


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 5),  # trettondagsafton: only a "from 2pm" bank/optional day
        date(2026, 1, 7),
        date(2026, 4, 2),  # skärtorsdagen
        date(2026, 4, 7),
        date(2026, 4, 30),  # valborgsmässoafton
        date(2026, 5, 13),
        date(2026, 5, 15),  # klämdag after Kristi himmelsfärd: still a working day
        date(2026, 5, 25),  # annandag pingst has not been a holiday since 2005
        date(2026, 6, 5),
        date(2026, 6, 18),
        date(2026, 6, 22),
        date(2026, 10, 30),  # allhelgonaafton
        date(2026, 12, 23),
        date(2026, 12, 28),
        date(2026, 12, 30),
    ],
    ids=str,
)
def test_ordinary_weekdays_are_working_days(day):
    assert day.weekday() < 5
    assert is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 3, 7), date(2026, 3, 8), date(2026, 8, 15), date(2026, 8, 16)], ids=str)
def test_weekends_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    ("year", "day", "working"),
    [
        (2025, date(2025, 6, 6), False),  # nationaldagen on a Friday
        (2027, date(2027, 6, 4), True),  # Friday before a Sunday nationaldagen: no substitute day
        (2027, date(2027, 6, 25), False),  # midsommarafton: Friday between 19 and 25 June
        (2027, date(2027, 6, 18), True),
        (2028, date(2028, 6, 23), False),
        (2030, date(2030, 6, 21), False),
        (2027, date(2027, 3, 26), False),  # långfredagen 2027
        (2027, date(2027, 3, 29), False),  # annandag påsk 2027
        (2027, date(2027, 5, 6), False),  # Kristi himmelsfärdsdag 2027
    ],
    ids=str,
)
def test_other_years(year, day, working):
    assert day.year == year
    assert is_working_day(day) is working


def test_is_working_day_rejects_datetimes():
    with pytest.raises(TypeError):
        is_working_day(sthlm(2026, 1, 1, 12))


def test_next_working_day_start():
    assert next_working_day_start(date(2026, 4, 2)) == sthlm(2026, 4, 7)  # over the whole easter
    assert next_working_day_start(date(2026, 5, 11)) == sthlm(2026, 5, 12)
    assert next_working_day_start(date(2026, 12, 23)).tzinfo is STOCKHOLM


# --- add_working_hours: table ----------------------------------------------

CASES = [
    # (start, hours, expected, why)
    (sthlm(2026, 5, 5, 9, 30), 24, sthlm(2026, 5, 6, 9, 30), "plain weekday"),
    (sthlm(2026, 5, 8, 15, 0), 48, sthlm(2026, 5, 12, 15, 0), "Friday afternoon + 48 h -> Tuesday, same time"),
    (sthlm(2026, 5, 8, 15, 0), 24, sthlm(2026, 5, 11, 15, 0), "Friday afternoon + 24 h -> Monday"),
    (sthlm(2026, 5, 9, 11, 0), 0, sthlm(2026, 5, 11), "Saturday: clock starts Monday 00:00"),
    (sthlm(2026, 5, 9, 11, 0), 24, sthlm(2026, 5, 12), "Saturday + 24 h -> Tuesday 00:00"),
    (sthlm(2026, 5, 10, 23, 59, 59), 48, sthlm(2026, 5, 13), "Sunday just before midnight"),
    (sthlm(2026, 5, 11), 24, sthlm(2026, 5, 12), "exactly midnight on a working day"),
    (sthlm(2026, 5, 11), 0, sthlm(2026, 5, 11), "hours=0 on a working day returns the start"),
    (sthlm(2026, 5, 9), 0, sthlm(2026, 5, 11), "exactly midnight on a Saturday"),
    (sthlm(2026, 5, 7), 48, sthlm(2026, 5, 11), "Thu 00:00 + 48 h ends at Fri 24:00 -> Monday 00:00"),
    (sthlm(2026, 5, 8, 23, 59, 59), 0.5, sthlm(2026, 5, 11, 0, 29, 59), "last second of Friday"),
    # easter 2026: långfredag 3 Apr, annandag påsk 6 Apr
    (sthlm(2026, 4, 2, 14, 0), 24, sthlm(2026, 4, 7, 14, 0), "skärtorsdag -> tisdag efter påsk"),
    (sthlm(2026, 4, 2, 14, 0), 48, sthlm(2026, 4, 8, 14, 0), "skärtorsdag + 48 h"),
    (sthlm(2026, 4, 3, 10, 0), 24, sthlm(2026, 4, 8), "received on långfredagen"),
    (sthlm(2026, 4, 6, 10, 0), 0, sthlm(2026, 4, 7), "received on annandag påsk"),
    # Kristi himmelsfärd Thu 14 May 2026; Fri 15 is an ordinary working day
    (sthlm(2026, 5, 13, 16, 0), 24, sthlm(2026, 5, 15, 16, 0), "over Kristi himmelsfärd"),
    (sthlm(2026, 5, 13, 16, 0), 48, sthlm(2026, 5, 18, 16, 0), "over Kristi himmelsfärd and the weekend"),
    (sthlm(2026, 5, 14, 8, 0), 24, sthlm(2026, 5, 18), "received on Kristi himmelsfärd"),
    # nationaldagen on a weekday (Friday 6 June 2025)
    (sthlm(2025, 6, 5, 12, 0), 24, sthlm(2025, 6, 9, 12, 0), "over nationaldagen 2025"),
    # midsommar 2026: afton Fri 19 June
    (sthlm(2026, 6, 18, 9, 0), 24, sthlm(2026, 6, 22, 9, 0), "over midsommarafton"),
    # jul and nyår 2026: 24 Thu, 25 Fri, 26 Sat, 31 Thu, 1 Jan Fri
    (sthlm(2026, 12, 23, 13, 0), 24, sthlm(2026, 12, 28, 13, 0), "over julafton/juldagen/annandag jul"),
    (sthlm(2026, 12, 23, 13, 0), 48, sthlm(2026, 12, 29, 13, 0), "into the week after jul"),
    (sthlm(2026, 12, 30, 13, 0), 24, sthlm(2027, 1, 4, 13, 0), "over nyårsafton/nyårsdagen"),
    (sthlm(2026, 12, 30, 13, 0), 48, sthlm(2027, 1, 5, 13, 0), "over nyår and into Jan 5"),
    (sthlm(2027, 1, 5, 13, 0), 24, sthlm(2027, 1, 7, 13, 0), "over trettondedag jul 2027 (Wed)"),
    (sthlm(2026, 12, 24, 10, 0), 24, sthlm(2026, 12, 29), "received on julafton"),
    # DST: spring forward Sun 29 March 2026, fall back Sun 25 October 2026
    (sthlm(2026, 3, 27, 10, 0), 24, sthlm(2026, 3, 30, 10, 0), "over spring-forward weekend: same wall time"),
    (sthlm(2026, 10, 23, 10, 0), 24, sthlm(2026, 10, 26, 10, 0), "over fall-back weekend: same wall time"),
    (sthlm(2026, 3, 29, 2, 30), 1, sthlm(2026, 3, 30, 1, 0), "non-existent 02:30 on the spring-forward Sunday"),
    (sthlm(2026, 10, 25, 2, 30, fold=1), 1, sthlm(2026, 10, 26, 1, 0), "ambiguous 02:30 on the fall-back Sunday"),
]


@pytest.mark.parametrize(("start", "hours", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_add_working_hours_table(start, hours, expected, why):
    result = add_working_hours(start, hours)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()  # same wall-clock time, not just same instant
    assert result.tzinfo is STOCKHOLM
    assert working_hours_between(start, result) == timedelta(hours=hours)


def test_dst_weekend_keeps_wall_clock_but_not_elapsed_time():
    start = sthlm(2026, 3, 27, 10, 0)
    result = add_working_hours(start, 24)
    assert result - start == timedelta(days=3)  # same-tz subtraction: wall clock
    assert result.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=71)  # real time
    start = sthlm(2026, 10, 23, 10, 0)
    result = add_working_hours(start, 24)
    assert result.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=73)


def test_start_in_utc_returns_stockholm_time():
    start = datetime(2026, 5, 8, 13, 0, tzinfo=UTC)  # Friday 15:00 in Stockholm (CEST)
    result = add_working_hours(start, 48)
    assert result.tzinfo is STOCKHOLM
    assert result == sthlm(2026, 5, 12, 15, 0)
    # 23:30 UTC on Friday is already Saturday 00:30 in Stockholm (CET, winter)
    assert add_working_hours(datetime(2026, 1, 9, 23, 30, tzinfo=UTC), 0) == sthlm(2026, 1, 12)


def test_rejects_naive_start_and_negative_hours():
    with pytest.raises(ValueError):
        add_working_hours(datetime(2026, 5, 5, 10), 24)
    with pytest.raises(ValueError):
        add_working_hours(sthlm(2026, 5, 5, 10), -1)
    with pytest.raises(ValueError):
        working_hours_between(datetime(2026, 5, 5), sthlm(2026, 5, 6))


def test_working_hours_between():
    assert working_hours_between(sthlm(2026, 5, 8, 15), sthlm(2026, 5, 12, 15)) == timedelta(hours=48)
    assert working_hours_between(sthlm(2026, 5, 9), sthlm(2026, 5, 11)) == timedelta(0)
    assert working_hours_between(sthlm(2026, 5, 12), sthlm(2026, 5, 11)) == timedelta(0)
    # the whole of 2026: 365 - 104 weekend days - 7 weekday holidays - 3 weekday eves
    assert working_hours_between(sthlm(2026, 1, 1), sthlm(2027, 1, 1)) == timedelta(days=251)
    # a DST change only ever falls on a Sunday, so it never shortens working time
    assert working_hours_between(sthlm(2026, 3, 27), sthlm(2026, 3, 31)) == timedelta(hours=48)


# --- properties ------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2040, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([UTC, STOCKHOLM]),
)
quarter_hours = st.integers(min_value=0, max_value=4 * 24 * 20).map(lambda q: q / 4)


@given(s1=starts, s2=starts, hours=quarter_hours)
def test_monotone_in_start(s1, s2, hours):
    s1, s2 = sorted([s1, s2])
    assert add_working_hours(s1, hours) <= add_working_hours(s2, hours)


@given(start=starts, h1=quarter_hours, h2=quarter_hours)
def test_monotone_in_hours(start, h1, h2):
    h1, h2 = sorted([h1, h2])
    assert add_working_hours(start, h1) <= add_working_hours(start, h2)


@given(start=starts, hours=quarter_hours | st.floats(min_value=0, max_value=500))
def test_working_hours_between_inverts_add(start, hours):
    result = add_working_hours(start, hours)
    assert result.tzinfo is STOCKHOLM
    assert result >= start
    assert is_working_day(result.date())
    assert abs(working_hours_between(start, result) - timedelta(hours=hours)) <= timedelta(microseconds=1)


@given(start=starts, h1=quarter_hours, h2=quarter_hours)
def test_adding_in_two_steps_is_the_same(start, h1, h2):
    assert add_working_hours(add_working_hours(start, h1), h2) == add_working_hours(start, h1 + h2)


@settings(max_examples=50)
@given(start=starts, end=starts)
def test_working_hours_between_is_additive(start, end):
    start, end = sorted([start.astimezone(UTC), end.astimezone(UTC)])
    middle = start + (end - start) / 2
    assert working_hours_between(start, end) == working_hours_between(start, middle) + working_hours_between(
        middle, end
    )
