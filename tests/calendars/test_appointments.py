"""The calendar's scope, planning and validation.

Who sees which appointment (Appointment.objects.visible_to, and every
page of calendars/urls.py that shows one), who may plan, change and remove
what, what the planning form refuses, edit conflicts, and that the month and
week pages do not run a query per appointment.
"""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calendars import reminders
from calendars.models import Appointment, AppointmentKind
from calendars.selectors import can_change
from cases import services
from cases.models import Assignment
from cases.retention import RULE_ERASURE, anonymise
from jour.models import Role
from jour.workdays import STOCKHOLM
from tests.cases.factories import SEEKER, assign, make_case
from tests.personas import make_user

from .helpers import client_for, linked_appointments, plan, previous_working_day, sthlm, working_day_ahead

K = AppointmentKind
PERSONAS = ["coordinator", "alex", "sam", "board", "auditor"]
NAMES_ONLY_MESSAGE = "The calendar holds first names only: remove the seeker's surname, phone number or e-mail."
NOT_YOUR_CASE = "No case of yours has that number."


@pytest.fixture
def world(people):
    """One appointment of each situation, all on one working day two weeks ahead."""
    kim, alex, sam = people.coordinator, people.alex, people.sam
    alex_case = make_case(kim)
    alex_assignment = assign(alex_case, alex, by=kim)
    sam_case = make_case(kim)
    assign(sam_case, sam, by=kim)
    day = working_day_ahead()
    appointments = {
        "alex_meeting": plan(K.MEETING, by=kim, day=day, hour=8, case=alex_case, participants=[alex]),
        "alex_court": plan(K.COURT, by=kim, day=day, hour=9, case=alex_case, participants=[alex], place="Tingsrätten"),
        "sam_meeting": plan(K.MEETING, by=kim, day=day, hour=10, case=sam_case, participants=[sam]),
        "sam_court": plan(K.COURT, by=kim, day=day, hour=11, participants=[sam], place="Hovrätten"),
        "alex_supervision": plan(K.INDIVIDUAL_SUPERVISION, by=kim, day=day, hour=12, participants=[alex, kim]),
        "kim_supervision": plan(K.INDIVIDUAL_SUPERVISION, by=kim, day=day, hour=13, participants=[kim]),
        "group": plan(K.GROUP_SUPERVISION, by=kim, day=day, hour=14),
        "board": plan(K.BOARD, by=kim, day=day, hour=15, title="Styrelsemöte"),
    }
    return SimpleNamespace(
        people=people,
        day=day,
        alex_case=alex_case,
        sam_case=sam_case,
        alex_assignment=alex_assignment,
        a=appointments,
        user={name: getattr(people, name) for name in PERSONAS},
    )


# What each persona's calendar holds, by Appointment.objects.visible_to (calendars/models.py).
VISIBLE = {
    "coordinator": {
        "alex_meeting",
        "alex_court",
        "sam_meeting",
        "sam_court",
        "alex_supervision",
        "kim_supervision",
        "group",
        "board",
    },
    "alex": {"alex_meeting", "alex_court", "alex_supervision", "group", "board"},
    "sam": {"sam_meeting", "sam_court", "group", "board"},
    "board": {"board"},
    "auditor": {"board"},
}
# What each may change (edit form, save, delete).
CHANGEABLE = {
    "coordinator": VISIBLE["coordinator"],
    "alex": {"alex_meeting", "alex_court"},
    "sam": {"sam_meeting", "sam_court"},
    "board": set(),
    "auditor": set(),
}


def pks(world, names) -> set[int]:
    return {world.a[name].pk for name in names}


def month_url(day: date) -> str:
    return reverse("calendar_month", args=[day.year, day.month])


def week_url(day: date) -> str:
    iso = day.isocalendar()
    return reverse("calendar_week", args=[iso.year, iso.week])


