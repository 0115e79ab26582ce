"""Benchmark jour.workdays.add_working_hours against two baselines.

Run with ``python -m tests.bench.bench_workdays [n]``. Not a pytest module.

(a) ``jour.workdays.add_working_hours``.
(b) A plain reference implementation in this file: walks forward one calendar
    day at a time in real (UTC) time, with its own holiday set built once from
    the ``holidays`` package plus weekends and the three eves.
(c) ``businesstimedelta`` (if importable): a WorkDayRule Mon-Fri 00:00 to
    23:59:59.999999 plus a HolidayRule with the weekday holidays and eves.
    Subtleties:
    - it only knows pytz time zones, and pytz's Europe/Stockholm has no DST
      transitions after 2037 (it ignores the zone file's rule for later
      years), so midnights from 2038 on come out an hour wrong. We therefore
      run it on Stockholm *wall-clock* time: the start is converted to naive
      local time, the rules are in UTC, and the naive answer is read back as
      Europe/Stockholm via zoneinfo. That is exact here because Swedish DST
      changes always fall on a Sunday, which is never a working day, so on
      every working day wall-clock time and real time run in step;
    - a WorkDayRule cannot end at 24:00, so every working day it counts is
      1 microsecond short and its answers come out a few microseconds late.
      The inputs here are whole seconds and whole hours, so truncating its
      answer to the second removes that artefact exactly;
    - when the hours run out exactly at the end of a working day it would
      answer at that day's end, but the 1 microsecond carry pushes the answer
      to the next working day's 00:00, which is our convention anyway.
(d) ``jour.workdays.add_working_hours_bulk`` on the same instants as one
    numpy datetime64 array (converting the datetimes to it is not timed: the
    bulk function's callers read instants from the database), checked equal
    to (a).
(e) ``numpy.busday_offset`` with the same holiday list, on the local dates of
    the same instants, hours // 24 working days ahead. It counts whole days
    (no time of day, no DST), so its answers are not comparable and are not
    checked: it is only a throughput floor for a vectorised working-day
    calculation on this machine.
pandas' CustomBusinessHour is not used: it rejects opening hours that touch
(00:00-00:00), only takes HH:MM, so the best it can do is 00:00-23:59,
which loses a minute per working day, and it is a far heavier dependency.
"""

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from jour.workdays import add_working_hours, add_working_hours_bulk

STHLM = ZoneInfo("Europe/Stockholm")
YEARS = range(2019, 2043)  # the random starts are in 2020-2040; leave room after


def _reference_non_working_weekdays() -> set[date]:
    days = set(holidays.country_holidays("SE", years=YEARS).keys())
    for year in YEARS:
        midsommarafton = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
        days |= {midsommarafton, date(year, 12, 24), date(year, 12, 31)}
    return {d for d in days if d.weekday() < 5}


REFERENCE_HOLIDAYS = _reference_non_working_weekdays()


def reference_add_working_hours(start: datetime, hours: float) -> datetime:
    """Straightforward day-by-day walk with the same rules (no caching, no skipping)."""
    t = start.astimezone(UTC)
    remaining = timedelta(hours=hours)
    while True:
        day = t.astimezone(STHLM).date()
        next_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), STHLM).astimezone(UTC)
        if day.weekday() < 5 and day not in REFERENCE_HOLIDAYS:
            if remaining < next_midnight - t:
                return (t + remaining).astimezone(STHLM)
            remaining -= next_midnight - t
        t = next_midnight


def make_library_add():
    """add_working_hours built on businesstimedelta, or None if it is not installed."""
    try:
        import businesstimedelta
    except ImportError:
        return None
    rule = businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(
                start_time=datetime.min.time(),
                end_time=datetime.max.time(),  # 23:59:59.999999: 24:00 is not expressible
                working_days=[0, 1, 2, 3, 4],
            ),
            businesstimedelta.HolidayRule(REFERENCE_HOLIDAYS),
        ]
    )  # both rules in UTC (the default), fed Stockholm wall-clock time

    def library_add(start: datetime, hours: float) -> datetime:
        wall = start.astimezone(STHLM).replace(tzinfo=None)
        result = wall + businesstimedelta.BusinessTimeDelta(rule, hours=hours)
        # drop the 1 µs/day artefact, then read the wall-clock answer as Stockholm time
        return result.replace(microsecond=0, tzinfo=STHLM)

    return library_add


def make_inputs(n: int, seed: int) -> list[tuple[datetime, int]]:
    rng = random.Random(seed)
    lo = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
    hi = int(datetime(2041, 1, 1, tzinfo=UTC).timestamp())
    zones = (UTC, STHLM)
    return [(datetime.fromtimestamp(rng.randrange(lo, hi), rng.choice(zones)), rng.choice((24, 48))) for _ in range(n)]


