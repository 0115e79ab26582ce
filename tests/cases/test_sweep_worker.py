"""The deadline sweep in a real Celery worker on Redis, sharing the test database.

What a worker adds to the direct tests in test_deadline_sweep.py: redelivered
and repeated tasks, two workers at once, a worker killed in the middle of its
transaction, and a broker that was down. In every case each alert must exist
once per case and kind, each notification once per recipient, and each e-mail
once. The sweep runs at the real current time here, so the cases are built
relative to `timezone.now()`.
"""

import email
import json
import re
import threading
from collections import Counter
from contextlib import ExitStack, contextmanager
from datetime import timedelta

import psycopg
import pytest
import redis
from celery.app.task import Task
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import deadlines, notifications, services
from cases.models import (
    AlertKind,
    AssignmentKind,
    AttemptMethod,
    AttemptOutcome,
    Case,
    Channel,
    CrimeType,
    DeadlineAlert,
    Notification,
)
from cases.tasks import sweep_deadlines
from jour.models import Role
from jour.workdays import add_working_hours, working_hours_between
from tests.personas import build_personas, login_verified, make_user
from tests.worker import producer_on, redis_url_or_skip, wait_for, worker_process

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SWEEP = "cases.tasks.sweep_deadlines"
WARNING, OVERDUE = AlertKind.WARNING, AlertKind.OVERDUE
CASE_NUMBER = re.compile(r"\b\d{4}-\d{4,}\b")


# --- Cases relative to the real clock ------------------------------------------


def register(people, received_at) -> Case:
    data = {
        "received_at": received_at,
        "channel": Channel.PHONE,
        "crime_type": CrimeType.UNLAWFUL_THREATS,
        "first_name": "Ingegerd",
        "last_name": "Wahlqvistsson",
        "phone": "070-555 12 34",
    }
    return services.register_case(data=data, by=people.coordinator)


def overdue_case(people) -> Case:
    """Received a month ago: far past its 48 working hours whatever today is."""
    return register(people, timezone.now() - timedelta(days=30))


def warning_case(people) -> Case:
    """Received about 46 working hours ago: inside the warning window for
    roughly two more working hours, whether today is a working day or not."""
    now = timezone.now()
    received = now - timedelta(hours=46)
    while working_hours_between(received, now) < timedelta(hours=46):
        received -= timedelta(minutes=15)
    case = register(people, received)
    assert case.first_contact_warn_at <= now < case.first_contact_due - timedelta(hours=1)
    return case


def assign(people, case, person):
    services.assign(case=case, person=person, kind=AssignmentKind.SUPPORT_PERSON, by=people.coordinator)


def alert_kinds(case) -> list[str]:
    return sorted(DeadlineAlert.objects.filter(case=case).values_list("kind", flat=True))


def recipients(case, kind) -> list[str]:
    return sorted(Notification.objects.filter(case=case, kind=kind).values_list("recipient__email", flat=True))


# --- The worker, its log and its mail ------------------------------------------


class WorkerLog:
    """Reads the worker's output as it comes. Reading is needed anyway (a full
    pipe would stall the worker), and the log is the only place that says a
    task has finished: the sweep stores no result."""

    def __init__(self, process):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for raw in iter(stream.readline, b""):
            self.lines.append(raw.decode(errors="replace"))

    def _count(self, word: str) -> int:
        return sum(1 for line in list(self.lines) if f"Task {SWEEP}[" in line and word in line)

    @property
    def succeeded(self) -> int:
        return self._count("succeeded")

    @property
    def failed(self) -> int:
        return self._count("raised")

    def text(self) -> str:
        return "".join(self.lines[-60:])


@contextmanager
def sweep_worker(redis_url, mail_dir):
    with worker_process(redis_url, mail_dir) as (queue, process):
        yield queue, process, WorkerLog(process)


def wait_for_sweeps(logs: list[WorkerLog], count: int, timeout: float = 25):
    finished = wait_for(lambda: sum(log.succeeded + log.failed for log in logs) >= count, timeout)
    output = "\n".join(log.text() for log in logs)
    assert finished, f"fewer than {count} sweeps finished:\n{output}"
    assert not any(log.failed for log in logs), output


