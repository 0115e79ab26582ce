"""The statistics pages and their exports."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
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

from . import display, exports, federation, figures, selection, witness, year_cache
from .forms import PeriodForm, YearForm

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
    "pdf": ("application/pdf", exports.to_pdf),
}
TEXT = "text/plain; charset=utf-8"


def _query(request) -> str:
    return request.GET.urlencode()


def _protected(form: PeriodForm) -> tuple[selection.Protected, display.ShownReport | None]:
    """The selection as protected readers get it: withheld, or shown with its volunteers."""
    result = selection.protected(form.selection())
    if result.withheld:
        return result, None
    result.report.volunteering = year_cache.volunteering(form.period())
    return result, display.show_protected(result)


def _witness(form: PeriodForm, user) -> dict:
    """Witness support at court, for those who read the whole report: per calendar
    year only, for all municipalities (it has none); a note for any other selection."""
    if not may_read_statistics(user):
        return {}
    data = form.cleaned_data
    if data["kind"] != "year" or data.get("municipality"):
        return {"witness_note": True}
    if not may_see_exact_statistics(user):
        return {"witness": witness.report(data["year"], protected=True)}
    # What the board gets of the year, to say so when it is nothing.
    withheld = witness.report(data["year"], protected=True).withheld
    return {"witness": witness.report(data["year"], protected=False), "witness_withheld_for_others": withheld}


@requires(may_use_site)
@require_GET
def report(request):
    """Coordinators see exact figures; the board sees small numbers hidden (or
    the whole selection withheld); auditors the first-contact figures the
    checklist uses, protected the same way; a support person their own work."""
    form = PeriodForm(request.GET or None)
    context = {"form": form, "query": _query(request)}
    if not form.is_valid():
        return render(request, "stats/report.html", context, status=400)
    period = form.period()
    context.update({"period": period, "minimum": display.minimum()})
    user = request.user
    context.update(_witness(form, user))
    if may_see_exact_statistics(user):
        shown = display.show(selection.exact(form.selection()), protected=False)
        # What the board and every download get of this selection: all of it, or nothing.
        withheld = selection.protected(form.selection()).withheld
        context.update({"shown": shown, "first_contact": shown.first_contact, "withheld_for_others": withheld})
        context["cross"] = federation.crime_types_by_marker(shown)
        context["can_export"] = not withheld
        return render(request, "stats/report.html", context)
    if may_read_statistics(user) or may_read_first_contact_figures(user):
        protected, shown = _protected(form)
        if protected.withheld:
            context["withheld"] = protected.withheld
            return render(request, "stats/report.html", context)
        context["first_contact"] = shown.first_contact
        if may_read_statistics(user):
            context.update({"shown": shown, "can_export": True, "cross": federation.crime_types_by_marker(shown)})
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
        messages = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(f"{_('Choose a valid period.')} {messages}", status=400, content_type=TEXT)
    period = form.period()
    # Every export is protected, the coordinator's too: a file is passed on.
    protected, shown = _protected(form)
    if protected.withheld:
        # 409: the request is valid, but this selection cannot leave without pointing at someone.
        return HttpResponse(protected.withheld, status=409, content_type=TEXT)
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


def _year_form(request) -> YearForm:
    return YearForm(request.GET or {"year": timezone.localdate().year})


@requires(may_read_statistics)
@require_GET
def federation_report(request):
    """The year's statistics in the federation's terms, in one page: exact for
    coordinators, protected for the board; every download protected."""
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "stats/federation.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    report = federation.build(year, protected=not may_see_exact_statistics(request.user))
    # Downloads are protected whoever asks: none when the board's version is withheld.
    withheld = report.withheld if report.protected else selection.protected(selection.Selection(year)).withheld
    context = {"form": form, "report": report, "year": year, "can_export": not withheld}
    if not report.protected:
        context["withheld_for_others"] = withheld
    return render(request, "stats/federation.html", context)


@requires(may_read_statistics)
@require_GET
def federation_export(request, fmt):
    if fmt not in FORMATS:
        return HttpResponse(status=404)
    form = _year_form(request)
    if not form.is_valid():
        messages = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(messages, status=400, content_type=TEXT)
    year = form.cleaned_data["year"]
    report = federation.build(year, protected=True)  # a file is passed on: protected, whoever asks
    if report.withheld:
        return HttpResponse(report.withheld, status=409, content_type=TEXT)
    record_bulk_access(
        model=figures.Case,
        actor=request.user,
        label=f"federation statistics export ({fmt})",
        changes={"year": ["", str(year)]},
    )
    content_type, _write = FORMATS[fmt]
    response = HttpResponse(exports.FEDERATION[fmt](report), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="forbundsstatistik-{year}.{fmt}"'
    return response
