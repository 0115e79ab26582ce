"""The partners' part of the seeker's data (cases/seeker_data.py): the case's
referrals, and the routine steps ticked for it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.seeker_data import WHO_WHEN, Record, describe, item, when

from .models import StepCheck

REFERRAL_FIELDS = ("direction", "partner", "reason", "made_on", "consent", "consent_way", "note", "recorded_by")


def referrals(case) -> list[Record]:
    rows = case.referrals.select_related("partner", "recorded_by").order_by("made_on", "pk")
    return [describe(row, *REFERRAL_FIELDS, labels=WHO_WHEN) for row in rows]


def routine_steps(case) -> list[Record]:
    checks = (
        StepCheck.objects.filter(case_routine__case=case)
        .select_related("step", "done_by", "case_routine__version__routine")
        .order_by("step__position", "pk")
    )
    return [
        [
            item("routine", _("routine"), check.case_routine.version.routine.name),
            item("step", check.step._meta.get_field("title").verbose_name, check.step.title),
            item("done_by", _("ticked by"), check.done_by.name),
            item("done_at", _("ticked"), *when(check.done_at)),
        ]
        for check in checks
    ]


SECTIONS = (
    {"key": "referrals", "title": gettext_lazy("Referrals"), "records": referrals, "order": 50},
    {"key": "routine_steps", "title": gettext_lazy("Routine steps done"), "records": routine_steps, "order": 60},
)
