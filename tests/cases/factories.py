"""Building cases for tests: through the services, with distinctive seeded personal data.

The seeker's name, phone, e-mail and notes (the first journal entry) are unusual enough that finding any of
them in a page is a leak, never a coincidence.
"""

from datetime import datetime

from django.utils import timezone

from cases import journal, services
from cases.models import Assignment, Case, ContactAttempt, PaperRecord, RetentionHold

SEEKER = {
    "first_name": "Ingegerd",
    "last_name": "Fjällbrinkström",
    "phone": "070-555 01 23",
    "email": "ingegerd.fjallbrink@seeker.example",
    "notes": "Seedad anteckning: nyckel under mattan på Klövervägen 7",
}
# What must never appear on a page a person may not see the case on.
SEEKER_SECRETS = [SEEKER["first_name"], SEEKER["last_name"], SEEKER["phone"], SEEKER["email"]]

CASE_DEFAULTS = {
    "channel": "phone",
    "priority": "normal",
    "crime_type": "assault",
    "reported_to_police": "unknown",
    **SEEKER,
    "preferred_contact": "phone",
    "safe_to_leave_message": "no",
    "protected_identity": False,
    "gender": "woman",
    "age_group": "26-64",
    "municipality": "1281",  # Lund (cases/municipalities.py)
    "seeker_role": "victim",
    "police_referral_form": "none",
}


def make_case(by, *, now: datetime | None = None, **overrides) -> Case:
    """Register a case as `by` (a coordinator). received_at defaults to `now`.
    `notes`, if any, becomes the first journal entry, written by `by`."""
    now = now or timezone.now()
    data = {**CASE_DEFAULTS, "received_at": now, **overrides}
    notes = data.pop("notes", "")
    case = services.register_case(data=data, by=by, now=now)
    if notes and not case.anonymous:
        journal.write(case=case, text=notes, by=by, now=now)
    return case


def assign(case: Case, person, *, by, kind: str = "support") -> Assignment:
    return services.assign(case=case, person=person, kind=kind, by=by)


def attempt(case: Case, made_at: datetime, *, by, outcome: str = "no_answer", now: datetime | None = None):
    return services.log_attempt(
        case=case, made_at=made_at, method="phone", outcome=outcome, by=by, now=now or timezone.now()
    )


def local_input(dt: datetime) -> str:
    """A datetime as a datetime-local form field sends it (Stockholm time, minutes)."""
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def case_form_data(**overrides) -> dict:
    """What the coordinator's case form posts, as strings."""
    # The notes are not on the form: they are the journal's first entry (make_case).
    data = {key: value for key, value in CASE_DEFAULTS.items() if key not in ("protected_identity", "notes")}
    data.update(overrides)
    for key, value in list(data.items()):
        if isinstance(value, datetime):
            data[key] = local_input(value)
    return data


def snapshot(case: Case) -> dict:
    """Everything a POST could change about a case: its row, attempts and assignments."""
    return {
        "case": Case.objects.filter(pk=case.pk).values().get(),
        "attempts": list(ContactAttempt.objects.filter(case_id=case.pk).order_by("pk").values()),
        "assignments": list(Assignment.objects.filter(case_id=case.pk).order_by("pk").values()),
    }


def full_snapshot(case: Case) -> dict:
    """snapshot() with the case's paper records and retention holds."""
    return {
        **snapshot(case),
        "paper": list(PaperRecord.objects.filter(case_id=case.pk).order_by("pk").values()),
        "holds": list(RetentionHold.objects.filter(case_id=case.pk).order_by("pk").values()),
    }
