"""jour.formatting: one way to write numbers, percentages, days and times, in both languages."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from jour import formatting
from jour.workdays import STOCKHOLM

NBSP = "\xa0"
TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture
def sv():
    with translation.override("sv"):
        yield


@pytest.fixture
def en():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("share", "swedish", "english"),
    [
        (0, f"0,0{NBSP}%", "0.0%"),
        (1, f"100,0{NBSP}%", "100.0%"),
        (2 / 3, f"66,7{NBSP}%", "66.7%"),
        (Decimal("0.9"), f"90,0{NBSP}%", "90.0%"),
        (0.0005, f"0,1{NBSP}%", "0.1%"),  # half up, not to the even neighbour
        (12.345, f"1{NBSP}234,5{NBSP}%", "1,234.5%"),
        (None, "–", "–"),
    ],
)
def test_percent(share, swedish, english):
    with translation.override("sv"):
        assert formatting.percent(share) == swedish
    with translation.override("en"):
        assert formatting.percent(share) == english


@pytest.mark.parametrize(
    ("part", "whole", "swedish", "english"),
    [
        (2, 3, f"66,7{NBSP}%", "66.7%"),
        (0, 7, f"0,0{NBSP}%", "0.0%"),
        (5, 5, f"100,0{NBSP}%", "100.0%"),
        (0, 0, "–", "–"),
        (None, 3, "–", "–"),
    ],
)
def test_percent_of(part, whole, swedish, english):
    with translation.override("sv"):
        assert formatting.percent_of(part, whole) == swedish
    with translation.override("en"):
        assert formatting.percent_of(part, whole) == english


def test_numbers_swedish(sv):
    assert formatting.number(0) == "0"
    assert formatting.number(100) == "100"
    assert formatting.number(1234567) == f"1{NBSP}234{NBSP}567"
    assert formatting.number(2 / 3, 1) == "0,7"
    assert formatting.number(2.25, 1) == "2,3"
    assert formatting.number(None) == "–"


def test_numbers_english(en):
    assert formatting.number(1234567) == "1,234,567"
    assert formatting.number(1234.5, 1) == "1,234.5"
    assert formatting.number(2 / 3, 1) == "0.7"


def test_day_swedish_lower_case_without_this_year(sv):
    assert formatting.day(date(2026, 12, 2), today=TODAY) == "ons 2 dec"
    assert formatting.day(date(2025, 5, 1), today=TODAY) == "tors 1 maj 2025"  # Django's Swedish abbreviation
    assert formatting.day(date(2026, 12, 2), year=True, today=TODAY) == "ons 2 dec 2026"
    assert formatting.day(None) == "–"


def test_day_english(en):
    assert formatting.day(date(2026, 12, 2), today=TODAY) == "Wed 2 Dec"
    assert formatting.day(date(2025, 5, 1), today=TODAY) == "Thu 1 May 2025"


def test_times_are_local_and_24_hours():
    late = datetime(2026, 12, 2, 21, 34, tzinfo=UTC)  # 22:34 in Stockholm
    for language in ("sv", "en"):
        with translation.override(language):
            assert formatting.time(late) == "22:34"
            assert formatting.time(time(9, 5)) == "09:05"
    with translation.override("sv"):
        assert formatting.moment(late, today=TODAY) == "ons 2 dec 22:34"
    with translation.override("en"):
        assert formatting.moment(late, today=TODAY) == "Wed 2 Dec 22:34"


def test_a_late_evening_in_utc_is_the_next_day_locally(sv):
    # 23:30 UTC on 1 December is 00:30 on the 2nd in Stockholm.
    assert formatting.day(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), today=TODAY) == "ons 2 dec"


def test_django_formats_in_english_use_24_hours_and_no_month_first():
    when = datetime(2026, 1, 12, 22, 34, tzinfo=STOCKHOLM)
    rendered = {}
    for language in ("sv", "en"):
        with translation.override(language):
            rendered[language] = Template(
                '{{ when|date:"SHORT_DATETIME_FORMAT" }}|{{ when|date:"DATETIME_FORMAT" }}|{{ when|time }}'
            ).render(Context({"when": when}))
    assert rendered["en"] == "2026-01-12 22:34|12 Jan 2026 22:34|22:34"
    assert rendered["sv"] == "2026-01-12 22:34|12 januari 2026 22:34|22:34"


def test_filters_call_the_helpers(en):
    html = Template(
        "{% load formatting %}{{ n|as_number }} {{ kept|percent_of:decided }} "
        "{{ share|as_percent }} {{ d|as_day:'year' }}"
    ).render(Context({"n": 12345, "kept": 2, "decided": 3, "share": 0.5, "d": date(2026, 12, 2)}))
    assert html == "12,345 66.7% 50.0% Wed 2 Dec 2026"


def test_a_figure_is_grouped_and_a_protected_one_left_alone():
    with translation.override("sv"):
        assert formatting.figure(12345) == f"12{NBSP}345"
        assert formatting.figure("12345") == f"12{NBSP}345"
        assert formatting.figure("<3") == "<3"
        assert formatting.figure("·") == "·"
        assert formatting.figure("0") == "0"
        assert formatting.figure(None) == "–"
    with translation.override("en"):
        assert formatting.figure("12345") == "12,345"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_days_and_times_read_as_djangos_own_date_formats_would_write_them(language):
    """The formatting looks names up once per language instead of through Django's
    date formatting on every row; every day of two years, with a time, reads the same."""
    from datetime import timedelta

    from django.utils.dateformat import format as django_format

    pattern = {"sv": "D j b", "en": "D j M"}[language]
    with translation.override(language):
        for n in range(0, 2 * 366):
            when = datetime(2025, 1, 1, 0, 0, tzinfo=STOCKHOLM) + timedelta(days=n, minutes=37 * n)
            shown = pattern + (" Y" if when.year != TODAY.year else "")
            assert formatting.day(when, today=TODAY) == django_format(when, shown)
            assert formatting.day(when, year=True) == django_format(when, pattern + " Y")
            assert formatting.time(when) == django_format(when, "H:i")
            assert formatting.stamp(when) == django_format(when, "Y-m-d H:i")
            assert formatting.moment(when, year=True) == django_format(when, pattern + " Y H:i")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_whole_numbers_read_as_djangos_number_format_would_write_them(language):
    """number() writes a whole number without Django's number_format (a statistics
    page writes a thousand); from -10^7 to 10^12 it reads the same."""
    from django.utils.formats import number_format

    values = [0, 1, -1, 7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -9_876_543, 10**12]
    values += [n * 37 + 1 for n in range(-300, 300_000, 997)]
    with translation.override(language):
        for value in values:
            assert formatting.number(value) == number_format(value, 0, use_l10n=True, force_grouping=True), value
