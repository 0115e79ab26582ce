"""In a real browser: the coordinator plans a court hearing and a meeting for a
case, sees them in the week (first name only), sets the phone hours and
confirms the forwarding and the mailbox; the support person sees the hearing on
the start page and subscribes to a private feed that a calendar app, without
cookies, can read: first name only, no surname, no phone number.

The UI runs in Swedish (sv-SE), so the test finds things by field ids, names
and URLs rather than by translated text.
"""

import re
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from icalendar import Calendar
from playwright.sync_api import expect

from calendars.models import Appointment, AppointmentKind, MailboxCheck, PhoneForwarding, PhoneHours
from jour import formatting
from tests.cases.factories import SEEKER, assign, make_case
from tests.e2e.helpers import follow_menu, log_in
from tests.personas import build_personas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST_NAME = SEEKER["first_name"]  # Ingegerd
# What a calendar page or feed must never carry about the seeker.
NEVER = [SEEKER["last_name"], SEEKER["phone"], SEEKER["email"]]
COURT, COURTROOM = "Göteborgs tingsrätt", "Sal 4"
MEETING_PLACE = "Jourens samtalsrum"
DETAIL_URL = re.compile(r".*/calendar/appointments/(\d+)/$")


def _assert_no_seeker_secrets(text: str, where: str) -> None:
    for secret in NEVER:
        assert secret not in text, f"{secret!r} shows in {where}"


def _fill_appointment(page, *, kind, case_number, day, starts, ends, place, room, participant):
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_case_number").fill(case_number)
    # Leaving the field asks the server for the case's participants (htmx): tick only after
    # that list has been swapped in, or the swap would replace the ticked box.
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.locator("#id_case_number").press("Tab")
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    page.locator("#id_day").fill(day.isoformat())
    page.locator("#id_starts").fill(starts)
    page.locator("#id_ends").fill(ends)
    page.locator("#id_place").fill(place)
    if room:
        page.locator("#id_room").fill(room)
    page.locator(f"input[name='participants'][value='{participant.pk}']").check()
    page.locator("form.case-form button[type='submit']").click()
    page.wait_for_url(DETAIL_URL)
    return Appointment.objects.get(pk=int(DETAIL_URL.match(page.url).group(1)))


def test_coordinator_plans_a_hearing_and_the_support_person_subscribes(live_server, browser):
    base = live_server.url
    people = build_personas()
    alex = people.alex
    case = make_case(people.coordinator)
    assign(case, alex, by=people.coordinator)

    today = timezone.localdate()
    next_monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    hearing_day, meeting_day = next_monday + timedelta(days=1), next_monday + timedelta(days=2)
    iso = next_monday.isocalendar()
    week_path = f"/calendar/week/{iso.year}/{iso.week}/"

    # --- The coordinator plans a court hearing from the calendar's "new appointment".
    coordinator = log_in(browser, base, people.coordinator)
    follow_menu(coordinator, "/calendar/")
    coordinator.wait_for_url(base + "/calendar/")
    coordinator.locator(".calendar-nav a[href='/calendar/new/']").click()
    coordinator.wait_for_url(base + "/calendar/new/")
    hearing = _fill_appointment(
        coordinator,
        kind=AppointmentKind.COURT,
        case_number=case.number,
        day=hearing_day,
        starts="09:30",
        ends="11:30",
        place=COURT,
        room=COURTROOM,
        participant=alex,
    )
    assert hearing.kind == AppointmentKind.COURT and hearing.case_id == case.pk
    assert list(hearing.participants.all()) == [alex]
    expect(coordinator.locator("h1")).to_contain_text(FIRST_NAME)
    _assert_no_seeker_secrets(coordinator.content(), "the hearing's page")

    # --- ... then, from that week's page, a meeting with the seeker two days later.
    coordinator.locator(f"a[href='{week_path}']").click()
    coordinator.wait_for_url(base + week_path)
    coordinator.locator(f"a[href='/calendar/new/?date={meeting_day.isoformat()}']").click()
    coordinator.wait_for_url(re.compile(r".*/calendar/new/\?date="))
    # The link prefills the day and a meeting with a seeker.
    expect(coordinator.locator("#id_day")).to_have_value(meeting_day.isoformat())
    expect(coordinator.locator("#id_kind")).to_have_value(AppointmentKind.MEETING)
    meeting = _fill_appointment(
        coordinator,
        kind=AppointmentKind.MEETING,
        case_number=case.number,
        day=meeting_day,
        starts="13:00",
        ends="14:00",
        place=MEETING_PLACE,
        room="",
        participant=alex,
    )
    assert meeting.kind == AppointmentKind.MEETING and meeting.case_id == case.pk

    # --- The week shows both, on their days, with the first name only.
    coordinator.goto(base + week_path)
    tuesday, wednesday = coordinator.locator("section.day").nth(1), coordinator.locator("section.day").nth(2)
    court_item = tuesday.locator("li.appt-court")
    expect(court_item).to_have_count(1)
    expect(court_item).to_contain_text(FIRST_NAME)
    expect(court_item).to_contain_text(f"{COURT}, {COURTROOM}")
    expect(court_item).to_contain_text("09:30")
    expect(court_item.locator("a")).to_have_attribute("href", f"/calendar/appointments/{hearing.pk}/")
    meeting_item = wednesday.locator("li.appt-meeting")
    expect(meeting_item).to_have_count(1)
    expect(meeting_item).to_contain_text(FIRST_NAME)
    expect(meeting_item).to_contain_text(MEETING_PLACE)
    expect(meeting_item).to_contain_text("13:00")
    _assert_no_seeker_secrets(coordinator.content(), "the week page")
    coordinator.screenshot(path="var/e2e-calendar-week.png", full_page=True)

    # --- Alex, in a browser of their own, sees the hearing among "my next appointments".
    volunteer = log_in(browser, base, alex)
    upcoming = volunteer.locator("section[aria-labelledby='next-title'] li.appt")
    hearing_row = upcoming.filter(has=volunteer.locator(f"a[href='/calendar/appointments/{hearing.pk}/']"))
    expect(hearing_row).to_have_count(1)
    expect(hearing_row).to_contain_text(FIRST_NAME)
    expect(hearing_row).to_contain_text(COURT)
    expect(upcoming.filter(has=volunteer.locator(f"a[href='/calendar/appointments/{meeting.pk}/']"))).to_have_count(1)
    _assert_no_seeker_secrets(volunteer.content(), "the support person's start page")

    # --- ... and makes a private feed address, shown once in a read-only field.
    follow_menu(volunteer, "/calendar/")
    volunteer.wait_for_url(base + "/calendar/")
    volunteer.locator(".calendar-nav a[href='/calendar/feed/']").click()
    volunteer.wait_for_url(base + "/calendar/feed/")
    volunteer.locator("form:has(input[name='action'][value='create']) button[type='submit']").click()
    address = volunteer.locator("input.secret[readonly]")
    expect(address).to_be_visible()
    feed_url = address.input_value()
    assert re.fullmatch(re.escape(base) + r"/calendar/feed/[A-Za-z0-9_-]{40,}\.ics", feed_url), feed_url

    # --- A calendar app reads it without any cookie or session.
    request = urllib.request.Request(feed_url, headers={"Accept": "text/calendar"})  # noqa: S310 - the live server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert response.headers.get_content_type() == "text/calendar"
        assert "Set-Cookie" not in response.headers
        body = response.read()
    unfolded = body.decode().replace("\r\n ", "")
    _assert_no_seeker_secrets(unfolded, "the feed")
    events = {str(event["UID"]): event for event in Calendar.from_ical(body).walk("VEVENT")}
    hearing_event = next(event for uid, event in events.items() if uid.startswith(f"appointment-{hearing.pk}@"))
    assert FIRST_NAME in str(hearing_event["SUMMARY"])
    # The court and room were typed, not chosen from the register of places: they stay on the site.
    assert "LOCATION" not in hearing_event
    assert COURT not in unfolded and COURTROOM not in unfolded
    assert hearing_event.decoded("DTSTART") == hearing.starts_at
    assert hearing_event.decoded("DTEND") == hearing.ends_at
    assert any(uid.startswith(f"appointment-{meeting.pk}@") for uid in events)
    for event in events.values():
        _assert_no_seeker_secrets(" ".join(str(value) for value in event.values()), f"the feed's event {event['UID']}")
    coordinator.context.close()
    volunteer.context.close()


