"""Live evidence beside each requirement: computed from the data, never invented."""

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from compliance import evidence
from compliance.models import ReportKind, ReportSubmission
from jour import services as accounts
from jour.models import Role
from jour.workdays import STOCKHOLM
from members.models import BoardTerm, ConfidentialityPledge, Employment, Person, VolunteerAssignment
from tests.cases.factories import attempt, make_case
from tests.personas import login_verified, make_user

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
    # The pledge is the person's: one recorded on the person's page counts.
    ConfidentialityPledge.objects.create(person=vera, signed_on=DAY - timedelta(days=10))
    with override("en"):
        found = evidence.pledges_signed(DAY)
    assert found.state == evidence.OK
    assert found.summary == "Every volunteer, employee and board member of the year (1) has signed the pledge."
    # A pledge signed after the day asked about does not count for that day.
    assert evidence.pledges_signed(DAY - timedelta(days=11)).state == evidence.NOT_OK


def test_the_pledge_evidence_covers_employees_and_the_board_of_the_year(people):
    """Issue 17, item 5: not only volunteers, and everyone who worked during the
    year, also those who have left since (a board member whose term ended in March)."""
    kim = Person.objects.create(name="Kim")
    Employment.objects.create(person=kim, title="Samordnare", start=LONG_AGO)
    maria = Person.objects.create(name="Maria")
    BoardTerm.objects.create(person=maria, role="chair", start=LONG_AGO, end=date(DAY.year, 3, 15))
    before_the_year = Person.objects.create(name="Gone")
    BoardTerm.objects.create(
        person=before_the_year, role="member", start=date(DAY.year - 2, 1, 1), end=date(DAY.year - 1, 6, 1)
    )
    with override("en"):
        found = evidence.pledges_signed(DAY)
    assert found.state == evidence.NOT_OK
    assert found.summary.startswith("2 volunteers, employees and board members of the year")
    for person in (kim, maria):
        ConfidentialityPledge.objects.create(person=person, signed_on=LONG_AGO)
    assert evidence.pledges_signed(DAY).state == evidence.OK


def test_coordinator_rule_and_leavers(people):
    kim = Person.objects.create(name="Kim", account=people.coordinator)
    assert evidence.coordinator_co_opted(DAY).state == evidence.NOT_OK
    BoardTerm.objects.create(person=kim, role="co_opted", start=LONG_AGO)
    assert evidence.coordinator_co_opted(DAY).state == evidence.OK

    alex = Person.objects.create(name="Alex", account=people.alex)
    VolunteerAssignment.objects.create(person=alex, start=LONG_AGO, end=DAY)
    assert evidence.leavers_blocked(DAY).state == evidence.NOT_OK


def _everyone_in_the_register(people):
    """Every persona's account linked to a person who holds what its role needs."""
    kim = Person.objects.create(name="Kim", account=people.coordinator)
    Employment.objects.create(person=kim, title="Samordnare", start=LONG_AGO)
    for user in (people.alex, people.sam):
        person = Person.objects.create(name=user.name, account=user)
        VolunteerAssignment.objects.create(person=person, start=LONG_AGO)
    maria = Person.objects.create(name="Maria", account=people.board)
    BoardTerm.objects.create(person=maria, role="chair", start=LONG_AGO)


def test_an_account_outside_the_register_is_not_ok_until_linked(people):
    """Issue 16: an account with a case role that belongs to nobody in the
    register escapes the leaving rule, so the evidence says so, with the count."""
    _everyone_in_the_register(people)
    with override("en"):
        assert evidence.leavers_blocked(DAY).state == evidence.OK
        stray = make_user("stray@jour.test", "Stray Account", Role.SUPPORT_PERSON)
        found = evidence.leavers_blocked(DAY)
        assert found.state == evidence.NOT_OK
        assert found.summary == "1 active login account with a case role belongs to nobody in the register."
        # Linked to a person (the person form's login account field): ok again.
        person = Person.objects.create(name="Stray Person", account=stray)
        VolunteerAssignment.objects.create(person=person, start=LONG_AGO)
        assert evidence.leavers_blocked(DAY).state == evidence.OK


def test_an_account_outside_the_register_is_not_ok_until_closed(people):
    _everyone_in_the_register(people)
    stray = make_user("stray@jour.test", "Stray Account", Role.COORDINATOR)
    auditor = make_user("other.auditor@jour.test", "Other Auditor", Role.AUDITOR)  # no case role: not counted
    assert auditor.pk
    assert evidence.leavers_blocked(DAY).state == evidence.NOT_OK
    accounts.deactivate_user(user=stray, by=people.coordinator)
    assert evidence.leavers_blocked(DAY).state == evidence.OK


def test_leavers_and_strays_are_both_named(people):
    _everyone_in_the_register(people)
    VolunteerAssignment.objects.filter(person__account=people.sam).update(end=DAY)
    make_user("stray@jour.test", "Stray Account", Role.SUPPORT_PERSON)
    make_user("stray2@jour.test", "Stray Two", Role.SUPPORT_PERSON)
    with override("en"):
        found = evidence.leavers_blocked(DAY)
    assert found.state == evidence.NOT_OK
    assert found.summary == (
        "1 active login account belongs to someone who has left. "
        "2 active login accounts with a case role belong to nobody in the register."
    )


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
