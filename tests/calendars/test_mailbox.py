"""The daily check that the jour's mailbox has been read: one row a day, the
working days without one, the pages that show them and the evidence."""

from datetime import UTC, date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import override

from calendars import mailbox
from calendars.models import MailboxCheck
from compliance import catalogue, evidence
from compliance.models import Requirement
from jour import formatting
from jour.workdays import is_working_day

from .helpers import client_for, freeze_now, message_levels, requirement_evidence, sthlm

TUESDAY_AFTER_EASTER = date(2026, 4, 7)


def test_a_second_confirmation_the_same_day_changes_nothing(people):
    first, created = mailbox.confirm(by=people.alex, now=sthlm(TUESDAY_AFTER_EASTER, 8, 15))
    assert created
    assert (first.day, first.checked_by, first.checked_at) == (
        TUESDAY_AFTER_EASTER,
        people.alex,
        sthlm(TUESDAY_AFTER_EASTER, 8, 15),
    )
    again, created = mailbox.confirm(by=people.sam, now=sthlm(TUESDAY_AFTER_EASTER, 15))
    assert not created
    assert again.pk == first.pk
    assert again.checked_by == people.alex and again.checked_at == sthlm(TUESDAY_AFTER_EASTER, 8, 15)
    assert MailboxCheck.objects.count() == 1

    _, created = mailbox.confirm(by=people.sam, now=sthlm(TUESDAY_AFTER_EASTER + timedelta(days=1), 9))
    assert created and MailboxCheck.objects.count() == 2


def test_the_day_is_the_day_in_stockholm(people):
    check, _ = mailbox.confirm(by=people.alex, now=datetime(2026, 4, 7, 22, 30, tzinfo=UTC))  # 00:30 on the 8th
    assert check.day == date(2026, 4, 8)


def test_confirming_twice_through_the_page(people):
    client = client_for(people.alex)
    response = client.post(reverse("mailbox_read"), {"next": "phone"})
    assert response.status_code == 302 and response.url == reverse("phone_page")
    assert message_levels(response) == ["success"]
    client.get(reverse("phone_page"))  # shows, and so uses up, the message

    response = client.post(reverse("mailbox_read"))
    assert response.status_code == 302 and response.url == reverse("start")
    assert message_levels(response) == ["info"]
    html = client.get(reverse("start")).content.decode()
    assert "already confirmed as read today" in html
    check = MailboxCheck.objects.get()
    assert check.day == timezone.localdate() and check.checked_by == people.alex


def test_the_start_page_asks_until_the_mailbox_is_read(people):
    action = f'action="{reverse("mailbox_read")}"'
    client = client_for(people.alex, language="sv")
    assert action in client.get(reverse("start")).content.decode()
    client.post(reverse("mailbox_read"))
    assert action not in client.get(reverse("start")).content.decode()


# -- the days without a check --------------------------------------------------


def test_missing_days_skip_weekends_and_holidays(people):
    # Wed 1 - Fri 10 April 2026: Good Friday 3, the weekend, Easter Monday 6.
    for day in (date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 4), date(2026, 4, 8), date(2026, 4, 10)):
        MailboxCheck.objects.create(day=day, checked_at=sthlm(day, 9), checked_by=people.alex)
    assert mailbox.missing_days(date(2026, 4, 1), date(2026, 4, 10)) == [date(2026, 4, 7), date(2026, 4, 9)]
    assert mailbox.missing_days(date(2026, 4, 3), date(2026, 4, 6)) == []  # no working day at all
    assert mailbox.missing_days(date(2026, 4, 10), date(2026, 4, 1)) == []
    assert mailbox.missing_days(date(2026, 12, 23), date(2026, 12, 28)) == [date(2026, 12, 23), date(2026, 12, 28)]


def recent_checks(people, *, since_days: int, skip: int) -> tuple[date, list[date]]:
    """Checks from ``since_days`` ago to yesterday, except on the ``skip`` latest
    working days before yesterday; returns (the first check's day, the skipped days)."""
    today = timezone.localdate()
    first = today - timedelta(days=since_days)
    skipped = []
    day = today - timedelta(days=2)
    while len(skipped) < skip:
        if is_working_day(day):
            skipped.append(day)
        day -= timedelta(days=1)
    day = first
    while day < today:
        if day == first or day not in skipped:
            MailboxCheck.objects.create(day=day, checked_at=sthlm(day, 9), checked_by=people.alex)
        day += timedelta(days=1)
    return first, sorted(skipped)


def test_the_coordinators_phone_page_lists_the_missing_days(people):
    _, skipped = recent_checks(people, since_days=20, skip=2)
    html = client_for(people.coordinator).get(reverse("phone_page")).content.decode()
    section = html[html.index('id="missing-title"') : html.index('id="hours-title"')]
    mailbox_list = section.split("<h3>")[1]
    for n in range(1, 21):
        day = timezone.localdate() - timedelta(days=n)
        with translation.override("en"):
            assert (formatting.day(day) in mailbox_list) is (day in skipped), day


