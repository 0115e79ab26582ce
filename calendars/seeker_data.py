"""The calendar's part of the seeker's data (cases/seeker_data.py): every
appointment of the case, cancelled ones included, and the witness support at
court linked to it."""

from django.utils.translation import gettext_lazy

from cases.seeker_data import WHO_WHEN, Record, describe

from .models import Appointment, WitnessSupport

FIELDS = (
    "kind",
    "starts_at",
    "ends_at",
    "title",
    "venue",
    "place",
    "room",
    "participants",
    "cancelled_at",
    "cancel_reason",
)


def appointments(case) -> list[Record]:
    rows = (
        Appointment.objects.filter(case=case)
        .select_related("venue")
        .prefetch_related("participants")
        .order_by("starts_at", "pk")
    )
    return [describe(row, *FIELDS, labels=WHO_WHEN) for row in rows]


SECTION = {"key": "appointments", "title": gettext_lazy("Appointments"), "records": appointments, "order": 40}


def witness_support(case) -> list[Record]:
    rows = (
        WitnessSupport.objects.filter(case=case).select_related("court", "supported_by").order_by("supported_on", "pk")
    )
    fields = ("supported_on", "court", "role", "gender", "age_group", "supported_by", "recorded_at")
    return [describe(row, *fields, labels=WHO_WHEN) for row in rows]


WITNESS_SECTION = {
    "key": "witness_support",
    "title": gettext_lazy("Witness support at court"),
    "records": witness_support,
    "order": 45,
}
