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

How it is computed
------------------
Both functions read a cumulative index of working days instead of walking
day by day: for every working day, the instant (integer microseconds since
the epoch, UTC) of its local 00:00 and of the next local 00:00, and the
working time of all working days before it. The working time before any
instant is then one binary search away, and so is the instant at which a
given amount of working time has passed. The index is kept per year, each
year built on first use; an answer in a later year carries the rest over.
Integer microseconds are what ``timedelta`` counts in, so the answers are
those of the plain day-by-day walk to the microsecond.
``add_working_hours_bulk`` joins the years it needs into numpy arrays and
does the same two searches with ``numpy.searchsorted`` over whole arrays.
"""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import numpy as np

__all__ = [
    "STOCKHOLM",
    "add_working_hours",
    "add_working_hours_bulk",
    "is_working_day",
    "next_working_day_start",
    "working_hours_between",
]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_ONE_DAY = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MICROSECONDS_PER_DAY = 86_400_000_000
_MICROSECOND = timedelta(microseconds=1)
_MICROSECONDS_PER_HOUR = 3_600_000_000


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


def next_working_day_start(d: date) -> datetime:
    """00:00 Stockholm time of the first working day strictly after ``d``."""
    n = _next_working_day(d)
    return datetime(n.year, n.month, n.day, tzinfo=STOCKHOLM)


# --- Instants as integer microseconds -----------------------------------------


def _micros(dt: datetime) -> int:
    """``dt`` as microseconds since the epoch (UTC); ValueError if it is naive."""
    try:
        return (dt - _EPOCH) // _MICROSECOND  # aware subtraction: real elapsed time
    except TypeError:
        raise ValueError(f"expected a timezone-aware datetime, got {dt!r}") from None


def _from_micros(us: int) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(STOCKHOLM)


def _midnight_micros(d: date) -> int:
    """The instant of local (Stockholm) 00:00 on ``d``."""
    return _micros(datetime(d.year, d.month, d.day, tzinfo=STOCKHOLM))


def _hours_micros(hours: float) -> int:
    if type(hours) is int:
        return hours * _MICROSECONDS_PER_HOUR
    return timedelta(hours=hours) // _MICROSECOND  # timedelta's own rounding of a float


# --- The cumulative index -------------------------------------------------------


@dataclass(frozen=True, eq=False, slots=True)
class _Year:
    """The working days of one local (Stockholm) year.

    ``starts[i]`` and ``ends[i]`` are the i-th working day's 00:00 and the next
    day's 00:00; ``before[i]`` is the working time from ``lo`` (1 January,
    00:00) to ``starts[i]``, and its one extra last entry, ``total``, that of
    the whole year, up to ``hi`` (1 January of the next year, 00:00).

    ``offsets[n]`` is the UTC offset (microseconds) all through the n-th day of
    the year, or None on a day the clocks change; ``midnights[i]`` is the i-th
    working day's 00:00 as a Stockholm datetime, or None if the clocks change
    that day.
    Converting with them is plain arithmetic, much cheaper than asking the
    time zone, and exact on days without a change.
    """

    year: int
    ordinal0: int  # date(year, 1, 1).toordinal()
    lo: int
    hi: int
    starts: list[int]
    ends: list[int]
    before: list[int]
    total: int
    offsets: list[int | None]
    midnights: list[datetime | None]

    def working_before(self, t: int) -> int:
        """Working time from ``lo`` to the instant ``t`` (``lo <= t < hi``)."""
        p = bisect_right(self.starts, t) - 1  # the last working day that began at or before t
        if p >= 0 and t < self.ends[p]:
            return self.before[p] + t - self.starts[p]
        return self.before[p + 1]  # t is on a non-working day: all of working day p counts

    def instant_after(self, w: int) -> datetime:
        """The earliest instant on a working day with working time ``w`` before it
        (``0 <= w < total``): at the end of a working day, the next one's 00:00."""
        q = bisect_right(self.before, w) - 1
        into_day = w - self.before[q]
        midnight = self.midnights[q]
        if midnight is None:  # the clocks change that day
            return _from_micros(self.starts[q] + into_day)
        # No clock change: adding to an aware datetime is wall-clock arithmetic,
        # and the time since 00:00 is the wall-clock time.
        return midnight + into_day * _MICROSECOND


_years: dict[int, _Year] = {}