def test_the_coordinators_start_page_counts_the_missing_days(people):
    recent_checks(people, since_days=20, skip=3)
    html = client_for(people.coordinator).get(reverse("start")).content.decode()
    assert "The last 30 days: 3 working days without a mailbox check." in html
    assert reverse("phone_page") in html

    html = client_for(people.alex).get(reverse("start")).content.decode()
    assert "without a mailbox check" not in html  # the count is the coordinator's


def test_counting_starts_at_the_first_check(people):
    today = timezone.localdate()
    first = today - timedelta(days=3)
    MailboxCheck.objects.create(day=first, checked_at=sthlm(first, 9), checked_by=people.alex)
    expected = len([first + timedelta(days=n) for n in range(1, 3) if is_working_day(first + timedelta(days=n))])
    html = client_for(people.coordinator).get(reverse("start")).content.decode()
    if expected:
        days = "working day" if expected == 1 else "working days"
        assert f"The last 30 days: {expected} {days} without a mailbox check." in html
    else:
        assert "without a mailbox check." not in html


# -- the evidence for the minimum requirements -------------------------------

TODAY = date(2026, 4, 15)  # a Wednesday after Easter


def checked(user, first: date, last: date, *, skip=()) -> None:
    day = first
    while day <= last:
        if is_working_day(day) and day not in skip:
            MailboxCheck.objects.create(day=day, checked_at=sthlm(day, 9), checked_by=user)
        day += timedelta(days=1)


def test_mailbox_evidence_without_any_check_is_not_met(db, monkeypatch):
    freeze_now(monkeypatch, sthlm(TODAY, 12))
    with override("en"):
        found = evidence.mailbox_read(TODAY)
    assert found.state == evidence.NOT_OK
    assert "No check of the jour's mailbox is logged." in found.summary


def test_mailbox_evidence_counts_from_the_first_check_up_to_yesterday(people, monkeypatch):
    freeze_now(monkeypatch, sthlm(TODAY, 17))  # nobody has read the mailbox today: today is not over
    checked(people.alex, date(2026, 3, 31), TODAY - timedelta(days=1))
    with override("en"):
        found = evidence.mailbox_read(TODAY)
        assert found.state == evidence.OK
        assert "Counted since 2026-03-31" in found.summary

        MailboxCheck.objects.filter(day=date(2026, 4, 9)).delete()
        found = evidence.mailbox_read(TODAY)
        assert found.state == evidence.NOT_OK
        assert "1 working day without a logged mailbox check." in found.summary
        assert "2026-04-09" in found.summary and "Counted since 2026-03-31" in found.summary

        MailboxCheck.objects.filter(day=date(2026, 4, 13)).delete()
        found = evidence.mailbox_read(TODAY)
        assert "2 working days without a logged mailbox check." in found.summary
        assert "2026-04-09, 2026-04-13" in found.summary

        assert evidence.mailbox_read(date(2026, 4, 8)).state == evidence.OK  # before the gaps


def test_mailbox_evidence_starts_on_the_first_of_january(people, monkeypatch):
    freeze_now(monkeypatch, sthlm(date(2026, 1, 9), 12))
    MailboxCheck.objects.create(day=date(2025, 12, 1), checked_at=sthlm(date(2025, 12, 1), 9), checked_by=people.alex)
    checked(people.alex, date(2026, 1, 1), date(2026, 1, 8))  # the 2nd, 5th, 7th and 8th
    assert MailboxCheck.objects.count() == 5
    with override("en"):
        found = evidence.mailbox_read(date(2026, 1, 9))
        assert found.state == evidence.OK
        assert "Counted since 2026-01-01" in found.summary
        assert evidence.mailbox_read(date(2025, 12, 31)).state == evidence.NOT_OK


def test_mailbox_evidence_on_the_day_of_the_first_check_does_not_deny_it(people, monkeypatch):
    freeze_now(monkeypatch, sthlm(TODAY, 12))
    mailbox.confirm(by=people.alex, now=sthlm(TODAY, 9))
    with override("en"):
        found = evidence.mailbox_read(TODAY)
    assert "No check of the jour's mailbox is logged" not in found.summary
    assert found.state == evidence.MANUAL and "counting starts" in found.summary


def test_the_requirements_page_shows_the_live_mailbox_evidence(people):
    code = Requirement.objects.get(revision=catalogue.current_revision(), signal="mailbox_read").code
    today = timezone.localdate()
    client = client_for(people.coordinator)

    def shown():
        with override("en"):
            expected = evidence.mailbox_read(today)
        tag, text = requirement_evidence(client.get(reverse("requirement_list")).content.decode(), code)
        assert tag == {"ok": "tag ok", "not_ok": "tag bad", "manual": "tag"}[expected.state]
        assert escape(expected.summary) in text
        assert "Assess by hand" not in text
        return expected

    assert shown().state == evidence.NOT_OK  # nothing logged
    first = today - timedelta(days=21)
    MailboxCheck.objects.create(day=first, checked_at=sthlm(first, 9), checked_by=people.alex)
    found = shown()
    counted = [today - timedelta(days=n) for n in range(1, 21)]
    if any(d.year == today.year and is_working_day(d) for d in counted):
        assert found.state == evidence.NOT_OK  # three weeks without a check
    checked(people.alex, first + timedelta(days=1), today - timedelta(days=1))
    shown()
