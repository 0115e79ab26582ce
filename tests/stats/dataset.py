"""A hand-built year (2026) of cases, attempts and appointments with known statistics.

Every case is written out below with the fields the statistics group on, and
with what the first-contact KPI must make of it at ``NOW`` (decided by hand
from the working-day rule: 48 working hours, urgent 24). ``expected_report``
counts the same specs in plain Python, independently of the SQL in
stats.figures, so every period and municipality has a known answer.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from calendars import participants
from cases import services
from cases.models import AgeGroup, Channel, Circumstance, CrimeType, Gender, Priority, SeekerRole, YesNoUnknown
from jour.models import Role
from jour.workdays import STOCKHOLM
from stats.figures import Period
from tests.calendars.helpers import plan
from tests.cases.factories import assign, attempt, make_case
from tests.personas import make_user

LUND = "1281"  # Lund (cases/municipalities.py)
ESLOV = "1285"  # Eslöv

# The clock of the KPI: after every deadline below except c20's.
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=STOCKHOLM)

# What the KPI makes of a case at NOW. AT_REGISTRATION: an anonymous call or
# visit, contacted when registered, with no deadline to keep (not decided).
KEPT, MISSED, OPEN, LEFT_OUT, AT_REGISTRATION = "kept", "missed", "open", "left out", "at registration"


def at(year, month, day, hour=10, minute=0) -> datetime:
    """Stockholm wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


@dataclass(frozen=True)
class Spec:
    key: str
    received: datetime
    gender: str
    age: str
    crime: str
    role: str
    channel: str
    reported: str
    kpi: str  # KEPT, MISSED, OPEN (not decided yet), LEFT_OUT (closed before its deadline) or AT_REGISTRATION
    municipality: str = LUND
    priority: str = Priority.NORMAL
    anonymous: bool = False
    closed_at: datetime | None = None
    markers: tuple[str, ...] = ()  # codes of special circumstances
    first_by: str = ""  # who made the first contact, when not what the channel says


W, M, OT, U = Gender.WOMAN, Gender.MAN, Gender.OTHER, Gender.UNKNOWN
N, URG = Priority.NORMAL, Priority.URGENT
Y, NO, UNK = YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN
cr = CrimeType
CLOSE, HONOUR, HATE, SCHOOL = (
    Circumstance.CLOSE_RELATIONSHIP,
    Circumstance.HONOUR,
    Circumstance.HATE,
    Circumstance.SCHOOL,
)
ag = AgeGroup
ro = SeekerRole
ch = Channel

