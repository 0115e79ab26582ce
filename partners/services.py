"""Referrals and case routines: the rules, for views and tests alike."""

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from cases.models import Case

from .models import (
    CaseRoutine,
    Direction,
    Partner,
    Referral,
    Routine,
    RoutineConfirmation,
    RoutineStep,
    RoutineVersion,
    StepCheck,
)


def _refuse_if_anonymised(case: Case) -> None:
    if case.anonymised_at:
        raise ValidationError(_("The personal data of this case has been removed; nothing new can be added."))


# --- Referrals ---------------------------------------------------------------


def record_referral(*, case: Case, data: dict, by) -> Referral:
    """A referral out needs the seeker's consent, and how it was given."""
    _refuse_if_anonymised(case)
    if data["direction"] == Direction.OUT and not (data.get("consent") and data.get("consent_way")):
        raise ValidationError(
            {"consent": _("A referral to a partner needs the seeker's consent: record that and how it was given.")}
        )
    with transaction.atomic(), set_actor(by):
        return Referral.objects.create(case=case, recorded_by=by, **data)


# --- Routines ------------------------------------------------------------------


def save_partner(*, partner: Partner, by) -> Partner:
    """Save a partner a form has filled in."""
    with transaction.atomic(), set_actor(by):
        partner.save()
    return partner


def save_routine(*, routine: Routine, goal: str, steps: list[dict], by) -> Routine:
    """Create a routine, or save an edit of one, as its next version. A refused
    version leaves nothing behind, not even a new routine."""
    new = routine.pk is None
    try:
        with transaction.atomic(), set_actor(by):
            routine.save()
            new_version(routine=routine, goal=goal, steps=steps, by=by)
    except ValidationError:
        if new:
            routine.pk = None
        raise
    return routine


def record_confirmation(*, confirmation: RoutineConfirmation, version: RoutineVersion, by) -> RoutineConfirmation:
    """A partner organisation confirmed a version of the routine (who, when)."""
    confirmation.version, confirmation.recorded_by = version, by
    with transaction.atomic(), set_actor(by):
        confirmation.save()
    return confirmation


def new_version(*, routine: Routine, goal: str, steps: list[dict], by) -> RoutineVersion:
    """Save an edit as a new version; cases already under an older one keep it."""
    if not steps:
        raise ValidationError(_("A routine needs at least one step."))
    with transaction.atomic(), set_actor(by):
        Routine.objects.select_for_update().get(pk=routine.pk)
        last = routine.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = RoutineVersion.objects.create(routine=routine, number=last + 1, goal=goal, created_by=by)
        RoutineStep.objects.bulk_create(
            RoutineStep(version=version, position=n, **step) for n, step in enumerate(steps, start=1)
        )
    return version


def routine_of(case: Case) -> tuple[RoutineVersion | None, CaseRoutine | None]:
    """The version a case follows: the one it started with, or else the current
    version of the routine for one of its markers (the more particular, in the
    markers' order) or for its crime type (not started yet)."""
    started = CaseRoutine.objects.select_related("version__routine").filter(case=case).first()
    if started is not None:
        return started.version, started
    # The case's markers as a subquery by its id: joining them in scanned every case's markers.
    routines = Routine.objects.filter(Q(circumstance__in=case.circumstances.all()) | Q(crime_type=case.crime_type))
    routine = routines.order_by(F("circumstance__position").asc(nulls_last=True), "circumstance", "pk").first()
    return (routine.current() if routine else None), None


def check_step(*, case: Case, step: RoutineStep, by) -> StepCheck:
    """Tick a step. The first tick pins the case to the step's version."""
    _refuse_if_anonymised(case)
    with transaction.atomic(), set_actor(by):
        Case.objects.select_for_update().get(pk=case.pk)
        version, started = routine_of(case)
        if version is None or step.version_id != version.pk:
            raise ValidationError(_("That step is not part of this case's routine."))
        if started is None:
            started = CaseRoutine.objects.create(case=case, version=version)
        try:
            with transaction.atomic():
                return StepCheck.objects.create(case_routine=started, step=step, done_by=by)
        except IntegrityError:
            return StepCheck.objects.get(case_routine=started, step=step)


def uncheck_step(*, case: Case, step: RoutineStep, by) -> None:
    with transaction.atomic(), set_actor(by):
        for check in StepCheck.objects.filter(case_routine__case=case, step=step):
            check.delete()
