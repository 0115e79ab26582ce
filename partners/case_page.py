"""The partners' sections of the case page (cases/case_page.py): the case's
referrals and the routine of its crime category."""

from . import services
from .forms import ReferralForm


def case_sections(request, case, forms) -> dict:
    """The case page's referrals and routine (cases.case_page)."""
    version, started = services.routine_of(case)
    done = {}
    if started is not None:
        done = {c.step_id: c for c in started.checks.select_related("done_by")}
    return {
        "referrals": case.referrals.select_related("partner", "recorded_by"),
        "referral_form": forms.get("referral_form") or ReferralForm(),
        "routine_version": version,
        "routine_started": started,
        "routine_steps": [(step, done.get(step.pk)) for step in version.steps.select_related("partner")]
        if version
        else [],
    }