# fmt: off
SPECS = [
    # 1 January is a holiday; 00:30 Stockholm is still 2025 in UTC.
    Spec("c00", at(2026, 1, 1, 0, 30), W, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.PHONE, UNK, KEPT),
    Spec("c01", at(2026, 1, 12), W, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.PHONE, Y, KEPT, markers=(CLOSE,)),
    Spec("c02", at(2026, 1, 20), W, ag.YOUNG_ADULT, cr.ASSAULT, ro.VICTIM, ch.POLICE_REFERRAL, Y, KEPT,
         priority=URG, markers=(CLOSE,)),
    Spec("c03", at(2026, 2, 3), W, ag.ADULT, cr.ASSAULT, ro.RELATIVE, ch.EMAIL, NO, MISSED, markers=(CLOSE,)),
    Spec("c04", at(2026, 2, 17), M, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.PHONE, Y, KEPT),
    Spec("c05", at(2026, 3, 10), M, ag.YOUNG_ADULT, cr.ASSAULT, ro.WITNESS, ch.WALK_IN, UNK, KEPT, markers=(HATE,)),
    # The last half hour of Q1 in Stockholm (21:30 UTC) ...
    Spec("c06", at(2026, 3, 31, 23, 30), W, ag.SENIOR, cr.FRAUD, ro.VICTIM, ch.PHONE, NO, KEPT),
    # ... and the first half hour of Q2 (still 31 March in UTC).
    Spec("c07", at(2026, 4, 1, 0, 30), M, ag.ADULT, cr.FRAUD, ro.VICTIM, ch.EMAIL, NO, KEPT),
    Spec("c08", at(2026, 4, 14), W, ag.YOUTH, cr.SEXUAL, ro.VICTIM, ch.OTHER_ORGANISATION, Y, MISSED, priority=URG,
         markers=(SCHOOL,)),
    Spec("c09", at(2026, 5, 5), W, ag.ADULT, cr.UNLAWFUL_THREATS, ro.VICTIM, ch.PHONE, UNK, MISSED),  # never tried
    Spec("c10", at(2026, 5, 19), OT, ag.YOUNG_ADULT, cr.HARASSMENT, ro.VICTIM, ch.EMAIL, NO, KEPT),
    Spec("c11", at(2026, 6, 2), M, ag.SENIOR, cr.THEFT, ro.VICTIM, ch.POLICE_REFERRAL, Y, KEPT),
    Spec("c12", at(2026, 6, 16), W, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.POLICE_REFERRAL, Y, KEPT,
         priority=URG, markers=(CLOSE,)),
    # A call whose first contact nobody could say: recorded as "not known", not what the channel suggests.
    Spec("c13", at(2026, 7, 7), U, ag.UNKNOWN, cr.OTHER, ro.WITNESS, ch.PHONE, UNK, MISSED, first_by="unknown"),
    # Two markers: counted under each.
    Spec("c14", at(2026, 8, 11), W, ag.CHILD, cr.ASSAULT, ro.RELATIVE, ch.OTHER_ORGANISATION, NO, KEPT,
         markers=(CLOSE, SCHOOL)),
    # An anonymous walk-in: the visit itself is the first contact, outside the KPI's share.
    Spec("c15", at(2026, 8, 25), M, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.WALK_IN, UNK, AT_REGISTRATION,
         anonymous=True),
    Spec("c16", at(2026, 9, 8), W, ag.ADULT, cr.UNLAWFUL_THREATS, ro.VICTIM, ch.PHONE, Y, KEPT, priority=URG,
         markers=(HONOUR,)),
    Spec("c17", at(2026, 9, 22), W, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.POLICE_REFERRAL, Y, KEPT, markers=(CLOSE,)),
    Spec("c18", at(2026, 10, 6), M, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.PHONE, Y, MISSED),
    # Urgent, Thursday 10:00, due Friday 10:00, never tried: missed at NOW.
    Spec("c19", at(2026, 10, 15), W, ag.YOUNG_ADULT, cr.UNLAWFUL_THREATS, ro.WITNESS, ch.EMAIL, UNK, MISSED,
         priority=URG),
    # Monday 10:00, due Wednesday 21 October 10:00, after NOW: not decided.
    Spec("c20", at(2026, 10, 19), W, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.PHONE, NO, OPEN, markers=(CLOSE,)),
    # Registered by mistake and closed two hours later: no KPI.
    Spec("c21", at(2026, 2, 24), W, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.PHONE, Y, LEFT_OUT,
         closed_at=at(2026, 2, 24, 12)),
    # Another municipality.
    Spec("n01", at(2026, 1, 27), M, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.POLICE_REFERRAL, Y, KEPT, municipality=ESLOV),
    Spec("n02", at(2026, 3, 3), W, ag.ADULT, cr.ASSAULT, ro.VICTIM, ch.PHONE, Y, KEPT,
         municipality=ESLOV, priority=URG, markers=(CLOSE,)),
    Spec("n03", at(2026, 5, 26), W, ag.YOUTH, cr.SEXUAL, ro.VICTIM, ch.OTHER_ORGANISATION, NO, MISSED,
         municipality=ESLOV),
    Spec("n04", at(2026, 9, 15), M, ag.YOUNG_ADULT, cr.HARASSMENT, ro.WITNESS, ch.PHONE, UNK, KEPT, municipality=ESLOV),
    # Outside 2026: 23:30 on New Year's Eve in Stockholm, and the year before.
    Spec("x01", at(2025, 12, 31, 23, 30), W, ag.ADULT, cr.UNLAWFUL_THREATS, ro.VICTIM, ch.PHONE, NO, KEPT),
    Spec("x02", at(2025, 6, 10), M, ag.SENIOR, cr.THEFT, ro.VICTIM, ch.PHONE, Y, KEPT),
]
# fmt: on
BY_KEY = {spec.key: spec for spec in SPECS}


def kept(key: str) -> datetime:
    """A first attempt two hours after the case reached the jour."""
    return BY_KEY[key].received + timedelta(hours=2)


def late(key: str) -> datetime:
    """A first attempt eight days later: past any deadline."""
    return BY_KEY[key].received + timedelta(days=8)


