"""The federation's count of contacts and actions (cases/contacts_actions.py):
attempts and meetings held are contacts; hearings held, referrals out and
recorded actions are actions; cancelled, coming and incoming ones are not.
Counted in the period each happened, in a fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calendars.models import Appointment, AppointmentKind
from cases import contacts_actions, services
from cases.contacts_actions import Counts
from cases.models import Case
from jour.workdays import STOCKHOLM
from partners.models import Partner
from partners.services import record_referral
from stats import figures
from tests.personas import login_verified

from .factories import assign, make_case


def at(*args) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


RECEIVED = at(2025, 2, 3, 9)
MARCH = (at(2025, 3, 1), at(2025, 4, 1))


def appointment(case, kind, starts_at, *, by, cancelled=False):
    return Appointment.objects.create(
        kind=kind,
        case=case,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        created_by=by,
        cancelled_at=starts_at if cancelled else None,
        cancel_reason="Sjuk" if cancelled else "",
        cancelled_by=by if cancelled else None,
    )


def referral(case, direction, made_on, *, by, partner):
    data = {"direction": direction, "partner": partner, "reason": "legal", "made_on": made_on}
    if direction == "out":
        data |= {"consent": True, "consent_way": "oral"}
    return record_referral(case=case, data=data, by=by)


def known_case(people, **overrides) -> Case:
    """Two attempts, two meetings held (one cancelled, one to come), a hearing held (one
    cancelled, one on no case), a referral out and one in, two actions."""
    kim = people.coordinator
    case = make_case(kim, received_at=RECEIVED, **overrides)
    services.log_attempt(case=case, made_at=at(2025, 2, 3, 10), method="phone", outcome="no_answer", by=kim)
    services.log_attempt(case=case, made_at=at(2025, 3, 31, 23, 30), method="phone", outcome="reached", by=kim)
    appointment(case, AppointmentKind.MEETING, at(2025, 2, 10, 13), by=kim)
    appointment(case, AppointmentKind.MEETING, at(2025, 3, 10, 13), by=kim)
    appointment(case, AppointmentKind.MEETING, at(2025, 3, 17, 13), by=kim, cancelled=True)
    appointment(case, AppointmentKind.MEETING, timezone.now() + timedelta(days=2), by=kim)
    appointment(case, AppointmentKind.COURT, at(2025, 3, 20, 9), by=kim)
    appointment(case, AppointmentKind.COURT, at(2025, 3, 21, 9), by=kim, cancelled=True)
    appointment(None, AppointmentKind.COURT, at(2025, 3, 22, 9), by=kim)
    partner = Partner.objects.get_or_create(name="Socialtjänsten", kind="social")[0]
    referral(case, "out", date(2025, 3, 31), by=kim, partner=partner)
    referral(case, "in", date(2025, 2, 3), by=kim, partner=partner)
    services.record_action(case=case, done_on=date(2025, 2, 20), kind="practical_help", by=kim)
    services.record_action(case=case, done_on=date(2025, 4, 1), kind="accompanied_police", by=kim)
    return case


def test_the_count_of_a_known_case(people):
    case = known_case(people)
    counts = contacts_actions.for_case(case)
    # Contacts: 2 attempts + 2 meetings held. Actions: 1 hearing + 1 referral out + 2 recorded.
    assert (counts.contacts, counts.actions) == (4, 4)
    assert counts.by_kind == {
        "attempts": 2,
        "meetings": 2,
        "court_hearings": 1,
        "referrals_out": 1,
        "practical_help": 1,
        "accompanied_police": 1,
    }
    assert [kind.key for kind, _n in counts.contact_kinds] == ["attempts", "meetings"]
    assert [kind.key for kind, _n in counts.action_kinds] == [
        "court_hearings",
        "referrals_out",
        "accompanied_police",
        "practical_help",
    ]


def test_a_meeting_counts_once_it_has_started(people):
    case = known_case(people)
    coming = Appointment.objects.get(case=case, starts_at__gt=timezone.now())
    later = coming.starts_at + timedelta(minutes=1)
    assert contacts_actions.for_case(case, now=later).by_kind["meetings"] == 3
    assert contacts_actions.for_case(case).by_kind["meetings"] == 2


def test_each_item_counts_in_the_period_it_happened(people):
    case = known_case(people)
    march = contacts_actions.for_cases([case.pk], *MARCH).of(case.pk)
    # The attempt at 23:30 on 31 March (21:30 UTC), the meeting of 10 March, the hearing of
    # 20 March, the referral of 31 March; the action of 1 April is April's.
    assert march.by_kind == {"attempts": 1, "meetings": 1, "court_hearings": 1, "referrals_out": 1}
    april = contacts_actions.for_cases([case.pk], at(2025, 4, 1), at(2025, 5, 1)).of(case.pk)
    assert april.by_kind == {"accompanied_police": 1}
    # A period starting mid-day takes a dated item from the next day on.
    assert contacts_actions.for_cases([case.pk], at(2025, 3, 31, 12), at(2025, 4, 1)).of(case.pk).by_kind == {
        "attempts": 1
    }


def test_totals_and_cases_without_anything(people):
    first, second = known_case(people), known_case(people, gender="man")
    empty = make_case(people.coordinator)
    tally = contacts_actions.for_cases(Case.objects.all())
    assert tally.of(first.pk) == tally.of(second.pk) == Counts.of(contacts_actions.for_case(first).by_kind)
    assert tally.of(empty.pk) == Counts(0, 0, {})
    assert (tally.total.contacts, tally.total.actions) == (8, 8)
    assert contacts_actions.for_cases([]).total == Counts()


def _queries(cases) -> int:
    with CaptureQueriesContext(connection) as queries:
        contacts_actions.for_cases(cases, *MARCH)
    return len(queries)


def test_one_case_and_twenty_cost_the_same_queries(people):
    cases = [known_case(people)]
    one_by_ids, one_by_queryset = _queries([cases[0].pk]), _queries(Case.objects.filter(pk=cases[0].pk))
    cases += [known_case(people) for _ in range(19)]
    twenty = contacts_actions.for_cases([case.pk for case in cases], *MARCH)
    assert len(twenty.per_case) == 20 and twenty.total.contacts == 40
    assert _queries([case.pk for case in cases]) == one_by_ids == 4  # attempts, appointments, referrals, actions
    assert _queries(Case.objects.filter(pk__in=[case.pk for case in cases])) == one_by_queryset == 4


def test_the_statistics_count_by_gender_with_the_same_definition(people):
    known_case(people)
    known_case(people, gender="man", municipality="1285")
    march = figures.Period(date(2025, 3, 1), date(2025, 4, 1))
    table = figures.contacts_and_actions(march)
    assert [value for value, _label in table.rows] == ["contact", "action"]
    assert table.matrix() == [[2, 2, 0, 0], [2, 2, 0, 0]]
    eslov = figures.contacts_and_actions(figures.Period(march.start, march.end, "1285"))
    assert eslov.matrix() == [[0, 2, 0, 0], [0, 2, 0, 0]]
    year = figures.contacts_and_actions(figures.Period(date(2025, 1, 1), date(2026, 1, 1)))
    assert year.matrix() == [[4, 4, 0, 0], [4, 4, 0, 0]]


def test_recorded_actions_are_a_row_of_support_given(people):
    known_case(people)
    known_case(people, gender="man", municipality="1285")
    rows = [value for value, _label in figures.SUPPORT_ROWS]
    february = figures.support_given(figures.Period(date(2025, 2, 1), date(2025, 3, 1)))
    assert february.matrix()[rows.index("actions")] == [1, 1, 0, 0]
    parts = figures.parts(2025)
    assert parts.report((2,)).support.matrix()[rows.index("actions")] == [1, 1, 0, 0]
    assert parts.report((4,), "1285").support.matrix()[rows.index("actions")] == [0, 1, 0, 0]


# --- the case page -----------------------------------------------------------------------


def test_the_case_page_shows_the_count(client, people):
    case = known_case(people)
    login_verified(client, people.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Contacts: 4 · Actions: 4" in page
    for line in ("Contact attempts: 2", "Meetings with a seeker: 2", "Court hearings accompanied: 1"):
        assert line in page
    assert "Referrals to partners: 1" in page and "Practical help: 1" in page


def test_an_attempt_logged_in_place_updates_the_count(client, people):
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=1))
    assign(case, people.alex, by=people.coordinator)
    login_verified(client, people.alex)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    made_at = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("attempt_create", args=[case.pk]),
        {"made_at": made_at, "method": "phone", "outcome": "reached"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'id="counted" hx-swap-oob="true"' in body
    assert "Contacts: 1 · Actions: 0" in body


@pytest.mark.parametrize("persona", ["coordinator", "alex"])
def test_the_case_page_costs_the_same_queries_with_more_to_count(client, people, persona):
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=30))
    assign(case, people.alex, by=people.coordinator)
    user = getattr(people, persona)
    services.record_action(case=case, done_on=timezone.localdate(), kind="other", by=user)
    login_verified(client, user)
    url = reverse("case_detail", args=[case.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    kim = people.coordinator
    partner = Partner.objects.create(name="Kvinnojouren", kind="womens_shelter")
    for n in range(6):
        day = timezone.now() - timedelta(days=20 - n)
        services.record_action(case=case, done_on=timezone.localdate(day), kind="legal_information", by=user)
        services.log_attempt(case=case, made_at=day, method="phone", outcome="no_answer", by=kim)
        appointment(case, AppointmentKind.MEETING, day, by=kim)
        referral(case, "out", timezone.localdate(day), by=kim, partner=partner)
    assert count() == few
