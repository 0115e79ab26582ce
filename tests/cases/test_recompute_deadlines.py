"""recompute_open_deadlines: after the working days change, every waiting case's
deadline is what set_deadline would compute now, in a fixed number of queries.

A wrong stored deadline stands in for a changed holiday table. The week is
2-6 March 2026, without holidays: Monday 09:00 + 48 working hours is
Wednesday 09:00, the warning 4 hours earlier; urgent cases get 24 hours.
"""

from datetime import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import deadlines, services
from cases.models import AlertKind, Case, Channel, CrimeType, DeadlineAlert, Priority, Status
from jour.workdays import STOCKHOLM


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=STOCKHOLM)


def new_case(people, priority=Priority.NORMAL, received_at=None) -> Case:
    data = {
        "channel": Channel.POLICE_REFERRAL,
        "crime_type": CrimeType.TRAFFICKING,
        "first_name": "Ingegerd",
        "received_at": received_at or at(2, 9),
        "priority": priority,
    }
    return services.register_case(data=data, by=people.coordinator, now=at(2, 9))


def stored(case) -> tuple[datetime, datetime]:
    return tuple(Case.objects.filter(pk=case.pk).values_list("first_contact_due", "first_contact_warn_at").get())


def recompute(now):
    with CaptureQueriesContext(connection) as queries:
        moved = deadlines.recompute_open_deadlines(now=now)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "cases_case"')]
    return moved, len(queries.captured_queries), updates


def test_fixes_a_wrong_deadline_and_leaves_right_ones_alone(people):
    normal, urgent, wrong = new_case(people), new_case(people, Priority.URGENT), new_case(people)
    right = {case.pk: stored(case) for case in (normal, urgent)}
    assert right[normal.pk] == (at(4, 9), at(4, 5)) and right[urgent.pk] == (at(3, 9), at(3, 5))
    Case.objects.filter(pk=wrong.pk).update(first_contact_due=at(6, 9), first_contact_warn_at=at(6, 5))

    moved, _, updates = recompute(now=at(2, 10))

    assert moved == 1
    assert stored(wrong) == (at(4, 9), at(4, 5))
    assert {case.pk: stored(case) for case in (normal, urgent)} == right
    assert len(updates) == 1 and f"= {wrong.pk})" in updates[0]  # the right rows are not written


def test_nothing_to_do_writes_nothing(people):
    new_case(people)
    assert recompute(now=at(2, 10))[::2] == (0, [])


def test_query_count_does_not_grow_with_the_cases(people):
    few = [new_case(people) for _ in range(2)]
    Case.objects.filter(pk__in=[c.pk for c in few]).update(first_contact_due=at(9, 9))
    _, queries_for_few, _ = recompute(now=at(2, 10))

    many = [new_case(people) for _ in range(12)]
    Case.objects.filter(pk__in=[c.pk for c in many]).update(first_contact_due=at(9, 9))
    moved, queries_for_many, updates = recompute(now=at(2, 10))

    assert moved == 12
    assert queries_for_many == queries_for_few
    assert len(updates) == 1  # one batch


def test_contacted_and_closed_cases_keep_their_deadline(people):
    contacted, closed = new_case(people), new_case(people)
    Case.objects.filter(pk=contacted.pk).update(first_contact_due=at(9, 9), first_contact_at=at(2, 11))
    Case.objects.filter(pk=closed.pk).update(first_contact_due=at(9, 9), status=Status.CLOSED, closed_at=at(2, 12))

    assert deadlines.recompute_open_deadlines(now=at(2, 13)) == 0
    assert stored(contacted)[0] == stored(closed)[0] == at(9, 9)


def test_an_escalation_that_no_longer_holds_is_removed(people):
    case = new_case(people)
    Case.objects.filter(pk=case.pk).update(first_contact_due=at(2, 12), first_contact_warn_at=at(2, 8))
    other = new_case(people, received_at=datetime(2026, 2, 26, 9, tzinfo=STOCKHOLM))  # due Monday 2 March 09:00
    deadlines.sweep(now=at(3, 10))  # both overdue, the first by its wrong deadline
    assert DeadlineAlert.objects.filter(kind=AlertKind.OVERDUE).count() == 2

    assert deadlines.recompute_open_deadlines(now=at(3, 11)) == 1

    assert not DeadlineAlert.objects.filter(case=case).exists()  # due Wednesday: it can happen again then
    assert DeadlineAlert.objects.filter(case=other, kind=AlertKind.OVERDUE).exists()
