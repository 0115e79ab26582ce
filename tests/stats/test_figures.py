"""stats.figures against the hand-built year of tests/stats/dataset.py: every cell
of every table, the periods' boundaries at Stockholm midnight, the municipality
filter, the volunteers, a support person's own work, and a report that does
not change when every case is anonymised."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import retention
from cases.models import Assignment
from stats import figures, selection
from stats.figures import GENDERS, Period
from stats.selection import Selection

from .dataset import (
    ESLOV,
    HAND_COUNT,
    LUND,
    NOW,
    SPECS,
    at,
    expected_counts,
    expected_kpi,
    expected_volunteering,
)

YEAR = Period(date(2026, 1, 1), date(2027, 1, 1))


def matrices(report: figures.Report) -> dict[str, list[list[int]]]:
    return {table.key: table.matrix() for table in [report.seekers, *report.tables, report.support]}


def kpi(report: figures.Report) -> dict[str, tuple[int, int]]:
    return {line.priority: (line.decided, line.kept) for line in report.first_contact}


def test_the_gender_columns_are_woman_man_other_unknown():
    assert [value for value, _label in GENDERS] == ["woman", "man", "other", "unknown"]


def test_every_cell_of_the_year_is_the_hand_count(world):
    report = figures.report(YEAR, now=NOW)

    assert matrices(report) == HAND_COUNT
    assert [table.key for table in report.tables] == [dimension.key for dimension in figures.dimensions()]
    # Normal: 17 decided (c20 not yet, c21 closed by mistake, c15 a contact at registration),
    # 12 kept; urgent: 6 and 4.
    assert kpi(report) == {"normal": (17, 12), "urgent": (6, 4), "all": (23, 16)}
    assert [line.percent for line in report.first_contact] == [71, 67, 70]
    # Alex, Sam and Vera (Vera only tried to call); Ulf only went to group supervision.
    # 1 + 1.5 + 1.5 (two volunteers) + 3 + 2 + 1 + 1 hours; the coordinator's meeting is not counted.
    assert report.volunteering == figures.Volunteering(active=3, hours=11.0)


@pytest.mark.django_db  # the special circumstances are rows of their own
def test_the_hand_count_agrees_with_the_python_count_of_the_specs():
    """The two oracles of this file must agree, or one of them is wrong."""
    counts = expected_counts(YEAR)
    for key, matrix in HAND_COUNT.items():
        rows = [("all", "")] if key == "seekers" else None
        table = figures.Table(key, "", rows or _rows(key), dict(counts[key]))
        assert table.matrix() == matrix, key
    assert expected_kpi(YEAR) == {"normal": (17, 12), "urgent": (6, 4), "all": (23, 16)}
    assert expected_volunteering(YEAR) == (3, 11.0)


def _rows(key: str) -> list[tuple[str, str]]:
    if key == "support":
        return [(value, "") for value, _label in figures.SUPPORT_ROWS]
    choices = {dimension.key: dimension.rows for dimension in figures.dimensions()}[key]
    return [(value, "") for value, _label in choices]


PERIODS = {
    "Q1": Period(date(2026, 1, 1), date(2026, 4, 1)),
    "Q2": Period(date(2026, 4, 1), date(2026, 7, 1)),
    "Q3": Period(date(2026, 7, 1), date(2026, 10, 1)),
    "Q4": Period(date(2026, 10, 1), date(2027, 1, 1)),
    "January": Period(date(2026, 1, 1), date(2026, 2, 1)),
    "March": Period(date(2026, 3, 1), date(2026, 4, 1)),
    "April": Period(date(2026, 4, 1), date(2026, 5, 1)),
    "31 March only": Period(date(2026, 3, 31), date(2026, 4, 1)),
    "spring, custom": Period(date(2026, 2, 15), date(2026, 6, 10)),
    "December 2025": Period(date(2025, 12, 1), date(2026, 1, 1)),
    "2025": Period(date(2025, 1, 1), date(2026, 1, 1)),
    "a year and a half": Period(date(2025, 6, 1), date(2026, 12, 1)),
    "2026, Eslöv": Period(date(2026, 1, 1), date(2027, 1, 1), ESLOV),
    "2026, Lund": Period(date(2026, 1, 1), date(2027, 1, 1), LUND),
    "Q1, Eslöv": Period(date(2026, 1, 1), date(2026, 4, 1), ESLOV),
    "2026, nowhere": Period(date(2026, 1, 1), date(2027, 1, 1), "0180"),
    "2024": Period(date(2024, 1, 1), date(2025, 1, 1)),
}


@pytest.mark.parametrize("name", PERIODS)
def test_each_period_picks_its_cases_attempts_and_appointments(world, name):
    period = PERIODS[name]
    report = figures.report(period, now=NOW)
    expected = expected_counts(period)

    for table in [report.seekers, *report.tables, report.support]:
        assert table.counts == expected[table.key], table.key
    assert kpi(report) == expected_kpi(period)
    assert (report.volunteering.active, report.volunteering.hours) == expected_volunteering(period)


def test_a_quarter_ends_at_stockholm_midnight_not_utc(world):
    c06, c07 = world.cases["c06"], world.cases["c07"]
    # In UTC both reached the jour on 31 March: a UTC boundary would put both in Q1.
    assert c06.received_at.astimezone(UTC).date() == date(2026, 3, 31)
    assert c07.received_at.astimezone(UTC).date() == date(2026, 3, 31)

    q1 = figures.report(PERIODS["Q1"], now=NOW)
    q2 = figures.report(PERIODS["Q2"], now=NOW)

    # c06 (23:30 on 31 March, a fraud against a woman of 65+) is Q1's only fraud,
    # c07 (00:30 on 1 April, a man) Q2's only one.
    fraud = [value for value, _label in figures.FIXED_DIMENSIONS[0].rows].index("fraud")
    senior = [value for value, _label in figures.FIXED_DIMENSIONS[1].rows].index("65+")
    assert q1.tables[0].matrix()[fraud] == [1, 0, 0, 0]
    assert q2.tables[0].matrix()[fraud] == [0, 1, 0, 0]
    assert q1.tables[1].matrix()[senior] == [1, 0, 0, 0]
    # Q1: c00-c06, c21 and two in Eslöv; Q2: c07-c12 and one in Eslöv.
    assert q1.seekers.matrix() == [[7, 3, 0, 0]]
    assert q2.seekers.matrix() == [[4, 2, 1, 0]]
    assert (
        q1.seekers.matrix()[0][0]
        + q2.seekers.matrix()[0][0]
        + sum(figures.report(PERIODS[name], now=NOW).seekers.matrix()[0][0] for name in ("Q3", "Q4"))
        == HAND_COUNT["seekers"][0][0]
    )

    only_31_march = figures.report(PERIODS["31 March only"], now=NOW)
    assert only_31_march.seekers.matrix() == [[1, 0, 0, 0]]


def test_the_year_starts_at_stockholm_midnight(world):
    c00, x01 = world.cases["c00"], world.cases["x01"]
    assert c00.received_at.astimezone(UTC).year == 2025  # inside 2026 in Stockholm only
    assert x01.received_at.astimezone(UTC).date() == date(2025, 12, 31)

    january = figures.report(PERIODS["January"], now=NOW)
    december = figures.report(PERIODS["December 2025"], now=NOW)

    # January: c00, c01, c02 (women) and n01 (a man).
    assert january.seekers.matrix() == [[3, 1, 0, 0]]
    assert december.seekers.matrix() == [[1, 0, 0, 0]]  # x01 alone
    # x01's attempt was made on 2 January 2026: it is support given in January.
    assert january.support.matrix()[0] == [5, 1, 0, 0]
    assert december.support.matrix()[0] == [0, 0, 0, 0]
    # The hearing at 22:00 on New Year's Eve belongs to December, the one at 00:00 on New Year's Day to January.
    assert december.support.matrix()[2] == [0, 0, 0, 1]
    assert january.support.matrix()[2] == [0, 0, 0, 1]
    assert december.volunteering == figures.Volunteering(active=1, hours=2.0)  # Alex, 2 h
    # Alex (two attempts, a meeting of 1 h) and Sam (an attempt in Eslöv, the hearing of 1 h).
    assert january.volunteering == figures.Volunteering(active=2, hours=2.0)


def test_the_municipality_filter(world):
    eslov = figures.report(PERIODS["2026, Eslöv"], now=NOW)
    lund = figures.report(PERIODS["2026, Lund"], now=NOW)

    assert eslov.seekers.matrix() == [[2, 2, 0, 0]]
    assert lund.seekers.matrix() == [[14, 6, 1, 1]]
    # Attempts n01, n02, n03, n04; the meeting on n01; no hearing (those without a case belong nowhere).
    assert eslov.support.matrix() == [[2, 2, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0]]
    assert lund.support.matrix() == [[13, 5, 1, 1], [2, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [2, 2, 0, 0]]
    assert kpi(eslov) == {"normal": (3, 2), "urgent": (1, 1), "all": (4, 3)}
    # Sam's attempt on n01 and the meeting on n01 (1 h; the coordinator went too, uncounted).
    assert eslov.volunteering == figures.Volunteering(active=1, hours=1.0)
    # Alex, Sam, Vera; 1 + 1.5 + 1.5 + 3 hours.
    assert lund.volunteering == figures.Volunteering(active=3, hours=7.0)
    # The two add up to the whole year, table by table; but for hearings without a case.
    whole = figures.report(YEAR, now=NOW)
    for key, both in matrices(whole).items():
        summed = [
            [a + b for a, b in zip(x, y, strict=True)]
            for x, y in zip(matrices(eslov)[key], matrices(lund)[key], strict=True)
        ]
        if key == "support":
            assert summed[:2] == both[:2] and summed[3:] == both[3:]
            assert [b - a for a, b in zip(summed[2], both[2], strict=True)] == [0, 0, 0, 2]
        else:
            assert summed == both, key
    nowhere = figures.report(PERIODS["2026, nowhere"], now=NOW)
    assert all(not table.counts for table in [nowhere.seekers, *nowhere.tables, nowhere.support])
    assert kpi(nowhere) == {"normal": (0, 0), "urgent": (0, 0), "all": (0, 0)}
    assert [line.percent for line in nowhere.first_contact] == [None, None, None]
    assert nowhere.volunteering == figures.Volunteering(active=0, hours=0.0)


def test_the_first_contact_figures_follow_the_clock(world):
    def year_kpi(now):
        return kpi(figures.report(YEAR, now=now))

    # At NOW c20's deadline (Wednesday 21 October 10:00) has not passed.
    assert year_kpi(NOW)["normal"] == (17, 12)
    assert year_kpi(at(2026, 10, 21, 9, 59))["normal"] == (17, 12)
    assert year_kpi(at(2026, 10, 21, 10, 0))["normal"] == (18, 12)
    # Before c19's (urgent) deadline on Friday 16 October 10:00, urgent had 5 decided.
    assert year_kpi(at(2026, 10, 16, 9))["urgent"] == (5, 4)
    # c21, closed two hours after it came in, never counts; nor does c15, the anonymous walk-in.
    assert year_kpi(at(2030, 1, 1))["normal"] == (18, 12)


def test_a_support_persons_own_work(world):
    alex, sam, vera = world.users["alex"], world.users["sam"], world.users["vera"]

    # Alex: c01, c04, c08; four attempts; meetings on c01 and c04 (1 + 1.5 h); the hearing without a case (2 h).
    assert figures.own_work(alex, YEAR) == {"cases": 3, "attempts": 4, "meetings": 2, "hearings": 1, "hours": 4.5}
    # Sam: c12, n01; two attempts; meetings on c04 and n01; hearings on c05 and on New Year's Day.
    assert figures.own_work(sam, YEAR) == {"cases": 2, "attempts": 2, "meetings": 2, "hearings": 2, "hours": 6.5}
    assert figures.own_work(vera, YEAR) == {"cases": 1, "attempts": 1, "meetings": 0, "hearings": 0, "hours": 0.0}
    # December 2025: Alex's hearing on New Year's Eve, nothing else (the assignments came later).
    assert figures.own_work(alex, PERIODS["December 2025"]) == {
        "cases": 0,
        "attempts": 0,
        "meetings": 0,
        "hearings": 1,
        "hours": 2.0,
    }


def test_a_meeting_that_did_not_take_place_counts_nowhere(world):
    from calendars.models import Appointment, AppointmentKind
    from calendars.services import remove_appointment

    alex = world.users["alex"]
    meeting = Appointment.objects.filter(kind=AppointmentKind.MEETING, participants=alex, case=world.cases["c01"]).get()
    before = figures.report(YEAR, now=NOW).support.counts[AppointmentKind.MEETING, meeting.case.gender]

    assert not remove_appointment(appointment=meeting, reason="Stödsökande kom inte", by=world.people.coordinator)

    assert figures.own_work(alex, YEAR) == {"cases": 3, "attempts": 4, "meetings": 1, "hearings": 1, "hours": 3.5}
    after = figures.report(YEAR, now=NOW).support.counts[AppointmentKind.MEETING, meeting.case.gender]
    assert after == before - 1
    parts = figures.parts(2026, now=NOW).report(selection.YEAR, "")
    assert matrices(parts) == matrices(figures.report(YEAR, now=NOW))


def test_a_case_handed_over_before_the_period_is_not_the_former_support_persons(world):
    alex, sam = world.users["alex"], world.users["sam"]
    case = world.cases["c09"]
    from tests.cases.factories import assign

    # Alex had c09 in 2025 and handed it over; Sam has it now.
    mine = assign(case, alex, by=world.people.coordinator)
    Assignment.objects.filter(pk=mine.pk).update(
        assigned_at=datetime(2025, 1, 10, tzinfo=UTC), ended_at=datetime(2025, 2, 1, tzinfo=UTC)
    )
    assign(case, sam, by=world.people.coordinator)

    assert figures.own_work(alex, YEAR)["cases"] == 3  # c01, c04, c08: not c09


def every_selection(year: int) -> list[Selection]:
    """Every calendar period of the year, for all municipalities and for each of the dataset's."""
    periods = [selection.YEAR, *selection.QUARTERS, *[(month,) for month in range(1, 13)]]
    return [Selection(year, months, place) for months in periods for place in ("", LUND, ESLOV, "0180")]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_parts_of_a_year_add_up_to_every_period_and_municipality(world, year):
    parts = figures.parts(year, now=NOW)
    assert parts.municipalities() == sorted({LUND, ESLOV} if year == 2026 else {LUND})
    for chosen in every_selection(year):
        period = Period(
            date(year, chosen.months[0], 1),
            date(year + 1, 1, 1) if chosen.months[-1] == 12 else date(year, chosen.months[-1] + 1, 1),
            chosen.municipality,
        )
        from_parts, direct = parts.report(chosen.months, chosen.municipality), figures.report(period, now=NOW)
        assert from_parts.period == period
        assert matrices(from_parts) == matrices(direct), chosen
        assert kpi(from_parts) == kpi(direct), chosen
        assert [line.label for line in from_parts.first_contact] == [line.label for line in direct.first_contact]


