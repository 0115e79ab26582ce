"""Signal S6 (first contact within the deadline) reads history (#17): urgency
confirmed after the first attempt leaves it kept, and contacts made at
registration are counted apart, outside the share."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from cases import services
from compliance import evidence
from compliance import services as compliance_services
from jour.workdays import STOCKHOLM, add_working_hours
from tests.cases.factories import attempt, make_case
from tests.personas import login_verified

MONDAY = datetime(2025, 3, 3, 9, tzinfo=STOCKHOLM)
END_OF_2025 = date(2025, 12, 31)
ANONYMOUS = {"anonymous": True, "first_name": "", "last_name": "", "phone": "", "email": "", "notes": ""}


def registered(by, when: datetime = MONDAY, **overrides):
    return make_case(by, now=when + timedelta(minutes=5), received_at=when, **overrides)


def s6():
    with override("en"):
        return evidence.first_contact_kpi(END_OF_2025)


def test_s6_still_says_kept_after_urgency_is_confirmed(people, settings):
    settings.JOUR_FIRST_CONTACT_TARGET = 0.75
    by = people.coordinator
    case = registered(by)
    made_at = add_working_hours(MONDAY, 30)
    attempt(case, made_at, by=by, now=made_at + timedelta(minutes=1))
    answers = dict.fromkeys(services.RISK_FIELDS, "no") | {"immediate_danger": "yes"}
    services.confirm_urgent(check=services.record_risk_check(case=case, answers=answers, by=by), by=by)

    figures = evidence.first_contact_figures(END_OF_2025)
    assert figures["normal"] == {"decided": 1, "kept": 1, "per_mille": 1000, "at_registration": 0}
    assert figures["urgent"] == {"decided": 0, "kept": 0, "per_mille": None, "at_registration": 0}
    found = s6()
    assert found.state == evidence.OK
    assert "1 of 1 cases" in found.summary and "(100.0%)" in found.summary
    assert "registration" not in found.summary


def test_contacts_at_registration_are_counted_apart_in_s6(people, settings):
    settings.JOUR_FIRST_CONTACT_TARGET = 0.75
    by = people.coordinator
    registered(by, channel="walk_in", **ANONYMOUS)
    registered(by, MONDAY + timedelta(days=1), channel="phone", priority="urgent", **ANONYMOUS)
    late = registered(by, MONDAY + timedelta(days=7))
    attempt(late, late.received_at + timedelta(days=5), by=by, now=late.received_at + timedelta(days=6))

    figures = evidence.first_contact_figures(END_OF_2025)
    assert figures["normal"] == {"decided": 1, "kept": 0, "per_mille": 0, "at_registration": 1}
    assert figures["urgent"] == {"decided": 0, "kept": 0, "per_mille": None, "at_registration": 1}
    assert figures["all"] == {"decided": 1, "kept": 0, "per_mille": 0, "at_registration": 2}
    found = s6()
    # The walk-in and the call do not lift the share: 0 of 1, not 2 of 3.
    assert found.state == evidence.NOT_OK
    assert "0 of 1 cases" in found.summary
    assert "2 contacts at registration" in found.summary


def test_only_contacts_at_registration_are_no_result_but_are_named(people):
    registered(people.coordinator, channel="walk_in", **ANONYMOUS)

    found = s6()

    assert found.state == evidence.MANUAL
    assert "1 contact at registration (an anonymous call or visit)" in found.summary


def test_the_year_s_page_names_the_contacts_at_registration_apart(client, people):
    registered(people.coordinator, channel="walk_in", **ANONYMOUS)
    compliance_services.start_year(year=2025, by=people.coordinator)
    login_verified(client, people.board)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = " ".join(client.get(reverse("assessment_detail", args=[2025])).content.decode().split())

    assert "Not counted above: 1 contact at registration (an anonymous call or visit)" in page
