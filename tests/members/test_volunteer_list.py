"""The volunteer list: every active assignment with its flags at a glance
(pledge, follow-up, case load), for coordinators only, in a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from jour.models import Role
from members.followup import months_before
from members.models import ConfidentialityPledge, Person, SupervisionKind, SupervisionSession, VolunteerAssignment
from tests.cases.factories import assign, make_case
from tests.personas import login_verified, make_user

URL = "/people/volunteers/"


def today():
    return timezone.localdate()


def make_volunteer(
    name, *, account=None, pledge=True, pledge_scan="", training=True, capacity=2, **fields
) -> VolunteerAssignment:
    """A volunteer; the pledge is the person's (members.models.ConfidentialityPledge)."""
    person = Person.objects.create(name=name, account=account)
    if pledge:
        ConfidentialityPledge.objects.create(person=person, signed_on=today() - timedelta(days=390), scan=pledge_scan)
    defaults = {
        "start": today() - timedelta(days=400),
        "basic_training_on": today() - timedelta(days=390) if training else None,
        "capacity": capacity,
    }
    return VolunteerAssignment.objects.create(person=person, **{**defaults, **fields})


def hold_session(held_on, *people, by, kind=SupervisionKind.GROUP):
    session = SupervisionSession.objects.create(held_on=held_on, kind=kind, supervisor="Handledare H", recorded_by=by)
    session.participants.set(people)
    return session