def test_the_parts_cost_as_many_queries_as_one_report(world, monkeypatch):
    with CaptureQueriesContext(connection) as parts_queries:
        figures.parts(2026, now=NOW)
    # The parts count the cases one GROUP BY per table (by month and municipality, one scan
    # with GROUPING SETS was slower), so they are set beside a report counted the same way.
    portable = lambda cases, keys, now: figures._counted_by_query(cases, (), keys, now)  # noqa: E731
    monkeypatch.setattr(figures, "case_counts", portable)
    with CaptureQueriesContext(connection) as report_queries:
        figures.report(YEAR, now=NOW)
    # The report's three volunteer queries are not parts: they count people, not cases.
    assert len(parts_queries.captured_queries) <= len(report_queries.captured_queries)


def shown_everywhere(year: int) -> dict:
    """What protected readers get for every selection of the year."""
    tree = selection.Tree(figures.parts(year, now=NOW), minimum=3, min_seekers=4)
    result = {}
    for chosen in every_selection(year):
        found = tree.protected(chosen)
        result[chosen] = found.withheld or {pos: found.shown(pos, n, 3) for pos, n in found.cells.items()}
    return result


def test_anonymising_every_case_changes_no_figure(world):
    periods = [YEAR, *PERIODS.values()]
    before = [figures.report(period, now=NOW) for period in periods]
    before_matrices = [matrices(report) for report in before]
    before_protected = shown_everywhere(2026)
    assert any(not isinstance(shown, str) for shown in before_protected.values())

    for case in world.cases.values():
        assert retention.anonymise(case=case, rule=retention.RULE_ERASURE, by=world.people.coordinator)
        case.refresh_from_db()
        assert case.anonymised_at is not None
        assert (case.first_name, case.last_name, case.phone, case.email) == ("", "", "", "")

    after = [figures.report(period, now=NOW) for period in periods]
    assert after == before  # the dataclasses: tables, KPI lines and volunteering
    assert [matrices(report) for report in after] == before_matrices
    assert matrices(after[0]) == HAND_COUNT
    assert shown_everywhere(2026) == before_protected  # and so is every protected page


