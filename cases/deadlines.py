"""The first-contact rule and its enforcement.

The federation's minimum requirements: the first attempt to contact a seeker is
normally made within 48 hours counted on working days after the case reached
the jour, and within 24 such hours for urgent cases. The deadline is computed
once from `received_at` and the priority and stored; the sweep only reads it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jour import access
from jour.workdays import add_working_hours, add_working_hours_bulk, working_hours_between

from . import rules
from .models import AlertKind, Assignment, Case, DeadlineAlert, Notification, Priority, Status

ALLOWANCE_HOURS = {Priority(priority): hours for priority, hours in rules.ALLOWANCE_HOURS.items()}
WARNING_HOURS = rules.WARNING_HOURS


def allowance(priority: str) -> timedelta:
    return timedelta(hours=ALLOWANCE_HOURS[Priority(priority)])


def set_deadline(case: Case) -> None:
    """Fill in the stored deadline fields from received_at and priority.

    Once the first attempt is made, the deadline it is judged by keeps the
    priority then in force: only a corrected received_at moves it."""
    hours = ALLOWANCE_HOURS[Priority(case.priority)]
    case.first_contact_due = add_working_hours(case.received_at, hours)
    case.first_contact_warn_at = add_working_hours(case.received_at, hours - WARNING_HOURS)
    if case.first_contact_priority:
        then = ALLOWANCE_HOURS[Priority(case.first_contact_priority)]
        case.first_contact_due_then = add_working_hours(case.received_at, then)


def stop_clock(case: Case, at: datetime, *, at_registration: bool = False) -> None:
    """Record the first contact at ``at``, with the deadline and priority in
    force when the clock stopped. An earlier attempt logged later moves the
    time, not the deadline it is judged by."""
    if case.first_contact_at is None:
        case.first_contact_due_then = case.first_contact_due
        case.first_contact_priority = case.priority
    case.first_contact_at = at
    case.first_contact_hours = hours_to_first_contact(case)
    case.first_contact_at_registration = at_registration


CLOCK_FIELDS = [
    "first_contact_at",
    "first_contact_hours",
    "first_contact_due_then",
    "first_contact_priority",
    "first_contact_at_registration",
]


@dataclass(frozen=True)
class DeadlineState:
    """What the case page and the lists show about the first-contact clock."""

    allowance: timedelta
    used: timedelta
    due: datetime
    first_contact_at: datetime | None

    @property
    def left(self) -> timedelta:
        return max(self.allowance - self.used, timedelta(0))

    @property
    def kept(self) -> bool | None:
        """True or False once decided; None while the clock still runs."""
        if self.first_contact_at is not None:
            return self.first_contact_at <= self.due
        if self.used >= self.allowance:
            return False
        return None

    @property
    def due_soon(self) -> bool:
        # The same boundary as the sweep's warning: at most four hours left.
        return self.kept is None and self.left <= timedelta(hours=WARNING_HOURS)


def deadline_state(case: Case, now: datetime | None = None) -> DeadlineState:
    now = now or timezone.now()
    stop = case.first_contact_at or (case.closed_at if case.is_closed else None) or now
    # After the first attempt: the allowance and deadline it was made under.
    return DeadlineState(
        allowance=allowance(case.first_contact_priority or case.priority),
        used=working_hours_between(case.received_at, stop),
        due=case.first_contact_due_then or case.first_contact_due,
        first_contact_at=case.first_contact_at,
    )


def hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def hours_to_first_contact(case: Case) -> float | None:
    if case.first_contact_at is None:
        return None
    return working_hours_between(case.received_at, case.first_contact_at).total_seconds() / 3600


# --- The sweep -------------------------------------------------------------

_INSERT_ALERTS = """
INSERT INTO cases_deadlinealert (case_id, kind, created_at)
SELECT c.id, %s, %s FROM cases_case c
WHERE c.first_contact_at IS NULL AND c.status <> 'closed' AND {condition}
  AND NOT EXISTS (SELECT 1 FROM cases_deadlinealert a WHERE a.case_id = c.id AND a.kind = %s)
{lock}
ON CONFLICT (case_id, kind) DO NOTHING
RETURNING id, case_id
"""
# On PostgreSQL the sweep waits for a case that is being edited and then
# re-checks it: without the lock it could alert on a deadline an edit has
# just moved. SQLite runs one writer at a time and has no such clause.
_LOCK = {"postgresql": "FOR NO KEY UPDATE OF c"}

_CONDITIONS = {
    # Less than four working hours left, and not yet overdue.
    AlertKind.WARNING: "c.first_contact_warn_at <= %s AND c.first_contact_due > %s",
    AlertKind.OVERDUE: "c.first_contact_due <= %s",
}

# PostgreSQL makes the alerts and their notices in one statement, a
# data-modifying CTE. EXCEPT finds the cases due and not yet alerted by
# hashing or sorting, whatever the planner believes of the row counts: a
# nested-loop anti join probed the alerts once per overdue case on every
# tick. The insert then locks those cases by key and re-checks them, in key
# order so that two sweeps at once wait for each other instead of deadlocking.
_SWEEP = """
WITH due AS (
  SELECT c.id AS case_id, {kind} AS kind FROM cases_case c WHERE {due}
  EXCEPT
  SELECT case_id, kind FROM cases_deadlinealert
),
new AS (
  INSERT INTO cases_deadlinealert (case_id, kind, created_at)
  SELECT locked.id, locked.kind, %s FROM (SELECT case_id FROM due ORDER BY case_id) AS due CROSS JOIN LATERAL (
    SELECT c.id, {kind} AS kind FROM cases_case c WHERE c.id = due.case_id AND {due} FOR NO KEY UPDATE
  ) AS locked
  ON CONFLICT (case_id, kind) DO NOTHING
  RETURNING id, case_id, kind
),
notices AS (
  INSERT INTO cases_notification (alert_id, recipient_id, case_id, kind, created_at)
  SELECT new.id, everyone.person_id, new.case_id, new.kind, %s
  FROM new CROSS JOIN ({everyone}) AS everyone (person_id)
  UNION
  SELECT new.id, on_case.person_id, new.case_id, new.kind, %s
  FROM new JOIN ({on_case}) AS on_case (case_id, person_id) ON on_case.case_id = new.case_id
  WHERE new.kind = %s
  RETURNING 1
)
SELECT count(*) FILTER (WHERE kind = %s), count(*) FILTER (WHERE kind = %s), (SELECT count(*) FROM notices)
FROM new
"""
# Waiting for a first attempt and either kind due; which kind, at `now`.
_DUE = "c.first_contact_at IS NULL AND c.status <> 'closed' AND (({warning}) OR ({overdue}))"
_KIND = "CASE WHEN {overdue} THEN %s ELSE %s END"


def _told_of_every_alert():
    """Who hears of every warning and escalation: the coordinators."""
    return access.may_see_every_case.users().order_by().values_list("pk")


def _told_of_a_warning():
    """(case, person): who else hears of a case's warning, its support persons
    now on the case; an escalation goes to the coordinators only."""
    on_case = Assignment.objects.filter(ended_at__isnull=True, person__is_active=True)
    return on_case.order_by().values_list("case_id", "person_id")


@dataclass(frozen=True)
class SweepResult:
    warnings: int
    escalations: int
    notifications: int


def sweep(now: datetime | None = None) -> SweepResult:
    """Create each due warning and escalation once, with its notifications.

    One transaction: a worker killed half-way leaves nothing behind, and the
    next sweep does the work. Two sweeps at once cannot both create an alert:
    the insert skips rows that the unique constraint already holds, and
    returns only the rows it created, and only those get notifications. The
    number of queries does not depend on how many cases are open or due.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _sweep_in_one_statement(now)
        return _sweep_in_python(now)


