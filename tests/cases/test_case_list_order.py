"""The case list sorted by deadline or by receipt, at the federation's scale: each
tab and sort can be read from an index in its order (so the page stops after 50
rows instead of sorting every match), and "received since" with the deadline
sort starts reading at that day, which holds because a deadline always comes
after its case was received (a database constraint)."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from cases import selectors
from cases.models import Case
from tests.calendars.helpers import sthlm
from tests.plans import query_plan

from .factories import make_case


@pytest.fixture
def spread(people):
    """Cases received one every three days over two months, from 1 September 2026."""
    days = [date(2026, 9, 1) + timedelta(days=3 * i) for i in range(20)]
    return [make_case(people.coordinator, first_name=f"S{i}", received_at=sthlm(day, 10)) for i, day in enumerate(days)]


def test_received_since_in_deadline_order_is_every_such_case_and_no_other(people, spread):
    since = date(2026, 10, 1)
    for sort in ("due", "-due"):
        listed = list(
            selectors.case_list(user=people.coordinator, view="all", filters={"received_from": since}, sort=sort)
        )
        expected = sorted(
            (c for c in spread if c.received_at >= sthlm(since, 0)),
            key=lambda c: (c.first_contact_due, c.pk),
            reverse=sort == "-due",
        )
        assert [c.pk for c in listed] == [c.pk for c in expected]
        assert len(listed) == 10


def test_a_deadline_before_its_receipt_is_refused_by_the_database(people, spread):
    case = spread[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(first_contact_due=case.received_at)


def _plan(queryset) -> str:
    return query_plan(queryset[:50], forbid=("seqscan", "sort"))


@pytest.mark.parametrize(
    ("view", "sort", "index"),
    [
        ("all", "due", "case_due_idx"),
        ("all", "-received", "case_received_idx"),
        ("open", "due", "case_open_by_due_idx"),
        ("open", "received", "case_open_received_idx"),
        # Waiting for a first attempt: the deadline sweep's index, ties put in order as they come.
        ("waiting", "-due", "case_open_due_idx"),
    ],
)
def test_each_sort_reads_an_index_in_its_order(people, spread, view, sort, index):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    plan = _plan(selectors.case_list(user=people.coordinator, view=view, sort=sort))
    sorts = [line for line in plan.splitlines() if line.strip(" ->").startswith("Sort  (")]
    assert index in plan and not sorts, plan


def test_received_since_starts_the_deadline_scan_at_that_day(people, spread):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    filters = {"received_from": date(2026, 10, 1)}
    plan = _plan(selectors.case_list(user=people.coordinator, view="all", filters=filters, sort="due"))
    assert "case_due_idx" in plan and "Index Cond: (first_contact_due >" in plan, plan