def form_data(day: date, **overrides) -> dict:
    """What the planning form posts; a list for participants (pks)."""
    data = {
        "kind": K.MEETING,
        "case_number": "",
        "day": day.isoformat(),
        "starts": "10:00",
        "ends": "11:00",
        "place": "",
        "room": "",
        "title": "",
        "participants": [],
    }
    data.update(overrides)
    return data


def edit_data(appointment: Appointment, **overrides) -> dict:
    """The edit form as the browser sends it back unchanged, plus overrides."""
    start = appointment.starts_at.astimezone(STOCKHOLM)
    data = form_data(
        start.date(),
        kind=appointment.kind,
        case_number=appointment.case.number if appointment.case_id else "",
        starts=start.strftime("%H:%M"),
        ends=appointment.ends_at.astimezone(STOCKHOLM).strftime("%H:%M"),
        place=appointment.place,
        room=appointment.room,
        title=appointment.title,
        participants=[p.pk for p in appointment.participants.all()],
        version=appointment.version,
    )
    data.update(overrides)
    return data


def snapshot() -> dict:
    """Every appointment's row and who goes: what a refused POST must leave alone."""
    return {
        a.pk: (Appointment.objects.filter(pk=a.pk).values().get(), sorted(a.participants.values_list("pk", flat=True)))
        for a in Appointment.objects.all()
    }