def test_the_specs_cover_what_the_brief_asks_for():
    """The data set itself: 20+ cases in the year, some outside it, two municipalities."""
    inside = [spec for spec in SPECS if at(2026, 1, 1, 0) <= spec.received < at(2027, 1, 1, 0)]
    assert len(inside) >= 20
    assert len(SPECS) - len(inside) >= 2
    assert {spec.municipality for spec in inside} == {LUND, ESLOV}
    assert any(spec.received == at(2026, 3, 31, 23, 30) for spec in SPECS)
    assert NOW - timedelta(days=1) > max(spec.received for spec in inside if spec.kpi != "open")


def test_the_municipalities_are_found_by_stepping_through_the_index_in_one_query(world):
    """figures.municipalities() steps from code to code; it finds what a DISTINCT over
    every case finds (a blank and a code no municipality has are left out)."""
    from cases import municipalities as official
    from cases.models import Case

    pks = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    # Malmö, Kiruna, Ystad, a blank and a code no municipality has, beside Lund and Eslöv.
    for pk, code in zip(pks[::3], ["1280", "2584", "1286", "", "9999", "1280"], strict=False):
        Case.objects.filter(pk=pk).update(municipality=code)
    distinct = set(Case.objects.exclude(municipality="").values_list("municipality", flat=True))
    assert {"1280", "2584", "1286", "9999", LUND} <= distinct

    with CaptureQueriesContext(connection) as queries:
        found = figures.municipalities()

    assert len(queries) == 1
    assert found == sorted(
        ((code, official.name(code)) for code in distinct if official.name(code)),
        key=lambda choice: official.swedish_order(choice[1]),
    )
    assert [name for _code, name in found][:2] == ["Eslöv", "Kiruna"]
