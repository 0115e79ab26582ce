"""Shared helpers for the partner, referral, risk-check and routine tests."""

import html
from datetime import timedelta

from django.utils import timezone

from cases.models import RiskCheck
from partners.models import CaseRoutine, Partner, Referral, RoutineConfirmation, StepCheck
from tests.cases.factories import assign, make_case, snapshot
from tests.personas import client_for  # noqa: F401 - the tests here import it from this module


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def make_partner(name="Kvinnojouren Exempelstad", *, kind="shelter", active=True, **extra) -> Partner:
    return Partner.objects.create(name=name, kind=kind, active=active, phone="010-100 00 00", **extra)


def alex_case(people, **overrides):
    """An open case assigned to Alex (support person), registered by the coordinator."""
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(hours=1), **overrides)
    assign(case, people.alex, by=people.coordinator)
    case.refresh_from_db()
    return case


def referral_post(partner, *, direction="out", consent=True, consent_way="oral", **overrides) -> dict:
    data = {
        "direction": direction,
        "partner": partner.pk,
        "reason": "shelter",
        "made_on": timezone.localdate().isoformat(),
        "consent_way": consent_way,
        "note": "Gav telefonnumret till jouren.",
    }
    if consent:
        data["consent"] = "on"
    data.update(overrides)
    return data


def risk_post(danger="yes", threats="no", children="unknown", protected="no") -> dict:
    return {
        "immediate_danger": danger,
        "threats_known_person": threats,
        "children_at_risk": children,
        "protected_identity_needed": protected,
    }


def routine_post(*, name, category, steps, goal="", initial=0, deleted=(), extra_empty=1) -> dict:
    """What the routine form posts: the routine, then the 'steps' formset.

    `steps` is a list of titles (or dicts of step fields); indexes in `deleted`
    are posted with DELETE ticked; `extra_empty` blank forms follow, as the page has."""
    data = {"name": name, "crime_type": category or "", "goal": goal}
    forms = []
    for item in steps:
        forms.append({"title": item} if isinstance(item, str) else dict(item))
    forms.extend({} for _ in range(extra_empty))
    data.update(
        {
            "steps-TOTAL_FORMS": str(len(forms)),
            "steps-INITIAL_FORMS": str(initial),
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
        }
    )
    for n, form in enumerate(forms):
        for key in ("title", "partner", "how_to_reach", "tip"):
            data[f"steps-{n}-{key}"] = form.get(key, "")
        if n in deleted:
            data[f"steps-{n}-DELETE"] = "on"
    return data


def case_state(case) -> dict:
    """Everything the partner-feature POSTs could change about a case."""
    return {
        **snapshot(case),
        "referrals": list(Referral.objects.filter(case_id=case.pk).order_by("pk").values()),
        "risk_checks": list(RiskCheck.objects.filter(case_id=case.pk).order_by("pk").values()),
        "routine": list(CaseRoutine.objects.filter(case_id=case.pk).values()),
        "step_checks": list(StepCheck.objects.filter(case_routine__case_id=case.pk).order_by("pk").values()),
    }


def register_state() -> dict:
    """The partner register and routines, for 'nothing changed' checks."""
    from partners.models import Routine, RoutineStep, RoutineVersion

    return {
        "partners": list(Partner.objects.order_by("pk").values()),
        "routines": list(Routine.objects.order_by("pk").values()),
        "versions": list(RoutineVersion.objects.order_by("pk").values()),
        "steps": list(RoutineStep.objects.order_by("pk").values()),
        "confirmations": list(RoutineConfirmation.objects.order_by("pk").values()),
    }