def mails(mail_dir) -> list[email.message.Message]:
    """Every message the worker wrote. Django's file backend names its file by
    the second and an object id, so two messages can share a file: split on
    the separator line it writes after each message instead of counting files."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.lstrip()))
    return messages


def body(message) -> str:
    return message.get_payload(decode=True).decode()


# A digest names its first cases and counts the rest ("Och 60 ärenden till").
UNNAMED = re.compile(r"Och (\d+) ärenden? till")


def mail_count(mail_dir) -> Counter:
    """(recipient, case number) -> how many e-mails the worker wrote about the
    case. One e-mail can list several cases: each it names counts once, and the
    cases it only counts count under (recipient, "unnamed")."""
    count = Counter()
    for message in mails(mail_dir):
        text = body(message)
        count.update((message["To"], number) for number in CASE_NUMBER.findall(text))
        if unnamed := UNNAMED.search(text):
            count[(message["To"], "unnamed")] += int(unnamed.group(1))
    return count


def by_recipient(count: Counter) -> Counter:
    return Counter(to for (to, _case), n in count.items() for _ in range(n))


def notified() -> Counter:
    """(recipient, case number) -> how many notifications the database holds."""
    return Counter(Notification.objects.values_list("recipient__email", "case__number"))


def forget_killed_delivery(redis_url, queue):
    """A worker killed with a task in hand leaves the message in kombu's
    "unacked" hash, to be restored an hour later to a queue nobody reads any
    more. Remove it, so test runs do not pile them up in Redis."""
    client = redis.Redis.from_url(redis_url)
    try:
        for tag, raw in client.hscan_iter("unacked"):
            if json.loads(raw)[2] == queue:
                client.zrem("unacked_index", tag)
                client.hdel("unacked", tag)
        client.delete(queue)
    finally:
        client.close()


# --- Direct access to PostgreSQL, beside Django's connection ----------------------


def other_connection() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None, dbname=s["NAME"]
    )


def hold_alert_slot(case) -> psycopg.Connection:
    """Insert an overdue alert for `case` and leave the transaction open.

    A sweep's INSERT ... ON CONFLICT that reaches the same (case, kind) must
    wait for this transaction to end before it can tell whether its row
    conflicts; so the sweep stops inside its own transaction, with the rows it
    inserted so far uncommitted, until this transaction is rolled back.
    """
    blocker = other_connection()
    blocker.execute(
        "INSERT INTO cases_deadlinealert (case_id, kind, created_at) VALUES (%s, %s, now())", [case.pk, OVERDUE]
    )
    return blocker


def sweeps_waiting() -> list[int]:
    """Backends of this database stuck on a lock while inserting alerts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            ["%INSERT INTO cases_deadlinealert%"],
        )
        return [pid for (pid,) in cursor.fetchall()]


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def assert_escalated_once(cases, mail_dir, coordinators):
    """One overdue alert per case, one notification per coordinator, each e-mailed once."""
    for case in cases:
        assert alert_kinds(case) == [OVERDUE], case.number
        assert recipients(case, OVERDUE) == sorted(coordinators), case.number
    assert notified() == Counter((address, case.number) for case in cases for address in coordinators)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    emailed = mail_count(mail_dir)
    named = Counter({key: n for key, n in emailed.items() if key[1] != "unnamed"})
    assert max(named.values()) == 1  # no case named twice to anyone
    assert named.keys() <= notified().keys()
    assert by_recipient(emailed) == by_recipient(notified())


# --- The tests -----------------------------------------------------------------


def test_an_overdue_case_is_escalated_once_across_repeats_and_restarts(tmp_path):
    redis_url = redis_url_or_skip()
    people = build_personas()
    make_user("lo@jour.test", "Lo Coordinator", Role.COORDINATOR)
    coordinators = ["kim@jour.test", "lo@jour.test"]
    case = overdue_case(people)
    assign(people, case, people.alex)

    with producer_on(redis_url) as producer:
        with sweep_worker(redis_url, tmp_path) as (queue, process, log):
            for _ in range(3):  # as after redeliveries, or beat firing while a sweep runs
                producer.send_task(SWEEP, queue=queue)
            wait_for_sweeps([log], 3)
        assert_escalated_once([case], tmp_path, coordinators)
        message = mails(tmp_path)[0]
        assert case.number in body(message) and reverse("case_detail", args=[case.pk]) in body(message)

        # A new worker, as after a deploy: the stored alert holds, nothing is resent.
        with sweep_worker(redis_url, tmp_path) as (queue, process, log):
            producer.send_task(SWEEP, queue=queue)
            wait_for_sweeps([log], 1)
    assert_escalated_once([case], tmp_path, coordinators)
    assert not Notification.objects.filter(recipient=people.alex).exists()


def test_two_workers_sweeping_at_once_alert_and_mail_once(tmp_path):
    """tests.worker gives each worker its own queue, so the sweeps go to both
    queues. What matters is that two sweeps overlap in the database, and a
    held alert slot (see hold_alert_slot) makes sure they do: both sweeps stop
    inside their transactions, the second one behind the first one's
    uncommitted rows, until the slot is released."""
    redis_url = redis_url_or_skip()
    people = build_personas()
    make_user("lo@jour.test", "Lo Coordinator", Role.COORDINATOR)
    coordinators = ["kim@jour.test", "lo@jour.test"]
    cases = [overdue_case(people) for _ in range(50)]

    blocker = hold_alert_slot(cases[25])
    try:
        with ExitStack() as stack, producer_on(redis_url) as producer:
            queue_a, _, log_a = stack.enter_context(sweep_worker(redis_url, tmp_path))
            queue_b, _, log_b = stack.enter_context(sweep_worker(redis_url, tmp_path))
            for _ in range(3):
                producer.send_task(SWEEP, queue=queue_a)
                producer.send_task(SWEEP, queue=queue_b)
            both_waiting = wait_for(lambda: len(sweeps_waiting()) >= 2, timeout=20)
            assert both_waiting, f"the sweeps did not overlap:\n{log_a.text()}\n{log_b.text()}"
            blocker.rollback()
            wait_for_sweeps([log_a, log_b], 6)
            assert log_a.succeeded == 3 and log_b.succeeded == 3
    finally:
        blocker.close()

    assert DeadlineAlert.objects.filter(kind=WARNING).count() == 0
    assert DeadlineAlert.objects.filter(kind=OVERDUE).count() == 50
    assert_escalated_once(cases, tmp_path, coordinators)


