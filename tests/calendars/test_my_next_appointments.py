""" "My next appointments" on the start page: those the user goes to, and the shared
ones that list nobody (everyone's). A coordinator sees every appointment in the
calendar but goes to few: the start page lists hers only."""

import pytest
from django.urls import reverse

from calendars.models import AppointmentKind
from calendars.selectors import upcoming
from tests.cases.factories import assign, make_case

from .helpers import client_for, linked_appointments, plan, working_day_ahead

K = AppointmentKind


@pytest.fixture
def planned(people):
    kim, alex = people.coordinator, people.alex
    case = make_case(kim)
    assign(case, alex, by=kim)
    day = working_day_ahead()
    return {
        "alex_meeting": plan(K.MEETING, by=kim, day=day, hour=9, case=case, participants=[alex]),
        "kim_meeting": plan(K.MEETING, by=kim, day=day, hour=10, case=case, participants=[alex, kim]),
        "kim_supervision": plan(K.INDIVIDUAL_SUPERVISION, by=kim, day=day, hour=11, participants=[kim]),
        "group_for_all": plan(K.GROUP_SUPERVISION, by=kim, day=day, hour=12),
        "group_for_alex": plan(K.GROUP_SUPERVISION, by=kim, day=day, hour=13, participants=[alex]),
        "board": plan(K.BOARD, by=kim, day=day, hour=14),
    }


def _names(planned, appointments) -> set[str]:
    by_pk = {a.pk: name for name, a in planned.items()}
    return {by_pk[a.pk] for a in appointments}


def test_the_coordinator_sees_only_what_she_goes_to(people, planned):
    assert _names(planned, upcoming(people.coordinator, limit=20)) == {
        "kim_meeting",
        "kim_supervision",
        "group_for_all",
        "board",
    }


def test_a_support_person_sees_theirs_and_everyones(people, planned):
    assert _names(planned, upcoming(people.alex, limit=20)) == {
        "alex_meeting",
        "kim_meeting",
        "group_for_all",
        "group_for_alex",
        "board",
    }


def test_the_board_sees_the_board_meeting(people, planned):
    assert _names(planned, upcoming(people.board, limit=20)) == {"board"}


def test_the_start_page_lists_them(people, planned):
    html = client_for(people.coordinator).get(reverse("start")).content.decode()
    section = html[html.index('id="next-title"') :]
    section = section[: section.index("</section>")]
    shown = linked_appointments(section)
    assert planned["kim_meeting"].pk in shown
    assert planned["alex_meeting"].pk not in shown
    assert planned["group_for_alex"].pk not in shown