def _year(year: int) -> _Year:
    # A plain dict rather than functools.cache: this is on the hot path, and a
    # dict lookup costs a fraction of a cached call. Two threads may both build
    # a missing year; they build the same thing.
    try:
        return _years[year]
    except KeyError:
        _years[year] = built = _build_year(year)
        return built


def _build_year(year: int) -> _Year:
    starts, ends, before, offsets, midnights = [], [], [0], [], []
    day, stop = date(year, 1, 1), date(year + 1, 1, 1)
    lo = midnight = _midnight_micros(day)
    while day < stop:
        next_midnight = _midnight_micros(day + _ONE_DAY)
        if next_midnight - midnight == _MICROSECONDS_PER_DAY:
            offset = (day.toordinal() - _EPOCH_ORDINAL) * _MICROSECONDS_PER_DAY - midnight
        else:
            offset = None  # the clocks change this day
        offsets.append(offset)
        if day not in _non_working_days(year):
            starts.append(midnight)
            ends.append(next_midnight)
            before.append(before[-1] + next_midnight - midnight)
            midnights.append(None if offset is None else datetime(day.year, day.month, day.day, tzinfo=STOCKHOLM))
        day, midnight = day + _ONE_DAY, next_midnight
    return _Year(year, date(year, 1, 1).toordinal(), lo, midnight, starts, ends, before, before[-1], offsets, midnights)


def _year_containing(t: int, guess: int) -> _Year:
    """The year of the instant ``t``, given a year at most one off (e.g. ``start.year``)."""
    year = _year(guess)
    while t < year.lo:
        year = _year(year.year - 1)
    while t >= year.hi:
        year = _year(year.year + 1)
    return year


def _locate(dt: datetime) -> tuple[int, _Year]:
    """``dt`` as microseconds since the epoch, and the local year it falls in."""
    tz = dt.tzinfo
    if tz is STOCKHOLM or tz is UTC:
        # Wall-clock arithmetic on the fields: much cheaper than any datetime
        # or timedelta operation, and exact when the offset is known.
        n = dt.toordinal()
        days = n - _EPOCH_ORDINAL
        wall = ((days * 24 + dt.hour) * 60 + dt.minute) * 60 + dt.second
        wall = wall * 1_000_000 + dt.microsecond
        if tz is UTC:
            return wall, _year_containing(wall, dt.year)
        year = _year(dt.year)
        offset = year.offsets[n - year.ordinal0]
        if offset is not None:  # no clock change that day
            return wall - offset, year
    t = _micros(dt)
    return t, _year_containing(t, dt.year)


