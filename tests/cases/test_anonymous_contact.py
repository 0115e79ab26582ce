"""An anonymous contact: registered through the coordinator's form with no
personal data at all, and (by phone or walk-in) already contacted: a contact at
registration, counted apart from the cases that had a deadline to keep."""

from datetime import datetime, timedelta
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseNumberSequence, Status
from cases.selectors import kpi
from jour.workdays import STOCKHOLM
from tests.personas import login_verified

from .factories import SEEKER, case_form_data

PERSONAL_FIELDS = ["first_name", "last_name", "phone", "email"]
NO_PERSONAL_DATA = dict.fromkeys(PERSONAL_FIELDS, "")


@pytest.fixture
def coordinator(client, people):
    login_verified(client, people.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _year_kpi(year: int):
    rows = kpi(
        start=datetime(year, 1, 1, tzinfo=STOCKHOLM),
        end=datetime(year + 1, 1, 1, tzinfo=STOCKHOLM),
        granularity="year",
    )
    return sum(r.decided for r in rows), sum(r.kept for r in rows), sum(r.at_registration for r in rows)


def _received() -> datetime:
    # A minute in the past, as the form sends it (Stockholm time, whole minutes).
    return timezone.localtime(timezone.now() - timedelta(minutes=30)).replace(second=0, microsecond=0)


@pytest.mark.parametrize("channel", ["phone", "walk_in"])
def test_an_anonymous_call_or_visit_is_saved_without_personal_data_as_a_contact_at_registration(
    coordinator, people, channel
):
    received = _received()
    response = coordinator.post(
        reverse("case_create"),
        case_form_data(received_at=received, channel=channel, anonymous="on", **NO_PERSONAL_DATA),
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.pk])

    assert case.anonymous is True
    for field in PERSONAL_FIELDS:
        assert getattr(case, field) == "", field
    # The call or visit itself was the contact: nobody to call back.
    assert case.received_at == received
    assert case.first_contact_at == case.received_at
    assert case.first_contact_hours == 0
    assert case.status == Status.ACTIVE
    assert not case.waiting_for_first_contact
    # The statistics are kept.
    assert (case.gender, case.age_group, case.municipality) == ("woman", "26-64", "1281")
    assert case.first_contact_at_registration is True
    # Not decided and not kept: there was no deadline to keep. Its own line.
    assert _year_kpi(received.year) == (0, 0, 1)

    page = coordinator.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Anonymous contact" in page


def test_an_anonymous_email_contact_still_waits_for_its_first_attempt(coordinator, people):
    received = _received()
    response = coordinator.post(
        reverse("case_create"),
        case_form_data(received_at=received, channel="email", anonymous="on", **NO_PERSONAL_DATA),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.anonymous is True
    assert case.first_contact_at is None
    assert case.first_contact_hours is None
    assert case.status == Status.NEW
    assert case.waiting_for_first_contact
    assert case.first_contact_due > timezone.now()
    assert _year_kpi(received.year) == (0, 0, 0)  # not decided yet, and no contact at registration


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", SEEKER["first_name"]),
        ("last_name", SEEKER["last_name"]),
        ("phone", SEEKER["phone"]),
        ("email", SEEKER["email"]),
    ],
)
def test_an_anonymous_contact_with_personal_data_is_refused_and_nothing_is_saved(coordinator, field, value):
    typed = case_form_data(received_at=_received(), anonymous="on", **{**NO_PERSONAL_DATA, field: value})
    response = coordinator.post(reverse("case_create"), typed)
    assert response.status_code == 400  # refused, with what was typed
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert "An anonymous contact has no" in " ".join(form.errors[field])
    assert "leave it empty" in response.content.decode()
    assert Case.objects.count() == 0
    assert not CaseNumberSequence.objects.filter(last_value__gt=0).exists()


def test_a_named_contact_without_a_first_name_is_refused_with_the_name_or_anonymous_message(coordinator):
    response = coordinator.post(reverse("case_create"), case_form_data(received_at=_received(), first_name=""))
    assert response.status_code == 400  # refused, with what was typed
    form = response.context["form"]
    assert list(form.errors) == ["first_name"]
    # The error list is escaped by Jinja2 (jour.forms.FormRenderer): &#39;, not Django's &#x27;.
    assert "Give the seeker's first name, or mark the contact as anonymous." in unescape(response.content.decode())
    assert Case.objects.count() == 0


def test_a_first_name_of_blanks_counts_as_none(coordinator):
    response = coordinator.post(reverse("case_create"), case_form_data(received_at=_received(), first_name="   "))
    assert response.status_code == 400  # refused, with what was typed
    assert "first_name" in response.context["form"].errors
    assert Case.objects.count() == 0
