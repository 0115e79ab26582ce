"""Working-day arithmetic for Swedish statutory time limits.

Which days count
----------------
Lag (1930:173) om beräkning av lagstadgad tid, 2 §, says that when the last
day of a statutory time limit falls on a Saturday, a Sunday or another public
holiday ("allmän helgdag"), or on midsommarafton, julafton or nyårsafton, the
step may still be taken on the next weekday. This module treats exactly those
days as *non-working* and every other day as a *working day*:

* Saturdays and Sundays (every Sunday is also an "allmän helgdag").
* The public holidays of Lag (1989:253) om allmänna helgdagar: nyårsdagen,
  trettondedag jul, långfredagen, påskdagen, annandag påsk, första maj,
  Kristi himmelsfärdsdag, nationaldagen, pingstdagen, midsommardagen,
  alla helgons dag, juldagen and annandag jul. Several of these always fall
  on a Sunday or a Saturday; the ones that matter on weekdays are the fixed
  dates plus långfredagen, annandag påsk and Kristi himmelsfärdsdag.
* The three eves named in the act: midsommarafton (the Friday between 19 and
  25 June), julafton (24 Dec) and nyårsafton (31 Dec). Påskafton and
  pingstafton are always Saturdays, so they need no special rule.

The holiday dates come from the ``holidays`` package, used deliberately:
``country_holidays("SE")`` with its default (public) category gives the
statutory holidays. We add weekends and the three eves ourselves instead of
relying on the package for them, because that part has changed between
releases: older releases listed every Sunday as "Söndag" and put the eves in
the default set, newer ones hide Sundays behind ``include_sundays=True`` and
move the eves to a "de_facto" category. Taking the union with our own
weekend/eve days gives the same answer with any of them. The package's
"optional" and "bank" categories (skärtorsdagen, valborgsmässoafton, the
afternoons before holidays, "klämdagar", ...) are NOT used: under the act
those are ordinary working days.

How hours are counted
---------------------
A working day counts from local midnight to the next local midnight in
Europe/Stockholm, and contributes the real elapsed time between the two (23
or 25 hours on a DST change day; in Sweden those are Sundays, so in practice
every working day is 24 hours long). Time on non-working days does not count.
All arithmetic is done in UTC, so it always measures real elapsed time;
results are returned in Europe/Stockholm.

``add_working_hours(start, h)`` returns the earliest instant *on a working
day* at which ``h`` working hours have passed since ``start``. Consequences:
a start on a non-working day starts the clock at the next working day's
00:00; ``h=0`` returns ``start`` itself on a working day and the next working
day's 00:00 otherwise; and when the hours run out exactly at the end of a
working day that is followed by non-working days, the answer is the next
working day's 00:00 (e.g. Thursday 00:00 + 48 h is Monday 00:00, not
Saturday 00:00). Either way ``working_hours_between(start, result) == h``.
"""

from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "STOCKHOLM",
    "add_working_hours",
    "is_working_day",
    "next_working_day_start",
    "working_hours_between",
]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_ONE_DAY = timedelta(days=1)


@cache
def _non_working_days(year: int) -> frozenset[date]:
    """All non-working days of ``year``: weekends, public holidays, eves."""
    jan1 = date(year, 1, 1)
    days = (jan1 + timedelta(days=n) for n in range((date(year + 1, 1, 1) - jan1).days))
    weekends = {d for d in days if d.weekday() >= 5}
    june19 = date(year, 6, 19)
    midsommarafton = june19 + timedelta(days=(4 - june19.weekday()) % 7)  # Friday 19-25 June
    eves = {midsommarafton, date(year, 12, 24), date(year, 12, 31)}
    public = holidays.country_holidays("SE", years=year).keys()
    return frozenset(weekends | eves | set(public))


def is_working_day(d: date) -> bool:
    """True unless ``d`` is a Saturday, Sunday, public holiday or one of the eves."""
    if isinstance(d, datetime):  # datetime never equals a date: would always say True
        raise TypeError("is_working_day() takes a date, not a datetime")
    return d not in _non_working_days(d.year)


def _next_working_day(d: date) -> date:
    """The first working day strictly after ``d``."""
    d += _ONE_DAY
    while d in _non_working_days(d.year):
        d += _ONE_DAY
    return d


@lru_cache(maxsize=16384)  # ~45 years of days; cheap, and saves most zoneinfo work
def _midnight_utc(d: date) -> datetime:
    """The instant of local (Stockholm) 00:00 on ``d``, as a UTC datetime."""
    return datetime(d.year, d.month, d.day, tzinfo=STOCKHOLM).astimezone(UTC)


def _to_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {dt!r}")
    return dt.astimezone(UTC)


def next_working_day_start(d: date) -> datetime:
    """00:00 Stockholm time of the first working day strictly after ``d``."""
    n = _next_working_day(d)
    return datetime(n.year, n.month, n.day, tzinfo=STOCKHOLM)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The instant (Stockholm time) at which ``hours`` working hours have passed.

    See the module docstring for the exact rules. Raises ValueError for a
    naive ``start`` or negative ``hours``.
    """
    if hours < 0:
        raise ValueError(f"hours must not be negative, got {hours!r}")
    remaining = timedelta(hours=hours)
    cursor = _to_utc(start)
    day = cursor.astimezone(STOCKHOLM).date()
    if day in _non_working_days(day.year):
        day = _next_working_day(day)
        cursor = _midnight_utc(day)
    # One step per working day (the first one may be partial); runs of
    # non-working days are skipped in a single step.
    while True:
        left_today = _midnight_utc(day + _ONE_DAY) - cursor
        if remaining < left_today:
            return (cursor + remaining).astimezone(STOCKHOLM)
        remaining -= left_today
        day = _next_working_day(day)
        cursor = _midnight_utc(day)


def working_hours_between(start: datetime, end: datetime) -> timedelta:
    """Real elapsed time between ``start`` and ``end`` that falls on working days.

    Zero when ``end <= start``.
    """
    cursor, end = _to_utc(start), _to_utc(end)
    total = timedelta(0)
    day = cursor.astimezone(STOCKHOLM).date()
    while cursor < end:
        day_end = _midnight_utc(day + _ONE_DAY)
        if day not in _non_working_days(day.year):
            total += min(day_end, end) - cursor
        day, cursor = day + _ONE_DAY, day_end
    return total