@dataclass(frozen=True, eq=False)
class _Span:
    """Consecutive years as lookup tables, for the bulk function.

    Time from ``lo`` to ``hi`` is cut into slots of ``slot`` microseconds, the
    largest length that divides every local midnight's distance from ``lo``
    (an hour in Stockholm), so that each slot lies within one day. Then, for
    calendar slot k, ``before[k]`` is the working time before it and
    ``working[k]`` 1 if it is working time (else 0); and the j-th slot of
    working time begins at the instant ``work_starts[j]``. Both searches of
    ``_Year`` become an integer division and a table lookup.
    """

    first_year: int
    last_year: int
    lo: int
    hi: int
    slot: int
    before: np.ndarray
    working: np.ndarray
    work_starts: np.ndarray

    @property
    def total(self) -> int:
        return self.slot * len(self.work_starts)

    @classmethod
    def of(cls, first_year: int, last_year: int) -> "_Span":
        years = [_year(y) for y in range(first_year, last_year + 1)]
        lo, hi = years[0].lo, years[-1].hi
        starts = np.array([s for y in years for s in y.starts], dtype=np.int64) - lo
        ends = np.array([e for y in years for e in y.ends], dtype=np.int64) - lo
        slot = int(np.gcd.reduce(np.concatenate([starts, ends, [hi - lo]])))
        marks = np.zeros((hi - lo) // slot + 1, dtype=np.int64)  # +1 at each working day's start, -1 at its end
        np.add.at(marks, starts // slot, 1)
        np.add.at(marks, ends // slot, -1)
        working = np.cumsum(marks[:-1])
        before = slot * (np.cumsum(working) - working)
        work_starts = lo + slot * np.flatnonzero(working)
        return cls(first_year, last_year, lo, hi, slot, before, working, work_starts)


_span: _Span | None = None


def _span_covering(first: int, last: int) -> _Span:
    """A span in which every instant from ``first`` to ``last`` can be looked up."""
    global _span
    span = _span  # read once: another thread may replace it (with a larger one)
    if span is not None and span.lo <= first and last < span.hi:
        return span
    # One year more than asked for: most answers fall a few days after their start.
    first_year, last_year = _from_micros(first).year, _from_micros(last).year + 1
    if span is not None:
        first_year, last_year = min(first_year, span.first_year), max(last_year, span.last_year)
    _span = span = _Span.of(first_year, last_year)
    return span


# --- The public functions ------------------------------------------------------


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The instant (Stockholm time) at which ``hours`` working hours have passed.

    See the module docstring for the exact rules. Raises ValueError for a
    naive ``start`` or negative ``hours``.
    """
    if hours < 0:
        raise ValueError(f"hours must not be negative, got {hours!r}")
    t, year = _locate(start)
    w = year.working_before(t) + _hours_micros(hours)
    while w >= year.total:  # runs out in a later year: carry over what is left
        w -= year.total
        year = _year(year.year + 1)
    return year.instant_after(w)


def working_hours_between(start: datetime, end: datetime) -> timedelta:
    """Real elapsed time between ``start`` and ``end`` that falls on working days.

    Zero when ``end <= start``.
    """
    (t0, year), (t1, last) = _locate(start), _locate(end)
    if t1 <= t0:
        return timedelta(0)
    total = -year.working_before(t0)
    while year is not last:
        total += year.total
        year = _year(year.year + 1)
    return timedelta(microseconds=total + last.working_before(t1))


def add_working_hours_bulk(starts: np.ndarray | Sequence[datetime], hours) -> np.ndarray | list[datetime]:
    """``add_working_hours`` for many starts at once, with the same answers.

    ``starts`` is either a numpy ``datetime64`` array of UTC instants (epoch
    seconds become one with ``.astype("datetime64[s]")``; anything finer than
    a microsecond is dropped), answered with a ``datetime64[us]`` array of UTC
    instants of the same shape, or a sequence of timezone-aware datetimes,
    answered with a list of Stockholm datetimes. ``hours`` is one number, or
    one per start. Raises ValueError for NaT, a naive start or negative hours.
    """
    if isinstance(starts, np.ndarray):
        if starts.dtype.kind != "M":
            raise TypeError(f"expected a datetime64 array, got dtype {starts.dtype}")
        if np.isnat(starts).any():
            raise ValueError("starts must not contain NaT")
        t = starts.astype("datetime64[us]").view(np.int64)
        return _add_micros_bulk(t, _hours_micros_array(hours, t.shape)).view("datetime64[us]")
    t = np.fromiter((_micros(start) for start in starts), dtype=np.int64)
    return [_from_micros(us) for us in _add_micros_bulk(t, _hours_micros_array(hours, t.shape)).tolist()]


def _hours_micros_array(hours, shape: tuple[int, ...]) -> np.ndarray:
    h = np.asarray(hours)
    if h.dtype.kind not in "iuf":
        raise TypeError(f"hours must be numbers, got dtype {h.dtype}")
    if (h < 0).any():
        raise ValueError("hours must not be negative")
    if h.dtype.kind == "f":
        # The few distinct values through timedelta, so that a float rounds
        # to the microsecond exactly as add_working_hours rounds it.
        values, inverse = np.unique(h, return_inverse=True)
        micros = np.array([_hours_micros(float(v)) for v in values], dtype=np.int64)
        us = micros[inverse].reshape(h.shape)
    else:
        us = h.astype(np.int64) * _MICROSECONDS_PER_HOUR
    return np.broadcast_to(us, shape)


def _add_micros_bulk(t: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Vectorised ``add_working_hours`` on microseconds since the epoch."""
    if t.size == 0:
        return t.copy()
    span = _span_covering(int(t.min()), int(t.max()))
    while True:
        # Year.working_before() for every t at once
        k, into_slot = np.divmod(t - span.lo, span.slot)
        w = span.before[k] + into_slot * span.working[k] + h
        shortfall = int(w.max()) - span.total
        if shortfall < 0:
            break
        # Working time is more than half of calendar time in any year, so twice
        # the shortfall in calendar time reaches far enough (and each step adds a year).
        span = _span_covering(span.lo, span.hi + 2 * shortfall)
    # Year.instant_after() for every w at once; at the end of a working day,
    # w falls in the next working day's first slot: its 00:00
    j, into_slot = np.divmod(w, span.slot)
    return span.work_starts[j] + into_slot