# (case, made_at, made by): persona names, or "vera" (a third volunteer).
ATTEMPTS = [
    ("c00", at(2026, 1, 2), "coordinator"),
    ("c01", kept("c01"), "alex"),
    ("c01", at(2026, 1, 13), "alex"),  # a second attempt
    ("c02", kept("c02"), "coordinator"),
    ("c03", late("c03"), "coordinator"),
    ("c04", kept("c04"), "alex"),
    ("c05", kept("c05"), "coordinator"),
    ("c06", at(2026, 4, 1, 10), "coordinator"),  # in Q2, for a case of Q1
    ("c07", kept("c07"), "coordinator"),
    ("c08", late("c08"), "alex"),
    ("c10", kept("c10"), "coordinator"),
    ("c11", kept("c11"), "coordinator"),
    ("c12", kept("c12"), "sam"),
    ("c13", late("c13"), "coordinator"),
    ("c14", kept("c14"), "coordinator"),
    ("c16", kept("c16"), "coordinator"),
    ("c16", at(2026, 9, 9), "vera"),
    ("c17", kept("c17"), "coordinator"),
    ("c18", late("c18"), "coordinator"),
    ("n01", kept("n01"), "sam"),
    ("n02", kept("n02"), "coordinator"),
    ("n03", late("n03"), "coordinator"),
    ("n04", kept("n04"), "coordinator"),
    ("x01", at(2026, 1, 2, 9), "coordinator"),  # a case of 2025, tried in 2026
    ("x02", kept("x02"), "coordinator"),
]


@dataclass(frozen=True)
class Planned:
    kind: str
    case: str | None
    day: date
    hour: int
    minutes: int
    participants: tuple[str, ...] = field(default=())


APPOINTMENTS = [
    Planned("meeting", "c01", date(2026, 1, 14), 10, 60, ("alex",)),
    Planned("meeting", "c04", date(2026, 2, 20), 13, 90, ("alex", "sam")),
    Planned("court", "c05", date(2026, 4, 20), 9, 180, ("sam",)),
    Planned("court", None, date(2026, 5, 12), 9, 120, ("alex",)),  # a hearing without a case
    Planned("meeting", "n01", date(2026, 2, 2), 10, 60, ("sam", "coordinator")),
    Planned("meeting", "c12", date(2026, 6, 20), 10, 30, ("coordinator",)),  # no volunteer went
    Planned("group_sup", None, date(2026, 3, 2), 18, 120, ("alex", "sam", "ulf")),  # not support to a seeker
    Planned("court", None, date(2025, 12, 31), 22, 120, ("alex",)),  # 2025 in Stockholm
    Planned("court", None, date(2026, 1, 1), 0, 60, ("sam",)),  # 2026 in Stockholm, 2025 in UTC
]

# Actions recorded on a case (case, done on, by, kind): counted by the day they were done.
ACTIONS = [
    ("c01", date(2026, 1, 20), "alex", "accompanied_police"),
    ("c04", date(2026, 3, 5), "alex", "compensation_help"),
    ("c04", date(2026, 4, 1), "alex", "legal_information"),  # the first day of Q2
    ("n01", date(2026, 2, 10), "sam", "practical_help"),
    ("x01", date(2026, 1, 3), "coordinator", "other"),  # a case of 2025, helped in 2026
    ("x02", date(2025, 12, 30), "coordinator", "accompanied_other"),  # 2025
]

# Who is a volunteer (support person) among the people above.
VOLUNTEERS = {"alex", "sam", "vera", "ulf"}
# Assignments (all open): who works on which case.
ASSIGNMENTS = [("c01", "alex"), ("c04", "alex"), ("c08", "alex"), ("c12", "sam"), ("n01", "sam"), ("c16", "vera")]


@dataclass
class World:
    people: object
    users: dict
    cases: dict