def _time_side_by_side(fns, inputs, rounds: int = 5) -> list[tuple[float, list[datetime]]]:
    """``_time`` for several functions, their rounds taken in turn: on a shared,
    noisy machine the load then changes under all of them alike, and their
    ratio stays meaningful."""
    timings = [[] for _ in fns]
    results = [None for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            results[i] = [fn(start, hours) for start, hours in inputs]
            timings[i].append(time.perf_counter() - t0)
    return [(len(inputs) / statistics.median(t), r) for t, r in zip(timings, results, strict=True)]


def _time(fn, inputs, rounds: int = 3) -> tuple[float, list[datetime]]:
    """Median calls per second over ``rounds`` rounds, and the last round's answers."""
    timings = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        results = [fn(start, hours) for start, hours in inputs]
        timings.append(time.perf_counter() - t0)
    return len(inputs) / statistics.median(timings), results


def _time_bulk(fn, rounds: int = 7):
    """Median items per second over ``rounds`` calls of ``fn()`` and its last answer."""
    timings = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - t0)
    return len(result) / statistics.median(timings), result


def bulk_figures(inputs: list[tuple[datetime, int]], expected: list[datetime]) -> dict:
    starts = np.array([s.astimezone(UTC).replace(tzinfo=None) for s, _ in inputs], dtype="datetime64[us]")
    hours = np.array([h for _, h in inputs], dtype=np.int64)
    add_working_hours_bulk(starts, hours)  # build the index outside the timing
    bulk_rate, bulk = _time_bulk(lambda: add_working_hours_bulk(starts, hours))
    wanted = np.array([e.astimezone(UTC).replace(tzinfo=None) for e in expected], dtype="datetime64[us]")

    local_days = np.array([s.astimezone(STHLM).date() for s, _ in inputs], dtype="datetime64[D]")
    days = hours // 24
    calendar = np.busdaycalendar(holidays=sorted(REFERENCE_HOLIDAYS))
    numpy_rate, _ = _time_bulk(lambda: np.busday_offset(local_days, days, roll="forward", busdaycal=calendar))
    return {
        "workdays_bulk_per_s": bulk_rate,
        "workdays_bulk_identical": bool((bulk == wanted).all()),
        "numpy_busday_per_s": numpy_rate,
        "workdays_bulk_vs_numpy_ratio": bulk_rate / numpy_rate,
    }


LIBRARY_SAMPLE = 5_000


def run(n: int = 100_000, seed: int = 20260101) -> dict:
    inputs = make_inputs(n, seed)
    for start, hours in inputs:  # warm the per-year caches outside the timing
        add_working_hours(start, hours)
    (ours_rate, ours), (loop_rate, loop) = _time_side_by_side([add_working_hours, reference_add_working_hours], inputs)
    identical = ours == loop  # datetime equality compares instants
    library = make_library_add()
    lib_rate = None
    if library is not None:
        # businesstimedelta manages a few hundred calls a second: timed on the first
        # LIBRARY_SAMPLE instants (its answers checked there), or it alone would take
        # most of `make bench`.
        sample = inputs[:LIBRARY_SAMPLE]
        lib_rate, lib = _time(library, sample)
        identical = identical and ours[:LIBRARY_SAMPLE] == lib
    return {
        **bulk_figures(inputs, ours),
        "n": n,
        "workdays_calls_per_s": ours_rate,
        "workdays_loop_calls_per_s": loop_rate,
        "workdays_library_calls_per_s": lib_rate,
        "workdays_identical": identical,
        "workdays_vs_loop_ratio": ours_rate / loop_rate,
        "workdays_vs_library_ratio": ours_rate / lib_rate if lib_rate else None,
    }


def main() -> None:
    result = run(int(sys.argv[1])) if len(sys.argv) > 1 else run()
    print(
        f"add_working_hours, n={result['n']}, median of 5 rounds taken in turn"
        f" (businesstimedelta: 3 after them, on the first {LIBRARY_SAMPLE})"
    )
    print(f"{'implementation':<28}{'calls/s':>12}{'ours is x faster':>18}")
    rows = [
        ("jour.workdays", result["workdays_calls_per_s"], 1.0),
        ("day-by-day loop", result["workdays_loop_calls_per_s"], result["workdays_vs_loop_ratio"]),
        ("businesstimedelta", result["workdays_library_calls_per_s"], result["workdays_vs_library_ratio"]),
    ]
    for name, rate, ratio in rows:
        if rate is None:
            print(f"{name:<28}{'n/a (not installed)':>30}")
        else:
            print(f"{name:<28}{rate:>12,.0f}{ratio:>17.1f}x")
    print(f"all answers identical: {result['workdays_identical']}")
    print(f"\nadd_working_hours_bulk, one array of n={result['n']}, median of 7 rounds")
    print(f"{'implementation':<28}{'instants/s':>12}{'ours is x faster':>18}")
    print(f"{'jour.workdays bulk':<28}{result['workdays_bulk_per_s']:>12,.0f}{1.0:>17.1f}x")
    numpy_row = f"{'numpy.busday_offset (days)':<28}{result['numpy_busday_per_s']:>12,.0f}"
    print(f"{numpy_row}{result['workdays_bulk_vs_numpy_ratio']:>17.1f}x")
    print(f"bulk answers identical to add_working_hours: {result['workdays_bulk_identical']}")


if __name__ == "__main__":
    main()
