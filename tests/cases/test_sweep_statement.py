"""The sweep as one PostgreSQL statement, beside the Python rule it replaces there.

PostgreSQL makes the alerts and their notices in one data-modifying statement;
SQLite (the dev site) keeps the Python path. Both read the recipients from the
same querysets, and these tests hold the two to the same answers. The last
test runs two sweeps at once on two connections and releases them only when
both are seen waiting inside their transactions, so it does not depend on
timing.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases import deadlines, services
from cases.models import AlertKind, DeadlineAlert, Notification
from jour.models import Role
from tests.cases.test_deadline_sweep import assign, at, new_case
from tests.cases.test_sweep_worker import hold_alert_slot, sweeps_waiting
from tests.personas import build_personas, make_user
from tests.worker import in_thread, wait_for

WARNING, OVERDUE = AlertKind.WARNING, AlertKind.OVERDUE

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement sweep is PostgreSQL's")


def made_by(sweep, now):
    """What one way of sweeping makes at `now`, rolled back afterwards."""
    with transaction.atomic():
        result = sweep(now)
        alerts = sorted(DeadlineAlert.objects.values_list("case__number", "kind"))
        notices = sorted(Notification.objects.values_list("recipient__email", "case__number", "kind", "created_at"))
        transaction.set_rollback(True)
    return result, alerts, notices


def test_the_statement_makes_the_notices_the_python_rule_makes(people):
    make_user("lo@jour.test", "Lo Coordinator", Role.COORDINATOR)
    make_user("former@jour.test", "Former Coordinator", Role.COORDINATOR, is_active=False)
    gone = make_user("gone@jour.test", "Gone Support", Role.SUPPORT_PERSON)
    # Due for a warning at Wednesday 05:01: received Monday 09:00.
    with_two = new_case(people)
    assign(people, with_two, people.alex)
    assign(people, with_two, people.sam)
    handed_over = new_case(people)
    services.end_assignment(assignment=assign(people, handed_over, people.alex), note="To Sam", by=people.coordinator)
    assign(people, handed_over, people.sam)
    deactivated = new_case(people)
    assign(people, deactivated, gone)
    unassigned = new_case(people)
    # Overdue by then: received the previous Thursday, assigned all the same.
    overdue = new_case(people, at(2, 9) - (at(9, 9) - at(2, 9)))
    assign(people, overdue, people.alex)
    gone.is_active = False
    gone.save()

    ours = made_by(deadlines._sweep_in_one_statement, at(4, 5, 1))
    python = made_by(deadlines._sweep_in_python, at(4, 5, 1))

    assert ours == python
    result, alerts, notices = ours
    assert result == deadlines.SweepResult(warnings=4, escalations=1, notifications=4 + 3 + 2 + 2 + 2)
    told = {(email, number, kind) for email, number, kind, _at in notices}
    coordinators = {"kim@jour.test", "lo@jour.test"}
    assert {e for e, n, k in told if n == with_two.number} == coordinators | {"alex@jour.test", "sam@jour.test"}
    assert {e for e, n, k in told if n == handed_over.number} == coordinators | {"sam@jour.test"}
    assert {e for e, n, k in told if n == deactivated.number} == coordinators
    assert {e for e, n, k in told if n == unassigned.number} == coordinators
    assert {(e, k) for e, n, k in told if n == overdue.number} == {(e, OVERDUE) for e in coordinators}
    assert {at_ for *_rest, at_ in notices} == {at(4, 5, 1)}


def test_the_sweep_is_one_statement_however_much_is_due(people):
    for _ in range(30):
        assign(people, new_case(people), people.alex)
    counts = []
    for now in (at(2, 10), at(4, 5, 1), at(4, 9, 1), at(4, 9, 6)):  # nothing, 30 warnings, 30 escalations, nothing
        with CaptureQueriesContext(connection) as captured:
            deadlines.sweep(now=now)
        counts.append([q["sql"].split()[0] for q in captured.captured_queries])
    # Inside the test's transaction atomic() is a savepoint: SAVEPOINT, the sweep, RELEASE.
    assert counts == [["SAVEPOINT", "WITH", "RELEASE"]] * 4
    assert Notification.objects.count() == 30 * 2 + 30


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_make_each_alert_and_notice_once():
    people = build_personas()
    make_user("lo@jour.test", "Lo Coordinator", Role.COORDINATOR)
    cases = [new_case(people) for _ in range(20)]
    for case in cases[:10]:
        assign(people, case, people.alex)  # told of a warning, not of the escalation

    # An uncommitted alert on the middle case stops the first sweep inside its
    # transaction; the second then waits behind the first one's locked rows.
    blocker = hold_alert_slot(cases[10])
    results, errors = [], []
    try:
        first = in_thread(lambda: deadlines.sweep(now=at(4, 9, 1)), errors, results)
        assert wait_for(lambda: len(sweeps_waiting()) == 1, timeout=60), errors
        second = in_thread(lambda: deadlines.sweep(now=at(4, 9, 1)), errors, results)
        assert wait_for(lambda: len(sweeps_waiting()) == 2, timeout=60), errors
        blocker.rollback()
        first.join(60)
        second.join(60)
    finally:
        blocker.close()

    assert errors == []
    assert sorted((r.escalations, r.notifications) for r in results) == [(0, 0), (20, 40)]
    assert DeadlineAlert.objects.filter(kind=OVERDUE).count() == 20
    assert not DeadlineAlert.objects.filter(kind=WARNING).exists()
    assert Notification.objects.count() == 40
    assert Notification.objects.values("alert", "recipient").distinct().count() == 40
