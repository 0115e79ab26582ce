"""The partner register, routines, and a case's referrals and routine."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import case_page
from cases.case_page import visible_case
from jour.access import may_manage_cases, may_manage_partners, may_use_site, may_work_cases, requires
from jour.forms import apply_validation_error

from . import services
from .forms import ConfirmationForm, PartnerForm, ReferralForm, RoutineForm, StepFormSet
from .models import Partner, Routine, RoutineStep

# --- Partner register ----------------------------------------------------------


@requires(may_use_site)
@require_GET
def partner_list(request):
    partners = Partner.objects.all()
    if request.GET.get("all") != "1":
        partners = partners.filter(active=True)
    return render(
        request, "partners/partner_list.html", {"partners": partners, "manage": may_manage_cases(request.user)}
    )


@requires(may_use_site)
@require_GET
def partner_detail(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    context = {"partner": partner, "manage": may_manage_cases(request.user)}
    return render(request, "partners/partner_detail.html", context)


@requires(may_manage_partners)
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk=None):
    partner = get_object_or_404(Partner, pk=pk) if pk else None
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        partner = services.save_partner(partner=form.instance, by=request.user)
        messages.success(request, _("The partner is saved."))
        return redirect("partner_detail", pk=partner.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner}, status=status)


# --- Routines --------------------------------------------------------------------


@requires(may_use_site)
@require_GET
def routine_list(request):
    routines = Routine.objects.prefetch_related("versions")
    return render(
        request, "partners/routine_list.html", {"routines": routines, "manage": may_manage_cases(request.user)}
    )


@requires(may_use_site)
@require_GET
def routine_detail(request, pk):
    routine = get_object_or_404(Routine, pk=pk)
    version = routine.current()
    context = {
        "routine": routine,
        "version": version,
        "steps": version.steps.select_related("partner") if version else [],
        "confirmations": version.confirmations.all() if version else [],
        "versions": routine.versions.order_by("-number"),
        "manage": may_manage_cases(request.user),
        "confirm_form": ConfirmationForm(),
    }
    return render(request, "partners/routine_detail.html", context)


def _initial_steps(routine):
    version = routine.current() if routine else None
    if version is None:
        return []
    return [
        {"title": s.title, "partner": s.partner_id, "how_to_reach": s.how_to_reach, "tip": s.tip}
        for s in version.steps.all()
    ]


@requires(may_manage_partners)
@require_http_methods(["GET", "POST"])
def routine_edit(request, pk=None):
    """Create a routine, or save an edit of one as its next version."""
    routine = get_object_or_404(Routine, pk=pk) if pk else None
    current = routine.current() if routine else None
    form = RoutineForm(request.POST or None, instance=routine, initial={"goal": current.goal if current else ""})
    steps = StepFormSet(request.POST or None, initial=_initial_steps(routine), prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        kept = [
            {key: f.cleaned_data[key] for key in ("title", "partner", "how_to_reach", "tip")}
            for f in steps.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            saved = services.save_routine(
                routine=form.instance, goal=form.cleaned_data["goal"], steps=kept, by=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The routine is saved as a new version. Cases already under way keep theirs."))
            return redirect("routine_detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "steps": steps, "routine": routine}
    return render(request, "partners/routine_form.html", context, status=status)


@requires(may_manage_partners)
@require_POST
def routine_confirm(request, pk):
    routine = get_object_or_404(Routine, pk=pk)
    version = routine.current()
    form = ConfirmationForm(request.POST)
    if version is None or not form.is_valid():
        messages.error(request, _("Give the organisation, its representative and the date."))
        return redirect("routine_detail", pk=routine.pk)
    services.record_confirmation(confirmation=form.instance, version=version, by=request.user)
    messages.success(request, _("The confirmation is recorded."))
    return redirect("routine_detail", pk=routine.pk)


# --- On a case -----------------------------------------------------------------


def _back_to_case(case):
    return redirect("case_detail", pk=case.pk)


@requires(may_work_cases)
@require_POST
def referral_create(request, pk):
    case = visible_case(request, pk)
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            services.record_referral(case=case, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The referral is recorded."))
            return _back_to_case(case)
    return case_page.render_with_errors(request, case, referral_form=form)


@requires(may_work_cases)
@require_POST
def routine_step(request, pk, step_pk, action):
    case = visible_case(request, pk)
    step = get_object_or_404(RoutineStep, pk=step_pk)
    if action not in ("done", "undo"):
        raise Http404
    try:
        if action == "done":
            services.check_step(case=case, step=step, by=request.user)
        else:
            services.uncheck_step(case=case, step=step, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("case_detail", args=[case.pk]) + "#routine")
