"""Synthetic case volume for benchmarks and load tests (`seed_load`).

Rows are written with bulk_create, which auditlog does not see: this is made-up
data for measuring, never a way to change real cases.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from jour import access
from jour.models import Role, User
from jour.workdays import STOCKHOLM

from . import deadlines, search
from .models import (
    AgeGroup,
    Assignment,
    AssignmentKind,
    AttemptMethod,
    AttemptOutcome,
    Case,
    CaseNumberSequence,
    Channel,
    Circumstance,
    ClosingReason,
    ContactAttempt,
    CrimeType,
    FirstContactBy,
    Gender,
    Priority,
    SeekerRole,
    Status,
)

FIRST_NAMES = ["Anna", "Eva", "Lena", "Karin", "Maria", "Erik", "Lars", "Karl", "Johan", "Nils", "Sara", "Omar"]
# Official codes (cases/municipalities.py): Lund, Malmö, Söderhamn, Västerås, Eslöv, Sandviken.
MUNICIPALITIES = ["1281", "1280", "2182", "1980", "1285", "2181"]
BATCH = 5000


@dataclass
class LoadResult:
    cases: int
    attempts: int
    open_cases: int


def _volunteers(count: int) -> list[User]:
    existing = list(access.may_be_assigned_cases.users().filter(email__endswith="@load.example"))
    for n in range(len(existing), count):
        existing.append(
            User.objects.create_user(
                email=f"volunteer{n:03d}@load.example", name=f"Volunteer {n:03d}", role=Role.SUPPORT_PERSON
            )
        )
    return existing


def load(
    *, cases: int, attempts_per_case: int = 5, open_share: float = 0.04, seed: int = 2026, now: datetime | None = None
) -> LoadResult:
    """Cases received over the last five years, most closed, about
    `attempts_per_case` contact attempts each, an open tail in the last weeks."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible on purpose
    # The federation's fields from their own stream: the older ones keep their values.
    extra = random.Random(seed + 1)  # noqa: S311
    markers = list(Circumstance.objects.in_use().values_list("pk", flat=True))
    now = now or timezone.now()
    coordinator = access.may_manage_cases.users().order_by("pk").first()
    if coordinator is None:
        coordinator = User.objects.create_user(
            email="coordinator@load.example", name="Load Coordinator", role=Role.COORDINATOR
        )
    volunteers = _volunteers(30)
    span = timedelta(days=5 * 365)
    received = sorted(now - timedelta(seconds=rng.uniform(0, span.total_seconds())) for _ in range(cases))
    open_from = len(received) - int(cases * open_share)

    numbers: dict[int, int] = dict(CaseNumberSequence.objects.values_list("year", "last_value"))
    made_cases = made_attempts = 0
    with transaction.atomic():
        for start in range(0, len(received), BATCH):
            batch_cases, batch_meta = [], []
            for index in range(start, min(start + BATCH, len(received))):
                received_at = received[index].astimezone(STOCKHOLM)
                year = received_at.year
                numbers[year] = numbers.get(year, 0) + 1
                is_open = index >= open_from
                case = Case(
                    number=f"{year}-{numbers[year]:04d}",
                    year=year,
                    sequence=numbers[year],
                    received_at=received_at,
                    registered_at=received_at,
                    registered_by=coordinator,
                    channel=rng.choice(Channel.values),
                    priority=Priority.URGENT if rng.random() < 0.15 else Priority.NORMAL,
                    crime_type=rng.choice(CrimeType.values),
                    first_name=rng.choice(FIRST_NAMES),
                    phone=f"070-{rng.randrange(1000000, 9999999)}",
                    gender=rng.choice(Gender.values),
                    age_group=rng.choice(AgeGroup.values),
                    municipality=rng.choice(MUNICIPALITIES),
                    seeker_role=rng.choice(SeekerRole.values),
                    first_contact_by=extra.choice(FirstContactBy.values),
                )
                deadlines.set_deadline(case)
                # bulk_create skips Case.save, which writes the search columns.
                case.search_key, case.phone_digits = search.keys(
                    first_name=case.first_name, last_name="", email="", phone=case.phone, anonymous=False
                )
                contacted = not is_open or rng.random() < 0.6
                if contacted:
                    # Most first attempts come within the allowance; some are late.
                    delay = timedelta(hours=rng.expovariate(1 / 20))
                    deadlines.stop_clock(case, min(received_at + delay, now))
                if is_open:
                    case.status = Status.ACTIVE if contacted else Status.AWAITING_FIRST_CONTACT
                else:
                    case.status = Status.CLOSED
                    case.closed_at = min(received_at + timedelta(days=rng.randint(7, 120)), now)
                    case.closing_reason = rng.choice(ClosingReason.values)
                batch_cases.append(case)
                batch_meta.append(contacted)
            Case.objects.bulk_create(batch_cases)
            made_cases += len(batch_cases)
            assignments, attempts = [], []
            for case, contacted in zip(batch_cases, batch_meta, strict=True):
                person = rng.choice(volunteers)
                assignments.append(
                    Assignment(
                        case=case,
                        person=person,
                        kind=AssignmentKind.SUPPORT_PERSON,
                        assigned_at=case.received_at,
                        assigned_by=coordinator,
                        ended_at=case.closed_at,
                    )
                )
                if contacted:
                    when = case.first_contact_at
                    for _ in range(max(1, round(rng.gauss(attempts_per_case, 1.5)))):
                        attempts.append(
                            ContactAttempt(
                                case=case,
                                made_at=when,
                                method=rng.choice(AttemptMethod.values),
                                outcome=rng.choice(AttemptOutcome.values),
                                made_by=person,
                                recorded_at=when,
                            )
                        )
                        when = min(when + timedelta(days=rng.uniform(0.5, 10)), now)
            Assignment.objects.bulk_create(assignments)
            ContactAttempt.objects.bulk_create(attempts, batch_size=BATCH)
            marked = Case.circumstances.through
            marked.objects.bulk_create(
                marked(case=case, circumstance_id=marker)
                for case in batch_cases
                for marker in markers
                if extra.random() < 0.1
            )
            made_attempts += len(attempts)
        for year, last in numbers.items():
            CaseNumberSequence.objects.update_or_create(year=year, defaults={"last_value": last})
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner keeps its estimate for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case, cases_assignment, cases_contactattempt")
    return LoadResult(cases=made_cases, attempts=made_attempts, open_cases=len(received) - open_from)
