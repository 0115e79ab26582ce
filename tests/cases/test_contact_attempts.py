"""Contact attempts: never in the future or before the case reached the jour; the
first one, whatever its outcome, stops the first-contact clock."""

import json
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AttemptOutcome, ContactAttempt, Status
from jour.workdays import STOCKHOLM, working_hours_between
from tests.personas import login_verified

from .factories import assign, attempt, local_input, make_case, snapshot

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def alex_case(people):
    """Reached the jour three days ago, assigned to Alex, no attempt yet."""
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=3))
    assign(case, people.alex, by=people.coordinator)
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FIRST_CONTACT
    return case


def _post(client, case, made_at: str, headers: dict, outcome="reached"):
    return client.post(
        reverse("attempt_create", args=[case.pk]),
        {"made_at": made_at, "method": "phone", "outcome": outcome, "note": "Ringde"},
        **headers,
    )


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize("when", ["future", "before_received"])
def test_an_impossible_attempt_time_is_refused_with_a_field_error(client, people, alex_case, headers, when):
    if when == "future":
        made_at = local_input(timezone.now() + timedelta(days=1))
    else:
        made_at = local_input(alex_case.received_at - timedelta(hours=2))
    login_verified(client, people.alex)
    before = snapshot(alex_case)
    response = _post(client, alex_case, made_at, headers)
    assert response.status_code == 400
    form = response.context["attempt_form"]
    assert list(form.errors) == ["made_at"]
    assert form["made_at"].value() == made_at
    template = "cases/_attempts.html" if headers else "cases/case_detail.html"
    assert template in [t.name for t in response.templates]
    assert snapshot(alex_case) == before
    assert ContactAttempt.objects.count() == 0


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_back_dated_attempt_is_accepted(client, people, alex_case, headers):
    made_at = timezone.localtime(alex_case.received_at + timedelta(hours=1)).replace(second=0, microsecond=0)
    login_verified(client, people.alex)
    response = _post(client, alex_case, local_input(made_at), headers)
    if headers:
        assert response.status_code == 200
        assert "cases/_attempts.html" in [t.name for t in response.templates]
    else:
        assert response.status_code == 302
    logged = ContactAttempt.objects.get()
    assert logged.made_at == made_at
    assert logged.made_by == people.alex
    alex_case.refresh_from_db()
    assert alex_case.first_contact_at == made_at


@pytest.mark.parametrize("outcome", AttemptOutcome.values)
def test_the_first_attempt_stops_the_clock_whatever_the_outcome(client, people, alex_case, outcome):
    made_at = timezone.localtime(timezone.now() - timedelta(hours=5)).replace(second=0, microsecond=0)
    login_verified(client, people.alex)
    response = _post(client, alex_case, local_input(made_at), {}, outcome=outcome)
    assert response.status_code == 302
    alex_case.refresh_from_db()
    assert alex_case.first_contact_at == made_at
    assert alex_case.status == Status.ACTIVE
    expected = working_hours_between(alex_case.received_at, made_at).total_seconds() / 3600
    assert alex_case.first_contact_hours == pytest.approx(expected)
    assert ContactAttempt.objects.get().outcome == outcome


def test_the_first_attempt_stops_the_clock_on_an_unassigned_case(people):
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(hours=6))
    assert case.status == Status.NEW
    attempt(case, timezone.now() - timedelta(hours=1), by=people.coordinator, outcome="no_answer")
    case.refresh_from_db()
    assert case.first_contact_at is not None and case.status == Status.ACTIVE


def test_a_later_attempt_does_not_move_the_first_contact(people, alex_case):
    first = timezone.now() - timedelta(days=2)
    attempt(alex_case, first, by=people.alex)
    alex_case.refresh_from_db()
    hours, version = alex_case.first_contact_hours, alex_case.version
    attempt(alex_case, timezone.now() - timedelta(hours=1), by=people.alex, outcome="reached")
    alex_case.refresh_from_db()
    assert alex_case.first_contact_at == first
    assert alex_case.first_contact_hours == hours
    assert ContactAttempt.objects.filter(case=alex_case).count() == 2
    assert alex_case.version == version  # the case row itself did not change


def test_an_earlier_attempt_logged_later_moves_the_first_contact_earlier(client, people, alex_case):
    later = timezone.localtime(timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    earlier = timezone.localtime(alex_case.received_at + timedelta(minutes=30)).replace(second=0, microsecond=0)
    login_verified(client, people.alex)
    assert _post(client, alex_case, local_input(later), {}).status_code == 302
    alex_case.refresh_from_db()
    assert alex_case.first_contact_at == later
    assert _post(client, alex_case, local_input(earlier), HTMX).status_code == 200
    alex_case.refresh_from_db()
    assert alex_case.first_contact_at == earlier
    expected = working_hours_between(alex_case.received_at, earlier).total_seconds() / 3600
    assert alex_case.first_contact_hours == pytest.approx(expected)
    assert alex_case.status == Status.ACTIVE


def _kept_on_the_page(client, case):
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.context["state"].kept


def test_the_case_page_shows_whether_the_deadline_was_kept(client, people):
    coordinator = people.coordinator
    login_verified(client, coordinator)
    # Friday 20 Nov 2026 15:00, normal: due Tuesday 24 Nov 15:00.
    friday = datetime(2026, 11, 20, 15, 0, tzinfo=STOCKHOLM)
    in_time = make_case(coordinator, received_at=friday, now=friday)
    late = make_case(coordinator, received_at=friday, now=friday)
    assert in_time.first_contact_due == datetime(2026, 11, 24, 15, 0, tzinfo=STOCKHOLM)
    attempt(in_time, datetime(2026, 11, 24, 14, 59, tzinfo=STOCKHOLM), by=coordinator)
    attempt(late, datetime(2026, 11, 24, 15, 1, tzinfo=STOCKHOLM), by=coordinator, outcome="reached")
    assert _kept_on_the_page(client, in_time) is True
    assert _kept_on_the_page(client, late) is False

    never_tried = make_case(coordinator, received_at=friday, now=friday)
    assert _kept_on_the_page(client, never_tried) is False  # deadline passed, no attempt
    fresh = make_case(coordinator, received_at=timezone.now() - timedelta(minutes=10))
    assert _kept_on_the_page(client, fresh) is None  # the clock still runs


# htmx 2 swaps only 2xx/3xx responses unless `responseHandling` in htmx-config says otherwise.
HTMX_DEFAULT_RESPONSE_HANDLING = [
    {"code": "204", "swap": False},
    {"code": "[23]..", "swap": True},
    {"code": "[45]..", "swap": False, "error": True},
]


class _HtmxConfig(HTMLParser):
    config: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name") == "htmx-config":
            self.config = json.loads(attrs["content"])


def _htmx_swaps(status: int, config: dict) -> bool:
    for rule in config.get("responseHandling", HTMX_DEFAULT_RESPONSE_HANDLING):
        if re.search(rule["code"], str(status)):
            return bool(rule.get("swap"))
    return False


def test_the_htmx_field_error_reaches_the_page(client, people, alex_case):
    login_verified(client, people.alex)
    page = client.get(reverse("case_detail", args=[alex_case.pk]))
    parser = _HtmxConfig()
    parser.feed(page.content.decode())
    assert parser.config is not None
    response = _post(client, alex_case, local_input(timezone.now() + timedelta(days=1)), HTMX)
    assert response.context["attempt_form"].errors
    assert _htmx_swaps(response.status_code, parser.config)