def row_html(html: str, assignment: VolunteerAssignment) -> str:
    match = re.search(rf'<tr data-assignment="{assignment.pk}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {assignment}"
    return match.group(1)


def flags(html: str, assignment: VolunteerAssignment) -> set[str]:
    return set(re.findall(r'data-flag="([\w-]+)"', row_html(html, assignment)))


@pytest.fixture
def coordinator_client(people):
    client = Client()
    login_verified(client, people.coordinator)
    return client


def test_the_url_is_named():
    assert reverse("volunteer_list") == URL


def over_capacity(case, person, *, by):
    """Assigned beyond capacity, as a coordinator may after confirming (cases/services.assign)."""
    return case_services.assign(case=case, person=person, kind="support", by=by, confirm_over_capacity=True)


def test_each_active_volunteer_with_its_flags(people, coordinator_client):
    kim = people.coordinator
    # Alex: everything in order, but more cases than capacity (an ended one does not count).
    alex = make_volunteer("Alex Volontär", account=people.alex, capacity=1)
    for _n in range(2):
        over_capacity(make_case(kim), people.alex, by=kim)
    old = over_capacity(make_case(kim), people.alex, by=kim)
    case_services.end_assignment(assignment=old, by=kim)
    # Sam: at capacity, witness supporter too.
    sam = make_volunteer("Sam Volontär", account=people.sam, capacity=2, witness_supporter=True)
    for _n in range(2):
        assign(make_case(kim), people.sam, by=kim)
    # No pledge, no account.
    no_pledge = make_volunteer("Utan Löfte", pledge=False)
    # No training recorded, follow-up too long ago.
    stale = make_volunteer("Länge Sedan", training=False)
    recent_day = today() - timedelta(days=20)
    hold_session(recent_day, alex.person, sam.person, no_pledge.person, by=kim)
    hold_session(months_before(today(), 3) - timedelta(days=1), stale.person, by=kim)
    # Not listed: ended yesterday, starting tomorrow.
    ended = make_volunteer("Slutat Igår", end=today() - timedelta(days=1))
    future = make_volunteer("Börjar Imorgon", start=today() + timedelta(days=1))

    response = coordinator_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()

    listed = {row.assignment.pk for row in response.context["rows"]}
    assert listed == {alex.pk, sam.pk, no_pledge.pk, stale.pk}
    assert "Slutat Igår" not in html and "Börjar Imorgon" not in html
    assert ended.pk not in listed and future.pk not in listed

    assert flags(html, alex) == {"load-over"}
    assert ">2 / 1<" in row_html(html, alex)
    assert flags(html, sam) == {"load-full"}
    assert ">2 / 2<" in row_html(html, sam)
    assert flags(html, no_pledge) == {"pledge-missing"}
    assert flags(html, stale) == {"training-missing", "followup-missing"}

    rows = {row.assignment.pk: row for row in response.context["rows"]}
    assert rows[alex.pk].last_followup == recent_day and not rows[alex.pk].lacks_followup
    assert rows[stale.pk].lacks_followup and rows[stale.pk].last_followup == months_before(today(), 3) - timedelta(1)
    assert rows[no_pledge.pk].case_load is None  # no login account: no load to show
    assert rows[alex.pk].case_load == 2 and rows[sam.pk].case_load == 2
    assert response.context["lacking_count"] == 1
    assert response.context["pledge_missing_count"] == 1
    # Both roles shown for Sam.
    sam_row = row_html(html, sam)
    assert sam_row.count('class="tag"') == 2


def test_a_volunteer_never_followed_up_is_flagged(people, coordinator_client):
    never = make_volunteer("Aldrig Uppföljd")
    html = coordinator_client.get(URL).content.decode()
    assert "followup-missing" in flags(html, never)
    assert "–" in row_html(html, never)


def test_the_months_come_from_the_setting(people, coordinator_client, settings):
    volunteer = make_volunteer("Månadsvis")
    hold_session(months_before(today(), 2), volunteer.person, by=people.coordinator, kind=SupervisionKind.INDIVIDUAL)
    settings.JOUR_FOLLOWUP_MONTHS = 3
    assert "followup-missing" not in flags(coordinator_client.get(URL).content.decode(), volunteer)
    settings.JOUR_FOLLOWUP_MONTHS = 1
    assert "followup-missing" in flags(coordinator_client.get(URL).content.decode(), volunteer)


def test_a_row_links_to_its_edit_page_and_to_the_pledge_scan_only_when_stored(people, coordinator_client):
    volunteer = make_volunteer("Utan Skanning")
    scanned = make_volunteer("Med Skanning", pledge_scan="pledges/x.pdf")
    html = coordinator_client.get(URL).content.decode()
    row = row_html(html, volunteer)
    assert reverse("volunteer_edit", args=[volunteer.pk]) in row
    assert "pledge_download" not in row and "/pledges/" not in row
    pledge = scanned.person.pledges.get()
    assert reverse("pledge_download", args=[pledge.pk]) in row_html(html, scanned)


def test_the_pledge_shown_is_the_persons_latest(people, coordinator_client):
    """The pledge is the person's: a newer one recorded on the person's page is what the list shows."""
    volunteer = make_volunteer("Två Löften")
    newer = ConfidentialityPledge.objects.create(person=volunteer.person, signed_on=today() - timedelta(days=3))
    rows = {row.assignment.pk: row for row in coordinator_client.get(URL).context["rows"]}
    assert rows[volunteer.pk].pledge_signed_on == newer.signed_on and rows[volunteer.pk].pledge_pk == newer.pk
    assert not rows[volunteer.pk].pledge_missing


@pytest.mark.parametrize("role", [Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR])
def test_only_coordinators_see_the_list(people, role):
    make_volunteer("Hemlig Volontär")
    client = Client()
    login_verified(client, people.by_role()[role])
    response = client.get(URL)
    assert response.status_code == 403
    assert "Hemlig" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _add_volunteers(people, numbers):
    """Volunteers with an account, a case, a session and (every other one) a pledge and its scan."""
    kim = people.coordinator
    for i in numbers:
        user = make_user(f"vol{i}@jour.test", f"Volontär {i}", Role.SUPPORT_PERSON, with_totp=False)
        pledge = i % 2 == 0
        # Assigned while the account was not yet linked: a case needs a pledge on record once it is.
        assign(make_case(kim), user, by=kim)
        volunteer = make_volunteer(
            f"Volontär {i}", account=user, pledge=pledge, pledge_scan="pledges/x.pdf" if pledge else ""
        )
        hold_session(today() - timedelta(days=i * 7), volunteer.person, by=kim, kind=SupervisionKind.INDIVIDUAL)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_same_number_of_queries_for_1_and_30_volunteers(people, coordinator_client):
    _add_volunteers(people, range(1))
    coordinator_client.get(URL)  # warm up: session and the like
    one = _queries(coordinator_client)
    _add_volunteers(people, range(1, 30))
    thirty = _queries(coordinator_client)
    assert len(coordinator_client.get(URL).context["rows"]) == 30
    assert VolunteerAssignment.objects.count() == 30
    assert thirty == one, (one, thirty)


def test_opening_the_list_is_logged_once_without_names(people, coordinator_client):
    from auditlog.models import LogEntry

    make_volunteer("Loggad Volontär")
    make_volunteer("Annan Volontär")
    coordinator_client.get(URL)
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).get()
    assert entry.actor == people.coordinator
    dumped = f"{entry.object_repr} {entry.changes}"
    assert "Volontär" not in dumped and "2" in dumped
