"""How the site writes numbers, percentages, dates and times: one function each.

Pages (through the `formatting` template filters), e-mails, PDFs and the text of
exports call these, so that a share reads "66,7 %" in Swedish and "66.7%" in
English wherever it appears, and a day "ons 2 dec" / "Wed 2 Dec". Each function
follows the active language; times are shown in the site's time zone.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

# Shown for a figure that does not exist (a share of nothing, a missing day).
MISSING = "–"
NBSP = "\xa0"

# Swedish writes month abbreviations in lower case ("2 dec"), English capitalised
# ("2 Dec"), as Django's "b" and "M" formats do. Lists write a day on every row,
# and Django's date formatting looks up a translation per letter: the names are
# looked up once per language here instead (tests/jour/test_formatting.py holds
# the two ways equal).
_NAMES: dict[str, tuple[list[str], list[str]]] = {}


def _names() -> tuple[list[str], list[str]]:
    """(weekday abbreviations Monday first, month abbreviations January first) in the active language."""
    language = get_language() or "sv"
    names = _NAMES.get(language)
    if names is None:
        capitalise = not _swedish()
        weekdays = [str(WEEKDAYS_ABBR[n]) for n in range(7)]
        months = [str(MONTHS_3[n]).title() if capitalise else str(MONTHS_3[n]) for n in range(1, 13)]
        names = _NAMES[language] = (weekdays, months)
    return names


def _swedish() -> bool:
    return (get_language() or "sv").split("-")[0] != "en"


def _rounded(value, decimals: int) -> Decimal:
    """Half up, as people round: Django's number_format cuts off the extra digits
    and Python's round() goes to the even neighbour."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value, decimals: int = 0) -> str:
    """12 345 in Swedish (a non-breaking space between thousands), 12,345 in English;
    ``decimals`` digits after the decimal comma or point."""
    if value is None:
        return MISSING
    if decimals == 0 and type(value) is int:
        # A statistics page writes a thousand counts: Django's number_format took
        # a tenth of it. Both languages group by three (tests/jour/test_formatting.py
        # holds the two ways equal).
        return f"{value:,}".replace(",", get_format("THOUSAND_SEPARATOR", use_l10n=True))
    return number_format(_rounded(value, decimals), decimals, use_l10n=True, force_grouping=True)


def figure(value) -> str:
    """A count as a table shows it: a number gets its thousands separator, and
    anything else (a protected figure such as "<3" or "·") is shown as it is."""
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        return number(int(value))
    return MISSING if value is None else str(value)


def percent(share) -> str:
    """A share (0.667, not 66.7) as a percentage with one decimal: "66,7 %" in
    Swedish, where a (non-breaking) space precedes the sign, "66.7%" in English."""
    if share is None:
        return MISSING
    figure = number(Decimal(str(share)) * 100, 1)
    return f"{figure}{NBSP}%" if _swedish() else f"{figure}%"


def percent_of(part, whole) -> str:
    """``part`` of ``whole`` as a percentage; nothing to divide by shows as missing."""
    if part is None or not whole:
        return MISSING
    return percent(Decimal(part) / Decimal(whole))


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value, *, year: bool | None = None, today: date | None = None) -> str:
    """ "ons 2 dec" in Swedish, "Wed 2 Dec" in English; the year is added when it is
    not this year's, or always with ``year=True`` (a document read years later)."""
    if value is None:
        return MISSING
    return _day(_local(value), year, today)


def _day(value, year: bool | None, today: date | None) -> str:
    if year is None:
        today = today or timezone.localdate()
        year = value.year != today.year
    weekdays, months = _names()
    text = f"{weekdays[value.weekday()]} {value.day} {months[value.month - 1]}"
    return f"{text} {value.year}" if year else text


def time(value) -> str:
    """The time of day on the 24-hour clock in both languages: "22:34"."""
    if value is None:
        return MISSING
    value = _local(value)
    return f"{value.hour:02d}:{value.minute:02d}"


def stamp(value) -> str:
    """A point in time as logs and tables show it, the same in both languages:
    "2026-12-02 22:34" (ISO day, local 24-hour time)."""
    if value is None:
        return MISSING
    value = _local(value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"


def moment(value, *, year: bool | None = None, today: date | None = None) -> str:
    """A day and a time: "ons 2 dec 22:34" / "Wed 2 Dec 22:34"."""
    if value is None:
        return MISSING
    value = _local(value)
    return f"{_day(value, year, today)} {value.hour:02d}:{value.minute:02d}"
