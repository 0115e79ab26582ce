"""The statistics pages and their exports."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jour.access import ALL_ROLES, for_roles
from jour.audit import record_bulk_access
from jour.models import Role

from . import display, exports, figures
from .forms import PeriodForm

EXPORT_ROLES = frozenset({Role.COORDINATOR, Role.BOARD_MEMBER})
FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
    "pdf": ("application/pdf", exports.to_pdf),
}


def _query(request) -> str:
    return request.GET.urlencode()


@for_roles(ALL_ROLES)
@require_GET
def report(request):
    """Coordinators see exact figures; the board sees small numbers hidden;
    auditors the first-contact figures the checklist uses; a support person
    their own work."""
    form = PeriodForm(request.GET or None)
    context = {"form": form, "query": _query(request)}
    if not form.is_valid():
        return render(request, "stats/report.html", context, status=400)
    period = form.period()
    context["period"] = period
    role = request.user.role
    if role == Role.SUPPORT_PERSON:
        context["own"] = figures.own_work(request.user, period)
        return render(request, "stats/own_work.html", context)
    if role == Role.AUDITOR:
        context["first_contact"] = display.show_kpi(figures.first_contact(period), protected=True)
        context["minimum"] = display.minimum()
        return render(request, "stats/report.html", context)
    shown = display.show(figures.report(period), protected=role != Role.COORDINATOR)
    context.update({"shown": shown, "first_contact": shown.first_contact, "minimum": shown.minimum})
    context["can_export"] = role in EXPORT_ROLES
    return render(request, "stats/report.html", context)


@for_roles(EXPORT_ROLES)
@require_GET
def export(request, fmt):
    if fmt not in FORMATS:
        return HttpResponse(status=404)
    form = PeriodForm(request.GET or None)
    if not form.is_valid():
        return HttpResponse(_("Choose a valid period."), status=400, content_type="text/plain; charset=utf-8")
    period = form.period()
    # Every export is protected, the coordinator's too: a file is passed on.
    shown = display.show(figures.report(period), protected=True)
    content_type, write = FORMATS[fmt]
    record_bulk_access(
        model=figures.Case,
        actor=request.user,
        label=f"statistics export ({fmt})",
        changes={"period": ["", f"{period.start.isoformat()}..{period.last_day.isoformat()}"]},
    )
    response = HttpResponse(write(shown), content_type=content_type)
    name = f"statistik-{period.start.isoformat()}-{period.last_day.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
