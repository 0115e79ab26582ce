"""The statistics pages and their exports."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jour.access import (
    may_read_first_contact_figures,
    may_read_statistics,
    may_see_exact_statistics,
    may_use_site,
    requires,
)
from jour.audit import record_bulk_access

from . import display, exports, figures
from .forms import PeriodForm

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
    "pdf": ("application/pdf", exports.to_pdf),
}


def _query(request) -> str:
    return request.GET.urlencode()


@requires(may_use_site)
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
    user = request.user
    if may_read_statistics(user):
        shown = display.show(figures.report(period), protected=not may_see_exact_statistics(user))
        context.update({"shown": shown, "first_contact": shown.first_contact, "minimum": shown.minimum})
        context["can_export"] = True
        return render(request, "stats/report.html", context)
    if may_read_first_contact_figures(user):
        context["first_contact"] = display.show_kpi(figures.first_contact(period), protected=True)
        context["minimum"] = display.minimum()
        return render(request, "stats/report.html", context)
    context["own"] = figures.own_work(user, period)
    return render(request, "stats/own_work.html", context)


@requires(may_read_statistics)
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