def test_a_worker_killed_inside_its_sweep_loses_nothing(tmp_path):
    """Kill -9 a worker while its sweep transaction is open, then start another.

    The application has no hook to slow a sweep down, so the test holds the
    overdue alert slot of one case (hold_alert_slot): the sweep's one statement
    has inserted other alerts and waits on that slot, uncommitted. Then the
    worker gets SIGKILL, the slot is released, and PostgreSQL must roll the
    orphaned transaction back (its client is gone, so no COMMIT can ever come).
    The next sweep, by a new worker, must then do all of the work, once.
    """
    redis_url = redis_url_or_skip()
    people = build_personas()
    overdue = [overdue_case(people) for _ in range(5)]
    warned = [warning_case(people) for _ in range(5)]
    for i, case in enumerate(warned):
        assign(people, case, people.alex if i % 2 else people.sam)
    attempted = overdue_case(people)
    services.log_attempt(
        case=attempted,
        made_at=timezone.now() - timedelta(days=1),
        method=AttemptMethod.PHONE,
        outcome=AttemptOutcome.NO_ANSWER,
        by=people.coordinator,
    )

    blocker = hold_alert_slot(overdue[2])
    orphan = None
    try:
        with producer_on(redis_url) as producer:
            with sweep_worker(redis_url, tmp_path) as (queue, process, log):
                producer.send_task(SWEEP, queue=queue)
                waiting = wait_for(sweeps_waiting, timeout=20)
                assert waiting, f"the sweep never reached the held slot:\n{log.text()}"
                orphan = waiting[0]
                process.kill()
                process.wait(timeout=10)
            forget_killed_delivery(redis_url, queue)
            # The sweep was half done when the worker died: none of it is visible.
            assert not DeadlineAlert.objects.exists()
            blocker.rollback()
            assert wait_for(lambda: not backend_alive(orphan), timeout=10), "the killed worker's transaction lingers"
            assert not DeadlineAlert.objects.exists() and not Notification.objects.exists()
            assert mails(tmp_path) == []

            with sweep_worker(redis_url, tmp_path) as (queue, process, log):
                producer.send_task(SWEEP, queue=queue)
                wait_for_sweeps([log], 1)
    finally:
        blocker.close()
        if orphan and backend_alive(orphan):  # never leave it to block the database flush
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [orphan])

    for case in overdue:
        assert alert_kinds(case) == [OVERDUE]
        assert recipients(case, OVERDUE) == ["kim@jour.test"]
    for i, case in enumerate(warned):
        assert alert_kinds(case) == [WARNING]
        assert recipients(case, WARNING) == sorted(["kim@jour.test", "alex@jour.test" if i % 2 else "sam@jour.test"])
    assert alert_kinds(attempted) == []
    assert Notification.objects.count() == 5 + 10
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert mail_count(tmp_path) == notified()


def test_pages_work_without_the_broker_and_the_sweep_catches_up(client, tmp_path, monkeypatch):
    redis_url = redis_url_or_skip()
    people = build_personas()
    case = overdue_case(people)
    # Before the outage the sweep warned about the case, in time.
    warned_at = add_working_hours(case.received_at, 45)
    assert deadlines.sweep(now=warned_at).warnings == 1
    assert notifications.send_pending_emails() == 1

    # The broker goes down: queueing anything fails. Nothing the pages do may
    # depend on it; the deadline they show is computed from the stored fields.
    def broker_down(*args, **kwargs):
        raise ConnectionError("the broker is down")

    with monkeypatch.context() as outage:
        outage.setattr(sweep_deadlines, "delay", broker_down)
        outage.setattr(Task, "apply_async", broker_down)
        login_verified(client, people.coordinator)
        for url in [
            reverse("start"),
            reverse("case_list"),
            reverse("case_list") + "?view=waiting",
            reverse("case_detail", args=[case.pk]),
            reverse("notification_list"),
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert case.number in response.content.decode(), url
    assert alert_kinds(case) == [WARNING]  # the deadline passed while nothing swept

    # The broker is back: the first sweep escalates what became overdue meanwhile.
    with sweep_worker(redis_url, tmp_path) as (queue, process, log), producer_on(redis_url) as producer:
        producer.send_task(SWEEP, queue=queue)
        producer.send_task(SWEEP, queue=queue)
        wait_for_sweeps([log], 2)
    assert alert_kinds(case) == [OVERDUE, WARNING]
    assert DeadlineAlert.objects.get(case=case, kind=WARNING).created_at == warned_at
    assert recipients(case, OVERDUE) == ["kim@jour.test"]
    # The escalation only: the warning was e-mailed before the outage.
    assert mail_count(tmp_path) == Counter({("kim@jour.test", case.number): 1})
