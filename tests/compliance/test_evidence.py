"""Live evidence beside each requirement: computed from the data, never invented."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from compliance import evidence
from compliance.models import ReportKind, ReportSubmission
from jour.workdays import STOCKHOLM
from members.models import BoardTerm, Person, VolunteerAssignment
from tests.cases.factories import attempt, make_case
from tests.personas import login_verified

DAY = timezone.localdate()
LONG_AGO = DAY - timedelta(days=400)


def test_first_contact_share_against_the_target(people, settings):
    settings.JOUR_FIRST_CONTACT_TARGET = 0.75
    start = datetime(DAY.year, 1, 2, 9, 0, tzinfo=STOCKHOLM)
    if start > timezone.now() - timedelta(days=10):
        start = timezone.now() - timedelta(days=10)
    in_time = [make_case(people.coordinator, received_at=start) for _ in range(3)]
    for case in in_time:
        attempt(case, case.received_at + timedelta(hours=1), by=people.coordinator)
    make_case(people.coordinator, received_at=start)  # overdue, no attempt
    with override("en"):  # an earlier test's request may have left Swedish active
        found = evidence.first_contact_kpi(DAY)
    assert found.state == evidence.OK and "3 of 4" in found.summary and "75" in found.summary
    settings.JOUR_FIRST_CONTACT_TARGET = 0.9
    assert evidence.first_contact_kpi(DAY).state == evidence.NOT_OK


def test_no_cases_is_not_a_result(db):
    assert evidence.first_contact_kpi(DAY).state == evidence.MANUAL


def test_pledges_and_follow_up(people):
    vera = Person.objects.create(name="Vera")
    VolunteerAssignment.objects.create(person=vera, start=LONG_AGO)
    assert evidence.pledges_signed(DAY).state == evidence.NOT_OK
    assert evidence.volunteer_followup(DAY).state == evidence.NOT_OK
    VolunteerAssignment.objects.filter(person=vera).update(pledge_signed_on=LONG_AGO)
    assert evidence.pledges_signed(DAY).state == evidence.OK


def test_coordinator_rule_and_leavers(people):
    kim = Person.objects.create(name="Kim", account=people.coordinator)
    assert evidence.coordinator_co_opted(DAY).state == evidence.NOT_OK
    BoardTerm.objects.create(person=kim, role="co_opted", start=LONG_AGO)
    assert evidence.coordinator_co_opted(DAY).state == evidence.OK

    alex = Person.objects.create(name="Alex", account=people.alex)
    VolunteerAssignment.objects.create(person=alex, start=LONG_AGO, end=DAY)
    assert evidence.leavers_blocked(DAY).state == evidence.NOT_OK


def test_signals_without_a_source_say_so(db):
    assert evidence.evidence("not_recorded_anywhere", DAY).state == evidence.MANUAL
    assert evidence.evidence("", DAY) is None


def test_phone_and_mailbox_without_any_log_are_not_met(db):
    for signal in ("phone_forwarding", "mailbox_read"):
        assert evidence.evidence(signal, DAY).state == evidence.NOT_OK


def test_yearly_reports_need_the_annual_report(people):
    assert evidence.yearly_reports(DAY).state == evidence.NOT_OK
    ReportSubmission.objects.create(
        kind=ReportKind.MUNICIPAL, year=DAY.year - 1, sent_on=DAY.replace(month=1, day=15), recipient="Kommunen"
    )
    found = evidence.yearly_reports(DAY)
    assert found.state == evidence.NOT_OK and DAY.replace(month=1, day=15).isoformat() in found.summary
    ReportSubmission.objects.create(
        kind=ReportKind.ANNUAL, year=DAY.year - 1, sent_on=DAY.replace(month=1, day=20), recipient="Förbundet"
    )
    assert evidence.yearly_reports(DAY).state == evidence.OK
    # A report sent in another year is not this year's evidence.
    assert evidence.yearly_reports(DAY.replace(year=DAY.year + 1)).state == evidence.NOT_OK


def test_the_catalogue_page_shows_the_evidence_without_personal_data(client, people):
    vera = Person.objects.create(name="Veronika Volontärsdotter", email="veronika@jour.test")
    VolunteerAssignment.objects.create(person=vera, start=LONG_AGO)
    login_verified(client, people.board)
    html = client.get(reverse("requirement_list")).content.decode()
    assert 'class="tag bad"' in html and 'class="tag ok"' in html
    assert "Veronika" not in html and "veronika@" not in html
