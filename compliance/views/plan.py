"""The action plan of a year and the registers of what the jour sends the
federation: reports, the annual meeting they follow, the contact details."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jour.access import may_read_governance, may_run_the_jour, may_write_assessment, requires

from .. import selectors, services
from ..forms import ActionItemForm, ActionPlanForm, AnnualMeetingForm, FederationSendingForm, ReportForm
from ..models import ActionItem, ActionPlan, AnnualMeeting, FederationSending, ReportSubmission, Status


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404


def _codes(year: int) -> list[str]:
    newest = selectors.current(year)
    if newest is None:
        return []
    return list(newest.answers.order_by("position").values_list("code", flat=True))


@requires(may_read_governance)
@require_http_methods(["GET", "POST"])
def action_plan(request, year):
    _check_year(year)
    newest = selectors.current(year)
    plan = ActionPlan.objects.filter(year=year).first()
    can_edit = may_write_assessment(request.user)
    plan_form = ActionPlanForm(instance=plan, prefix="plan") if can_edit else None
    item_form = ActionItemForm(year=year, codes=_codes(year), prefix="item") if can_edit else None
    if request.method == "POST":
        if not can_edit:
            return redirect("action_plan", year)
        if "plan-federation_contacted_on" in request.POST:
            plan_form = ActionPlanForm(request.POST, instance=plan or ActionPlan(year=year), prefix="plan")
            if plan_form.is_valid():
                services.save_action_plan(plan=plan_form.instance, by=request.user)
                messages.success(request, _("The action plan is saved."))
                return redirect("action_plan", year)
        else:
            item_form = ActionItemForm(request.POST, year=year, codes=_codes(year), prefix="item")
            if item_form.is_valid():
                services.add_action_item(year=year, item=item_form.instance, by=request.user)
                messages.success(request, _("The item is added to the plan."))
                return redirect("action_plan", year)
    not_met = []
    if newest is not None:
        not_met = list(
            newest.answers.filter(status__in=[Status.NOT_MET, Status.PARTLY])
            .order_by("position")
            .values("code", "title_sv", "title_en", "status")
        )
    items = list(plan.items.select_related("owner")) if plan else []
    today = timezone.localdate()
    for item in items:
        item.overdue = item.done_on is None and item.due_on < today
    return render(
        request,
        "compliance/action_plan.html",
        {
            "year": year,
            "plan": plan,
            "items": items,
            "plan_form": plan_form,
            "item_form": item_form,
            "not_met": not_met,
            "english": (request.LANGUAGE_CODE or "sv").startswith("en"),
        },
    )


@requires(may_write_assessment)
@require_http_methods(["GET", "POST"])
def action_item_edit(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("plan"), pk=pk)
    form = ActionItemForm(request.POST or None, instance=item, year=item.plan.year, codes=_codes(item.plan.year))
    if request.method == "POST" and form.is_valid():
        services.save_action_item(item=form.instance, by=request.user)
        messages.success(request, _("The item is saved."))
        return redirect("action_plan", item.plan.year)
    return render(request, "compliance/action_item_form.html", {"form": form, "item": item})


def _register(request, *, form_class, record, done: str, template: str, rows):
    """A register page: everyone with governance access reads it, the
    coordinator records in it (the form validates, the service writes)."""
    can_record = may_run_the_jour(request.user)
    form = form_class(request.POST or None) if can_record else None
    if request.method == "POST":
        if not can_record:
            return redirect(request.path)
        if form.is_valid():
            record(form.instance, request.user)
            messages.success(request, done)
            return redirect(request.path)
    return render(request, template, {"rows": rows, "form": form})


@requires(may_read_governance)
@require_http_methods(["GET", "POST"])
def report_list(request):
    return _register(
        request,
        form_class=ReportForm,
        record=lambda report, by: services.record_report(report=report, by=by),
        done=_("The report is recorded."),
        template="compliance/report_list.html",
        rows=ReportSubmission.objects.all(),
    )


@requires(may_read_governance)
@require_http_methods(["GET", "POST"])
def annual_meeting_list(request):
    return _register(
        request,
        form_class=AnnualMeetingForm,
        record=lambda meeting, by: services.record_annual_meeting(meeting=meeting, by=by),
        done=_("The annual meeting is recorded."),
        template="compliance/annual_meeting_list.html",
        rows=AnnualMeeting.objects.all(),
    )


@requires(may_read_governance)
@require_http_methods(["GET", "POST"])
def federation_sending_list(request):
    return _register(
        request,
        form_class=FederationSendingForm,
        record=lambda sending, by: services.record_federation_sending(sending=sending, by=by),
        done=_("The sending is recorded."),
        template="compliance/federation_sending_list.html",
        rows=FederationSending.objects.select_related("recorded_by"),
    )