# --- scope ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_appointments_visible_to_follows_the_rules(world, persona):
    visible = set(Appointment.objects.visible_to(world.user[persona]).values_list("pk", flat=True))
    assert visible == pks(world, VISIBLE[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_month_and_week_pages_show_exactly_what_the_person_may_see(world, persona):
    client = client_for(world.user[persona])
    for url in (month_url(world.day), week_url(world.day)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert linked_appointments(response.content.decode()) == pks(world, VISIBLE[persona]), url


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_appointment_outside_ones_scope_is_not_found(world, persona):
    client = client_for(world.user[persona])
    for name, appointment in world.a.items():
        response = client.get(reverse("appointment_detail", args=[appointment.pk]))
        expected = 200 if name in VISIBLE[persona] else 404
        assert response.status_code == expected, name


@pytest.mark.parametrize("persona", ["coordinator", "alex", "sam"])
def test_only_what_one_may_change_opens_in_the_edit_form(world, persona):
    user = world.user[persona]
    client = client_for(user)
    for name, appointment in world.a.items():
        response = client.get(reverse("appointment_edit", args=[appointment.pk]))
        expected = 200 if name in CHANGEABLE[persona] else 404
        assert response.status_code == expected, name
        if name in VISIBLE[persona]:
            assert can_change(user, appointment) == (name in CHANGEABLE[persona]), name
        detail = client.get(reverse("appointment_detail", args=[appointment.pk]))
        if detail.status_code == 200:
            # The detail page offers editing exactly where the edit form opens.
            assert (reverse("appointment_edit", args=[appointment.pk]) in detail.content.decode()) == (
                name in CHANGEABLE[persona]
            ), name


@pytest.mark.parametrize("persona", ["board", "auditor"])
def test_board_and_auditors_cannot_plan_or_change_anything(world, persona):
    client = client_for(world.user[persona])
    before = snapshot()
    assert client.get(reverse("appointment_create")).status_code == 403
    assert client.post(reverse("appointment_create"), form_data(world.day, kind=K.BOARD)).status_code == 403
    board = world.a["board"]
    assert client.get(reverse("appointment_edit", args=[board.pk])).status_code == 403
    assert client.post(reverse("appointment_edit", args=[board.pk]), edit_data(board, title="Ny")).status_code == 403
    assert client.post(reverse("appointment_delete", args=[board.pk])).status_code == 403
    assert snapshot() == before
    # And nothing about a seeker reaches their calendar pages.
    for url in (month_url(world.day), week_url(world.day)):
        html = client.get(url).content.decode()
        assert SEEKER["first_name"] not in html
        assert world.alex_case.number not in html and world.sam_case.number not in html


def test_a_seeker_meeting_disappears_when_the_assignment_ends(world):
    alex, kim = world.people.alex, world.people.coordinator
    client = client_for(alex)
    meeting = world.a["alex_meeting"]
    assert client.get(reverse("appointment_detail", args=[meeting.pk])).status_code == 200

    services.end_assignment(assignment=world.alex_assignment, note="", by=kim)

    gone = pks(world, {"alex_meeting", "alex_court"})
    assert not Appointment.objects.visible_to(alex).filter(pk__in=gone).exists()
    for pk in gone:
        assert client.get(reverse("appointment_detail", args=[pk])).status_code == 404
        assert client.get(reverse("appointment_edit", args=[pk])).status_code == 404
        assert client.post(reverse("appointment_delete", args=[pk])).status_code == 404
    assert Appointment.objects.filter(pk__in=gone).count() == 2
    for url in (month_url(world.day), week_url(world.day)):
        shown = linked_appointments(client.get(url).content.decode())
        assert shown == pks(world, {"alex_supervision", "group", "board"})
        assert not shown & gone
    assert client.get(reverse("start")).status_code == 200
    assert not linked_appointments(client.get(reverse("start")).content.decode()) & gone

    # Assigned again: the meeting is back (Alex still goes).
    assign(world.alex_case, alex, by=kim)
    assert client.get(reverse("appointment_detail", args=[meeting.pk])).status_code == 200


def test_no_reminder_once_the_case_is_no_longer_ones_own(world):
    """The reminder is a view of the calendar too: nothing about a case one no longer has."""
    kim, alex = world.people.coordinator, world.people.alex
    services.end_assignment(assignment=world.alex_assignment, note="", by=kim)
    assert not Appointment.objects.visible_to(alex).filter(pk=world.a["alex_meeting"].pk).exists()
    now = sthlm(previous_working_day(world.day), 16)
    mail.outbox = []
    reminders.send_due(now=now)
    # Sam is still reminded of Sam's own meeting (the reminders do go out)...
    assert world.people.sam.email in [m.to[0] for m in mail.outbox]
    # ...but Alex, no longer on the case, is told nothing about it.
    assert alex.email not in [m.to[0] for m in mail.outbox]


def test_the_planning_form_prefills_only_ones_own_case(world):
    client = client_for(world.people.alex)
    foreign = client.get(reverse("appointment_create") + f"?case={world.sam_case.pk}")
    assert foreign.status_code == 200
    assert world.sam_case.number not in foreign.content.decode()
    own = client.get(reverse("appointment_create") + f"?case={world.alex_case.pk}&date={world.day.isoformat()}")
    assert world.alex_case.number in own.content.decode()
    assert own.context["form"]["day"].value() == world.day


def test_the_detail_page_links_back_to_the_appointments_own_week(world):
    """Local time, not UTC: 00:00 on Monday in Stockholm is still Sunday (week 24) in UTC."""
    kim = world.people.coordinator
    monday = date(2026, 6, 15)  # ISO week 25
    meeting = plan(K.MEETING, by=kim, day=monday, hour=0, minutes=30, case=world.alex_case, participants=[kim])
    client = client_for(kim)
    # The week page puts it on Monday of week 25...
    assert meeting.pk in linked_appointments(client.get(week_url(monday)).content.decode())
    # ...and the detail page should lead back there.
    html = client.get(reverse("appointment_detail", args=[meeting.pk])).content.decode()
    assert f'href="{week_url(monday)}"' in html


def test_sam_cannot_open_change_or_remove_alexs_meeting(world):
    client = client_for(world.people.sam)
    before = snapshot()
    for name in ("alex_meeting", "alex_court", "alex_supervision", "kim_supervision"):
        appointment = world.a[name]
        assert client.get(reverse("appointment_detail", args=[appointment.pk])).status_code == 404
        assert client.get(reverse("appointment_edit", args=[appointment.pk])).status_code == 404
        # A POST that Sam could make on a meeting of Sam's own: still not found, nothing changes.
        data = edit_data(appointment, case_number=world.sam_case.number, title="Flyttat", place="Annanstans")
        if appointment.kind not in (K.MEETING, K.COURT):
            data["kind"] = K.MEETING
        assert client.post(reverse("appointment_edit", args=[appointment.pk]), data).status_code == 404
        assert client.post(reverse("appointment_delete", args=[appointment.pk])).status_code == 404
    assert snapshot() == before


def test_a_support_person_cannot_change_shared_appointments(world):
    client = client_for(world.people.alex)
    before = snapshot()
    for name in ("board", "group", "alex_supervision"):
        appointment = world.a[name]
        # Alex sees them...
        assert client.get(reverse("appointment_detail", args=[appointment.pk])).status_code == 200
        # ...but cannot open, save or remove them.
        assert client.get(reverse("appointment_edit", args=[appointment.pk])).status_code == 404
        data = edit_data(appointment, kind=K.MEETING, case_number=world.alex_case.number, title="Eget")
        assert client.post(reverse("appointment_edit", args=[appointment.pk]), data).status_code == 404
        assert client.post(reverse("appointment_delete", args=[appointment.pk])).status_code == 404
    assert snapshot() == before


def test_a_support_person_plans_a_meeting_on_their_own_case_only(world):
    alex, sam = world.people.alex, world.people.sam
    client = client_for(alex)
    unassigned = make_case(world.people.coordinator)
    count = Appointment.objects.count()
    for number in (world.sam_case.number, unassigned.number, "2099-9999"):
        response = client.post(reverse("appointment_create"), form_data(world.day, case_number=number))
        assert response.status_code == 400, number
        assert response.context["form"].errors["case_number"] == [NOT_YOUR_CASE]
        assert Appointment.objects.count() == count

    # Not a board meeting either: the kinds a support person plans are meetings and hearings.
    response = client.post(reverse("appointment_create"), form_data(world.day, kind=K.BOARD))
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert Appointment.objects.count() == count

    # On Alex's own case it works, and Alex goes (whoever else the POST names).
    data = form_data(world.day, case_number=world.alex_case.number, starts="13:15", ends="14:00", participants=[sam.pk])
    response = client.post(reverse("appointment_create"), data)
    assert response.status_code == 302
    made = Appointment.objects.latest("pk")
    assert response.url == reverse("appointment_detail", args=[made.pk])
    assert (made.kind, made.case, made.created_by) == (K.MEETING, world.alex_case, alex)
    assert list(made.participants.all()) == [alex]
    assert made.starts_at == sthlm(world.day, 13, 15)
    # A court hearing without a case is fine too; Alex goes.
    data = form_data(world.day, kind=K.COURT, place="Tingsrätten", starts="08:30", ends="12:00")
    assert client.post(reverse("appointment_create"), data).status_code == 302
    hearing = Appointment.objects.latest("pk")
    assert (hearing.kind, hearing.case, list(hearing.participants.all())) == (K.COURT, None, [alex])


def test_a_support_persons_edit_keeps_whoever_else_goes(world):
    kim, alex = world.people.coordinator, world.people.alex
    meeting = plan(K.MEETING, by=kim, day=world.day, hour=16, case=world.alex_case, participants=[alex, kim])
    client = client_for(alex)
    response = client.post(
        reverse("appointment_edit", args=[meeting.pk]), edit_data(meeting, title="Uppföljning", room="Rum 2")
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.room, meeting.version) == ("Uppföljning", "Rum 2", 2)
    assert set(meeting.participants.all()) == {alex, kim}
    # And Alex may remove it.
    assert client.post(reverse("appointment_delete", args=[meeting.pk])).status_code == 302
    assert not Appointment.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize(
    ("kind", "day", "starts", "ends", "utc_start", "utc_end"),
    [
        # Summer time: Stockholm is UTC+2.
        (K.MEETING, date(2026, 6, 15), "13:30", "14:45", datetime(2026, 6, 15, 11, 30, tzinfo=UTC), (12, 45)),
        # Winter time: UTC+1.
        (K.COURT, date(2026, 12, 14), "09:00", "16:00", datetime(2026, 12, 14, 8, 0, tzinfo=UTC), (15, 0)),
    ],
)
def test_the_coordinator_plans_through_the_form_in_stockholm_time(world, kind, day, starts, ends, utc_start, utc_end):
    kim, alex, sam = world.people.coordinator, world.people.alex, world.people.sam
    client = client_for(kim)
    assert client.get(reverse("appointment_create")).status_code == 200
    data = form_data(
        day,
        kind=kind,
        case_number=world.alex_case.number,
        starts=starts,
        ends=ends,
        place="Stockholms tingsrätt" if kind == K.COURT else "Jourens kontor",
        room="Sal 4",
        title="Huvudförhandling" if kind == K.COURT else "Första mötet",
        participants=[alex.pk, kim.pk],
    )
    response = client.post(reverse("appointment_create"), data)
    assert response.status_code == 302
    made = Appointment.objects.latest("pk")
    assert made.kind == kind and made.case == world.alex_case
    assert made.starts_at == utc_start
    assert (made.ends_at.astimezone(UTC).hour, made.ends_at.astimezone(UTC).minute) == utc_end
    local = made.starts_at.astimezone(STOCKHOLM)
    assert (local.date(), local.time()) == (day, time.fromisoformat(starts))
    assert (made.place, made.room, made.title) == (data["place"], "Sal 4", data["title"])
    assert set(made.participants.all()) == {alex, kim}
    assert (made.created_by, made.version) == (kim, 1)
    # Alex sees it (on Alex's case, and goes); Sam, not on the case, does not
    # (and could not have been ticked: test_participants.py).
    assert Appointment.objects.visible_to(alex).filter(pk=made.pk).exists()
    assert not Appointment.objects.visible_to(sam).filter(pk=made.pk).exists()


# --- validation -------------------------------------------------------------------


def _refused(client, data, field, message=None):
    count = Appointment.objects.count()
    response = client.post(reverse("appointment_create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    if message is not None:
        assert message in errors[field], errors
    assert Appointment.objects.count() == count
    return response


@pytest.fixture
def kim_client(world):
    return client_for(world.people.coordinator)


@pytest.mark.parametrize(("starts", "ends"), [("11:00", "10:00"), ("10:00", "10:00"), ("23:59", "00:00")])
def test_an_appointment_must_end_after_it_starts(world, kim_client, starts, ends):
    data = form_data(
        world.day, case_number=world.alex_case.number, starts=starts, ends=ends, participants=[world.people.alex.pk]
    )
    _refused(kim_client, data, "ends", "The appointment must end after it starts.")


def test_a_meeting_with_a_seeker_needs_a_case(world, kim_client):
    data = form_data(world.day, kind=K.MEETING, participants=[world.people.alex.pk])
    _refused(kim_client, data, "case_number", "A meeting with a seeker belongs to a case: give its case number.")


@pytest.mark.parametrize("kind", [K.BOARD, K.GROUP_SUPERVISION, K.INDIVIDUAL_SUPERVISION])
def test_only_meetings_and_hearings_belong_to_a_case(world, kim_client, kind):
    data = form_data(world.day, kind=kind, case_number=world.alex_case.number, participants=[world.people.alex.pk])
    _refused(kim_client, data, "case_number", "Only meetings with a seeker and court hearings belong to a case.")


@pytest.mark.parametrize("kind", [K.MEETING, K.COURT])
def test_nothing_new_is_planned_on_an_anonymised_case(world, kim_client, kind):
    case = make_case(world.people.coordinator)
    anonymise(case=case, rule=RULE_ERASURE, by=world.people.coordinator)
    data = form_data(world.day, kind=kind, case_number=case.number, participants=[world.people.coordinator.pk])
    _refused(
        kim_client, data, "case_number", "The personal data of this case has been removed; plan nothing new on it."
    )


@pytest.mark.parametrize("kind", [K.MEETING, K.COURT])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", SEEKER["last_name"]),
        ("title", SEEKER["last_name"].upper()),
        ("title", SEEKER["last_name"].lower()),
        ("title", f"Möte med {SEEKER['first_name']} {SEEKER['last_name']}"),
        ("title", f"{SEEKER['last_name']}/rättegång"),
        ("title", "Ring 070-555 01 23 först"),
        ("title", "Ring 0705550123"),
        ("title", "Ring +46 70 555 01 23"),
        ("title", SEEKER["email"]),
        ("title", f"Skicka till {SEEKER['email'].upper()}"),
        ("place", f"Hemma hos {SEEKER['last_name']}"),
        ("place", "Portkod, ring 070 555 0123"),
        ("room", SEEKER["last_name"]),
    ],
)
def test_the_calendar_refuses_a_surname_phone_or_email(world, kim_client, kind, field, value):
    data = form_data(
        world.day, kind=kind, case_number=world.alex_case.number, participants=[world.people.alex.pk], **{field: value}
    )
    _refused(kim_client, data, field, NAMES_ONLY_MESSAGE)


def test_a_support_person_is_refused_a_surname_too(world):
    data = form_data(world.day, case_number=world.alex_case.number, title=f"Hos {SEEKER['last_name']}")
    _refused(client_for(world.people.alex), data, "title", NAMES_ONLY_MESSAGE)


def test_an_edit_is_refused_a_surname_too(world, kim_client):
    meeting = world.a["alex_meeting"]
    before = snapshot()
    response = kim_client.post(
        reverse("appointment_edit", args=[meeting.pk]), edit_data(meeting, title=SEEKER["last_name"])
    )
    assert response.status_code == 400
    assert NAMES_ONLY_MESSAGE in response.context["form"].errors["title"]
    assert snapshot() == before


def test_the_genitive_of_the_surname_is_refused(world, kim_client):
    """Swedish possessive: "Fjällbrinkströms advokat" names the seeker as much as the surname does."""
    data = form_data(
        world.day,
        case_number=world.alex_case.number,
        participants=[world.people.alex.pk],
        title=f"{SEEKER['last_name']}s advokat",
    )
    _refused(kim_client, data, "title", NAMES_ONLY_MESSAGE)


def test_the_first_name_alone_is_allowed_in_a_title(world, kim_client):
    """The check is not blanket: a first name, a court and a time pass."""
    data = form_data(
        world.day,
        kind=K.COURT,
        case_number=world.alex_case.number,
        participants=[world.people.alex.pk],
        title=f"{SEEKER['first_name']} vittnar kl 10",
        place="Tingsrätten, Storgatan 5",
    )
    assert kim_client.post(reverse("appointment_create"), data).status_code == 302


@pytest.mark.parametrize("kind", [K.MEETING, K.COURT, K.INDIVIDUAL_SUPERVISION])
def test_who_goes_must_be_chosen(world, kim_client, kind):
    case_number = world.alex_case.number if kind != K.INDIVIDUAL_SUPERVISION else ""
    data = form_data(world.day, kind=kind, case_number=case_number, participants=[])
    _refused(kim_client, data, "participants", "Choose who goes.")


@pytest.mark.parametrize("kind", [K.GROUP_SUPERVISION, K.BOARD])
def test_shared_appointments_need_nobody_named(world, kim_client, kind):
    response = kim_client.post(reverse("appointment_create"), form_data(world.day, kind=kind, title="Träff"))
    assert response.status_code == 302
    assert Appointment.objects.latest("pk").kind == kind


def test_only_active_staff_can_be_chosen_to_go(world, kim_client):
    data = form_data(world.day, case_number=world.alex_case.number, participants=[world.people.board.pk])
    _refused(kim_client, data, "participants")


# --- edit conflicts ---------------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost(world):
    kim = world.people.coordinator
    lo = make_user("lo@jour.test", "Lo Coordinator", Role.COORDINATOR)
    first, second = client_for(kim), client_for(lo)
    meeting = world.a["alex_meeting"]
    url = reverse("appointment_edit", args=[meeting.pk])
    first_form = first.get(url).context["form"]
    second_form = second.get(url).context["form"]
    assert first_form["version"].value() == second_form["version"].value() == 1
    assert 'name="version"' in first.get(url).content.decode()
    unchanged = edit_data(meeting)  # what both forms hold

    first_data = {**unchanged, "place": "Rum A", "title": "Första", "starts": "09:00", "ends": "09:45"}
    assert first.post(url, first_data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.title, meeting.version) == ("Rum A", "Första", 2)
    saved = snapshot()

    typed = {"place": "Rum B", "title": "Andra", "room": "Övre plan"}
    stale = {**unchanged, **typed}
    response = second.post(url, stale)
    assert response.status_code == 400
    form = response.context["form"]
    assert any("Someone else saved this appointment" in error for error in form.non_field_errors())
    # Nothing of the first save is lost, nothing of the second is saved yet...
    assert snapshot() == saved
    # ...and what the second person typed is still in the form, now on top of version 2.
    for field, value in typed.items():
        assert form[field].value() == value
    assert str(form["version"].value()) == "2"

    resubmitted = {**stale, "version": form["version"].value()}
    assert second.post(url, resubmitted).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.title, meeting.room, meeting.version) == ("Rum B", "Andra", "Övre plan", 3)


# --- queries -----------------------------------------------------------------------


def _queries(client, url) -> tuple[int, set[int]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), linked_appointments(response.content.decode())


@pytest.mark.parametrize("persona", ["coordinator", "alex", "board"])
@pytest.mark.parametrize("page", ["month", "week"])
def test_calendar_pages_run_as_many_queries_for_thirty_appointments_as_for_one(people, persona, page):
    kim, alex = people.coordinator, people.alex
    day = working_day_ahead()
    url = month_url(day) if page == "month" else week_url(day)
    cases = [make_case(kim, protected_identity=n % 2 == 1) for n in range(5)]
    for case in cases:
        assign(case, alex, by=kim)
    kinds = [K.MEETING, K.COURT, K.BOARD, K.GROUP_SUPERVISION, K.INDIVIDUAL_SUPERVISION]

    def add(n):
        kind = K.BOARD if persona == "board" else kinds[n % len(kinds)]
        start = sthlm(day, 7) + timedelta(minutes=20 * n)
        appointment = Appointment.objects.create(
            kind=kind,
            case=cases[n % len(cases)] if kind in (K.MEETING, K.COURT) else None,
            starts_at=start,
            ends_at=start + timedelta(minutes=15),
            place=f"Plats {n}",
            room=f"Rum {n}",
            title=f"Titel {n}",
            created_by=kim,
        )
        appointment.participants.set([alex, kim])
        return appointment.pk

    client = client_for(getattr(people, persona))
    client.get(url)  # the session's first request does some bookkeeping of its own
    first = {add(0)}
    one, shown = _queries(client, url)
    assert shown == first
    rest = {add(n) for n in range(1, 30)}
    thirty, shown = _queries(client, url)
    assert shown == first | rest
    assert thirty == one


def test_assignments_are_untouched_by_planning(world):
    """Planning a meeting is no assignment: Sam cannot be sent to a meeting on Alex's case, and trying gains
    Sam nothing."""
    kim, sam = world.people.coordinator, world.people.sam
    before = list(Assignment.objects.order_by("pk").values())
    with pytest.raises(ValidationError):
        plan(K.MEETING, by=kim, day=world.day, hour=17, case=world.alex_case, participants=[sam])
    assert list(Assignment.objects.order_by("pk").values()) == before
    assert not Appointment.objects.visible_to(sam).filter(case=world.alex_case).exists()