def build(people) -> World:
    """Put the specs into the database through the services, as the jour would."""
    users = {
        "coordinator": people.coordinator,
        "alex": people.alex,
        "sam": people.sam,
        "vera": make_user("vera.volunteer@jour.test", "Vera Volunteer", Role.SUPPORT_PERSON),
        "ulf": make_user("ulf.volunteer@jour.test", "Ulf Volunteer", Role.SUPPORT_PERSON),
    }
    by = people.coordinator
    markers = {marker.code: marker for marker in Circumstance.objects.exclude(code="")}
    cases = {}
    for spec in SPECS:
        personal = {"first_name": "", "last_name": "", "phone": "", "email": "", "notes": ""} if spec.anonymous else {}
        cases[spec.key] = make_case(
            by,
            now=spec.received + timedelta(minutes=5),
            received_at=spec.received,
            gender=spec.gender,
            age_group=spec.age,
            crime_type=spec.crime,
            circumstances=[markers[code] for code in spec.markers],
            **({"first_contact_by": spec.first_by} if spec.first_by else {}),
            seeker_role=spec.role,
            channel=spec.channel,
            reported_to_police=spec.reported,
            municipality=spec.municipality,
            priority=spec.priority,
            anonymous=spec.anonymous,
            **personal,
        )
    for key, person in ASSIGNMENTS:
        assign(cases[key], users[person], by=by)
    for key, made_at, person in ATTEMPTS:
        attempt(cases[key], made_at, by=users[person], now=made_at + timedelta(minutes=1))
    for spec in SPECS:
        if spec.closed_at:
            services.close_case(case=cases[spec.key], reason="other", by=by, now=spec.closed_at)
    for planned in APPOINTMENTS:
        case = cases[planned.case] if planned.case else None
        going = [users[name] for name in planned.participants]
        outsiders = participants.refused(case, going)
        appointment = plan(
            planned.kind,
            by=by,
            day=planned.day,
            hour=planned.hour,
            minutes=planned.minutes,
            case=case,
            participants=[person for person in going if person not in outsiders] or [by],
        )
        # A volunteer who went while on the case, and has left it since (the dataset keeps no
        # assignment history): today's planning form would refuse them, the year's record has them.
        appointment.participants.set(going)
    for key, done_on, person, kind in ACTIONS:
        services.record_action(
            case=cases[key],
            done_on=done_on,
            kind=kind,
            by=users[person],
            now=at(done_on.year, done_on.month, done_on.day),
        )
    for case in cases.values():
        case.refresh_from_db()
    return World(people=people, users=users, cases=cases)


def _marker(rows: dict) -> list[list[int]]:
    """A marker's table written sparsely: every crime type in order, then "none"."""
    return [rows.get(value, [0, 0, 0, 0]) for value in [*CrimeType.values, "none"]]


# The hand count of 2026, all municipalities. Columns: woman, man, other, not known.
HAND_COUNT = {
    "seekers": [[16, 8, 1, 1]],
    "crime_type": [
        [10, 5, 0, 0],  # assault
        [3, 0, 0, 0],  # unlawful threats
        [0, 1, 1, 0],  # harassment
        [0, 0, 0, 0],  # stalking
        [0, 0, 0, 0],  # gross violation of integrity
        [2, 0, 0, 0],  # sexual offence
        [0, 0, 0, 0],  # murder, manslaughter or attempt
        [0, 0, 0, 0],  # robbery
        [0, 1, 0, 0],  # theft
        [0, 0, 0, 0],  # burglary
        [1, 1, 0, 0],  # fraud
        [0, 0, 0, 0],  # criminal damage
        [0, 0, 0, 0],  # trafficking or procuring
        [0, 0, 0, 0],  # traffic offence
        [0, 0, 0, 1],  # other crime
        [0, 0, 0, 0],  # not known
    ],
    "age_group": [
        [1, 0, 0, 0],  # 0-11
        [2, 0, 0, 0],  # 12-17
        [2, 2, 1, 0],  # 18-25
        [10, 5, 0, 0],  # 26-64
        [1, 1, 0, 0],  # 65+
        [0, 0, 0, 1],  # not known
    ],
    "seeker_role": [
        [13, 6, 1, 0],  # victim
        [1, 2, 0, 1],  # witness
        [2, 0, 0, 0],  # relative
    ],
    "channel": [
        [8, 3, 0, 1],  # phone
        [2, 1, 1, 0],  # e-mail
        [3, 2, 0, 0],  # police referral
        [0, 2, 0, 0],  # walk-in
        [3, 0, 0, 0],  # other organisation
    ],
    "reported_to_police": [
        [8, 4, 0, 0],  # yes
        [5, 1, 1, 0],  # no
        [3, 3, 0, 1],  # not known
    ],
    "first_contact_by": [
        [3, 2, 0, 0],  # the police (the referrals)
        [10, 6, 1, 0],  # the seeker
        [3, 0, 0, 0],  # someone else (another organisation)
        [0, 0, 0, 1],  # not known (c13, recorded so)
    ],
    # Each special circumstance: the crime types of the cases with it, then those without.
    "marker_close_relationship": _marker({"assault": [8, 0, 0, 0], "none": [8, 8, 1, 1]}),
    "marker_honour": _marker({"unlawful_threats": [1, 0, 0, 0], "none": [15, 8, 1, 1]}),
    "marker_hate": _marker({"assault": [0, 1, 0, 0], "none": [16, 7, 1, 1]}),
    "marker_school": _marker({"assault": [1, 0, 0, 0], "sexual": [1, 0, 0, 0], "none": [14, 8, 1, 1]}),
    "support": [
        [15, 7, 1, 1],  # contact attempts made in 2026 (one for a case of 2025)
        [2, 2, 0, 0],  # meetings
        [0, 1, 0, 2],  # hearings: two without a case count as "not known"
        [0, 0, 0, 0],  # referrals to partners (tests/stats/test_referrals.py has some)
        [2, 3, 0, 0],  # other actions: c01 and x01's (x01 a case of 2025); c04's two and n01's
    ],
}