def test_coordinator_sets_phone_hours_and_confirms_forwarding_and_mailbox(live_server, browser):
    base = live_server.url
    people = build_personas()
    name = people.coordinator.name
    coordinator = log_in(browser, base, people.coordinator)
    follow_menu(coordinator, "/calendar/phone/")
    coordinator.wait_for_url(base + "/calendar/phone/")

    # Monday to Friday, 09-16, except today's weekday: the phone is not staffed
    # now whatever the time of day, so the page asks for the forwarding.
    today = timezone.localdate()
    staffed = [weekday for weekday in range(5) if weekday != today.weekday()]
    for weekday in staffed:
        coordinator.locator(f"#id_opens_{weekday}").fill("09:00")
        coordinator.locator(f"#id_closes_{weekday}").fill("16:00")
    with coordinator.expect_navigation(url=base + "/calendar/phone/"):
        coordinator.locator("form[action='/calendar/phone/hours/'] button[type='submit']").click()
    saved = {row.weekday: (f"{row.opens:%H:%M}", f"{row.closes:%H:%M}") for row in PhoneHours.objects.all()}
    assert saved == dict.fromkeys(staffed, ("09:00", "16:00"))
    for weekday in range(7):
        expected = "09:00" if weekday in staffed else ""
        expect(coordinator.locator(f"#id_opens_{weekday}")).to_have_value(expected)

    log = coordinator.locator("section[aria-labelledby='log-title'] .two-col > div")
    forwarded_log, mailbox_log = log.nth(0), log.nth(1)
    expect(forwarded_log).not_to_contain_text(name)
    expect(mailbox_log).not_to_contain_text(name)

    forward_button = coordinator.locator("form[action='/calendar/phone/forwarded/'] button[type='submit']")
    expect(forward_button).to_have_count(1)
    with coordinator.expect_navigation(url=base + "/calendar/phone/"):
        forward_button.click()
    expect(forward_button).to_have_count(0)
    with translation.override("sv"):
        day = formatting.day(timezone.localdate())  # "ons 2 dec": the page's one way to write a day
    expect(forwarded_log).to_contain_text(re.compile(rf"{day} \d\d:\d\d · {re.escape(name)}"))
    assert PhoneForwarding.objects.filter(by=people.coordinator).count() == 1

    mailbox_button = coordinator.locator("form[action='/calendar/mailbox/read/'] button[type='submit']")
    expect(mailbox_button).to_have_count(1)
    with coordinator.expect_navigation(url=base + "/calendar/phone/"):
        mailbox_button.click()
    expect(mailbox_button).to_have_count(0)
    expect(mailbox_log).to_contain_text(re.compile(rf"{day} \d\d:\d\d · {re.escape(name)}"))
    assert MailboxCheck.objects.get(day=timezone.localdate()).checked_by == people.coordinator
    coordinator.screenshot(path="var/e2e-calendar-phone.png", full_page=True)
    coordinator.context.close()