def _sweep_in_python(now: datetime) -> SweepResult:
    """The sweep for SQLite (the dev site), which has no data-modifying CTE."""
    created = {kind: _insert_alerts(kind, now) for kind in (AlertKind.WARNING, AlertKind.OVERDUE)}
    notices = _notifications_for(created, now)
    Notification.objects.bulk_create(notices)
    return SweepResult(
        warnings=len(created[AlertKind.WARNING]),
        escalations=len(created[AlertKind.OVERDUE]),
        notifications=len(notices),
    )


def _sweep_in_one_statement(now: datetime) -> SweepResult:
    """The whole sweep as one statement: at 75,000 alerts after an outage,
    making the notices in Python took most of the time."""
    warning, overdue = _CONDITIONS[AlertKind.WARNING], _CONDITIONS[AlertKind.OVERDUE]
    due = _DUE.format(warning=warning, overdue=overdue)
    due_params = [now] * due.count("%s")
    kind = _KIND.format(overdue=overdue)
    kind_params = [now] * overdue.count("%s") + [AlertKind.OVERDUE.value, AlertKind.WARNING.value]
    everyone, everyone_params = _told_of_every_alert().query.sql_with_params()
    on_case, on_case_params = _told_of_a_warning().query.sql_with_params()
    sql = _SWEEP.format(kind=kind, due=due, everyone=everyone, on_case=on_case)
    params = [
        *[*kind_params, *due_params],  # due
        *[now, *kind_params, *due_params],  # new
        *[now, *everyone_params, now, *on_case_params, AlertKind.WARNING.value],  # notices
        *[AlertKind.WARNING.value, AlertKind.OVERDUE.value],  # counts
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        warned, escalated, notified = cursor.fetchone()
    return SweepResult(warnings=warned, escalations=escalated, notifications=notified)


def _insert_alerts(kind: AlertKind, now: datetime) -> list[tuple[int, int]]:
    condition = _CONDITIONS[kind]
    at = connection.ops.adapt_datetimefield_value(now)  # raw SQL: SQLite compares text
    params = [kind.value, at] + [at] * condition.count("%s") + [kind.value]
    sql = _INSERT_ALERTS.format(condition=condition, lock=_LOCK.get(connection.vendor, ""))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _notifications_for(created: dict[AlertKind, list[tuple[int, int]]], now: datetime) -> list[Notification]:
    if not any(created.values()):
        return []
    everyone = {person for (person,) in _told_of_every_alert()}
    warned_cases = [case_id for _alert, case_id in created[AlertKind.WARNING]]
    on_case: dict[int, set[int]] = {}
    for case_id, person_id in _told_of_a_warning().filter(case_id__in=warned_cases):
        on_case.setdefault(case_id, set()).add(person_id)
    notices = []
    for kind, rows in created.items():
        for alert_id, case_id in rows:
            recipients = everyone | on_case.get(case_id, set()) if kind == AlertKind.WARNING else everyone
            notices += [
                Notification(alert_id=alert_id, recipient_id=r, case_id=case_id, kind=kind, created_at=now)
                for r in sorted(recipients)
            ]
    return notices


def reset_alerts_after_deadline_change(case: Case, now: datetime | None = None) -> None:
    """When received_at or the priority changes, an alert whose condition no
    longer holds is removed, so that it can happen again at the new time."""
    now = now or timezone.now()
    stale = []
    if case.first_contact_warn_at > now:
        stale.append(AlertKind.WARNING)
    if case.first_contact_due > now:
        stale.append(AlertKind.OVERDUE)
    for alert in DeadlineAlert.objects.filter(case=case, kind__in=stale):
        alert.delete()


# Open and still without a first contact attempt: what the clock runs for.
WAITING = Q(first_contact_at__isnull=True) & ~Q(status=Status.CLOSED)


def open_cases_waiting(qs=None):
    qs = qs if qs is not None else Case.objects.all()
    return qs.filter(WAITING)


# --- When the holiday table changes -------------------------------------------


def recompute_open_deadlines(*, now: datetime | None = None, batch_size: int = 2000) -> int:
    """Recompute the deadline and warning time of every case still waiting for
    its first contact attempt, as set_deadline would now; returns how many moved.

    For when the working days change (a new release of the holidays package, a
    corrected rule). One query reads the cases, the working-day engine computes
    in bulk, and only the rows that changed are written, ``batch_size`` at a
    time; then, as after an edit, alerts whose condition no longer holds are
    removed. The rows stay locked until the end, so an edit cannot slip in
    between. Cases already contacted keep theirs: their attempt was judged by
    it. Like the sweep's writes these derived columns are not in the audit log.
    """
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            open_cases_waiting()
            .order_by("pk")
            .select_for_update(no_key=True)
            .values_list("pk", "received_at", "priority", "first_contact_due", "first_contact_warn_at")
        )
        if not rows:
            return 0
        pks, received, priorities, old_due, old_warn = zip(*rows, strict=True)
        hours = np.array([ALLOWANCE_HOURS[Priority(p)] for p in priorities])
        starts = _as_datetime64(received)
        due = add_working_hours_bulk(starts, hours)
        warn = add_working_hours_bulk(starts, hours - WARNING_HOURS)
        changed = np.flatnonzero((due != _as_datetime64(old_due)) | (warn != _as_datetime64(old_warn)))
        moved = [
            Case(pk=pks[i], first_contact_due=_aware(d), first_contact_warn_at=_aware(w))
            for i, d, w in zip(changed.tolist(), due[changed].tolist(), warn[changed].tolist(), strict=True)
        ]
        Case.objects.bulk_update(moved, ["first_contact_due", "first_contact_warn_at"], batch_size=batch_size)
        if moved:
            waiting = open_cases_waiting()
            DeadlineAlert.objects.filter(
                kind=AlertKind.WARNING, case__in=waiting.filter(first_contact_warn_at__gt=now)
            ).delete()
            DeadlineAlert.objects.filter(
                kind=AlertKind.OVERDUE, case__in=waiting.filter(first_contact_due__gt=now)
            ).delete()
    return len(moved)


def _as_datetime64(instants) -> np.ndarray:
    return np.array([i.astimezone(UTC).replace(tzinfo=None) for i in instants], dtype="datetime64[us]")


def _aware(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC)
