"""Shared helpers for the calendar tests."""

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from calendars import services as calendar_services
from jour.workdays import STOCKHOLM, is_working_day
from tests.personas import client_for  # noqa: F401 - the tests here import it from this module


def sthlm(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def working_day_ahead(days: int = 14) -> date:
    """The first working day at least ``days`` days after today (Stockholm)."""
    day = timezone.localdate() + timedelta(days=days)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def plan(kind, *, by, day: date, hour: int = 10, minutes: int = 60, case=None, participants=(), **texts):
    """An appointment made through the service, so that it passes the same checks as the form."""
    starts = sthlm(day, hour)
    data = {
        "kind": kind,
        "case": case,
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=minutes),
        "place": texts.get("place", ""),
        "room": texts.get("room", ""),
        "title": texts.get("title", ""),
        "venue": texts.get("venue"),
    }
    return calendar_services.save_appointment(appointment=None, data=data, participants=participants, by=by)


APPOINTMENT_LINK = re.compile(r'href="/calendar/appointments/(\d+)/"')


def linked_appointments(html: str) -> set[int]:
    """The appointments a page links to (their detail pages)."""
    return {int(pk) for pk in APPOINTMENT_LINK.findall(html)}


# -- the phone, the mailbox and the reminders (test_phone, test_mailbox, test_reminders) --


def freeze_now(monkeypatch, moment: datetime) -> None:
    """Make django.utils.timezone.now() (and so localdate()) answer ``moment``.

    Model defaults (``default=timezone.now``) keep the real clock: give those
    fields explicitly."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def message_levels(response) -> list[str]:
    """The level tags ("success", "info", "error") of the messages a response queued."""
    from django.contrib.messages import get_messages

    return [message.level_tag for message in get_messages(response.wsgi_request)]


def requirement_evidence(html: str, code: str) -> tuple[str, str]:
    """(tag class, text) of the evidence line shown under requirement ``code`` on
    the requirements page; the class is "tag ok", "tag bad" or "tag" (assess by hand)."""
    start = html.index(f'<span class="tag">{code}</span>')
    end = html.find("<dt>", start)
    block = html[start : end if end != -1 else len(html)]
    found = re.search(r'<p class="evidence"><span class="([^"]*)">(.*?)</span>(.*?)</p>', block, re.S)
    assert found, f"no evidence shown for {code}"
    return found.group(1), (found.group(2) + " " + found.group(3)).strip()