# -- The same figures counted in Python from the specs -------------------------------


def _in(period: Period, moment: datetime) -> bool:
    return period.start_at <= moment < period.end_at


def _first_by(spec: Spec) -> str:
    return spec.first_by or {ch.POLICE_REFERRAL: "police", ch.OTHER_ORGANISATION: "other"}.get(spec.channel, "seeker")


def specs_in(period: Period) -> list[Spec]:
    return [
        spec
        for spec in SPECS
        if _in(period, spec.received) and (not period.municipality or spec.municipality == period.municipality)
    ]


def _count(pairs) -> dict:
    counts = {}
    for pair in pairs:
        counts[pair] = counts.get(pair, 0) + 1
    return counts


GROUPED_ON = {
    "crime_type": lambda s: s.crime,
    "age_group": lambda s: s.age,
    "seeker_role": lambda s: s.role,
    "channel": lambda s: s.channel,
    "reported_to_police": lambda s: s.reported,
    "first_contact_by": _first_by,
}


def _marked(code: str):
    """A marker's table: the crime type of the cases with it, "none" for the others."""
    return lambda s: s.crime if code in s.markers else "none"


MARKERS = (CLOSE, HONOUR, HATE, SCHOOL)


def expected_counts(period: Period) -> dict:
    """{table key: {(row, gender): n}} with zero cells left out, as Table.counts has them."""
    chosen = specs_in(period)
    result = {"seekers": _count(("all", s.gender) for s in chosen)}
    for key, value in GROUPED_ON.items():
        result[key] = _count((value(s), s.gender) for s in chosen)
    for code in MARKERS:
        result[f"marker_{code}"] = _count((_marked(code)(s), s.gender) for s in chosen)
    support = []
    for key, made_at, _person in ATTEMPTS:
        spec = BY_KEY[key]
        if _in(period, made_at) and (not period.municipality or spec.municipality == period.municipality):
            support.append(("attempts", spec.gender))
    for planned in APPOINTMENTS:
        if planned.kind not in ("meeting", "court"):
            continue
        spec = BY_KEY[planned.case] if planned.case else None
        if period.municipality and (spec is None or spec.municipality != period.municipality):
            continue
        if _in(period, at(planned.day.year, planned.day.month, planned.day.day, planned.hour)):
            support.append((planned.kind, spec.gender if spec else U))
    for key, done_on, _person, _kind in ACTIONS:
        spec = BY_KEY[key]
        if period.start <= done_on < period.end and (
            not period.municipality or spec.municipality == period.municipality
        ):
            support.append(("actions", spec.gender))
    result["support"] = _count(support)
    return result


def expected_kpi(period: Period) -> dict:
    """{priority: (decided, kept)}, "all" included."""
    chosen = specs_in(period)
    result = {}
    for priority in (N, URG):
        mine = [s for s in chosen if s.priority == priority]
        result[priority] = (sum(s.kpi in (KEPT, MISSED) for s in mine), sum(s.kpi == KEPT for s in mine))
    result["all"] = tuple(sum(values) for values in zip(*result.values(), strict=True))
    return result


def expected_volunteering(period: Period) -> tuple[int, float]:
    active, minutes = set(), 0
    for key, made_at, person in ATTEMPTS:
        spec = BY_KEY[key]
        in_place = not period.municipality or spec.municipality == period.municipality
        if person in VOLUNTEERS and _in(period, made_at) and in_place:
            active.add(person)
    for planned in APPOINTMENTS:
        if planned.kind not in ("meeting", "court"):
            continue
        if not _in(period, at(planned.day.year, planned.day.month, planned.day.day, planned.hour)):
            continue
        spec = BY_KEY[planned.case] if planned.case else None
        if period.municipality and (spec is None or spec.municipality != period.municipality):
            continue
        for person in planned.participants:
            if person in VOLUNTEERS:
                active.add(person)
                minutes += planned.minutes
    return len(active), round(minutes / 60, 1)
