"""Witness support at the courts: the year's records, recording one person
supported at a time (quickly the next one at the same hearing), correcting
and deleting. Coordinators see every record, a support person their own
(``WitnessSupport.objects.visible_to``); anything else is 404."""

import contextlib
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Case
from jour.access import may_record_witness_support, may_see_all_witness_support, requires
from jour.audit import record_bulk_access
from jour.forms import apply_validation_error
from jour.ids import parse_id
from jour.workdays import STOCKHOLM

from .. import selectors, services
from ..forms import WitnessDeleteForm, WitnessSupportForm
from ..models import Place, PlaceKind, WitnessSupport

# The service's names for what the form calls otherwise; the hearing is a hidden field.
FORM_FIELDS = {"case": "case_number", "appointment": None}


@requires(may_record_witness_support)
@require_GET
def witness_list(request):
    """One calendar year's records, newest first (``?year=``, this year by default)."""
    today = timezone.localdate()
    year = parse_id(request.GET.get("year", "")) or today.year
    if not 2000 <= year <= today.year + 1:
        raise Http404
    records = list(selectors.witness_support(request.user, year))
    linked = sum(1 for record in records if record.case_id)
    if linked:  # a record linked to a case says that its seeker was at court
        record_bulk_access(
            model=WitnessSupport,
            actor=request.user,
            label=f"witness support: year {year}",
            changes={"rows": ["", str(linked)]},
        )
    visible_cases = set(
        Case.objects.visible_to(request.user)
        .filter(pk__in={record.case_id for record in records if record.case_id})
        .values_list("pk", flat=True)
    )
    context = {
        "records": records,
        "year": year,
        "years": selectors.witness_support_years(request.user),
        "visible_cases": visible_cases,
        "all_records": may_see_all_witness_support(request.user),
    }
    return render(request, "calendars/witness_list.html", context)


def _initial(request) -> tuple[dict, object]:
    """Prefill from the link that led here: a court hearing in the user's calendar
    (its court, date and the hearing), or the court and date of the record just
    saved ("save and add another"), or a case of the user's. Nothing the user may
    not see is prefilled."""
    initial = {}
    if may_see_all_witness_support(request.user):
        initial["supported_by"] = request.user.pk
    hearing = None
    pk = parse_id(request.GET.get("appointment", ""))
    if pk is not None:
        hearing = selectors.court_hearing(request.user, pk)
    if hearing is not None:
        initial["appointment"] = hearing.pk
        initial["supported_on"] = timezone.localtime(hearing.starts_at, STOCKHOLM).date()
        if hearing.venue_id and hearing.venue.kind == PlaceKind.COURT and hearing.venue.active:
            initial["court"] = hearing.venue_id
    court = parse_id(request.GET.get("court", ""))
    courts = Place.objects.filter(kind=PlaceKind.COURT, active=True)
    if "court" not in initial and court is not None and courts.filter(pk=court).exists():
        initial["court"] = court
    if "supported_on" not in initial:
        with contextlib.suppress(ValueError):
            initial["supported_on"] = date.fromisoformat(request.GET.get("date", ""))
    case_id = parse_id(request.GET.get("case", ""))
    if case_id is not None:
        case = Case.objects.visible_to(request.user).filter(pk=case_id).only("number").first()
        if case is not None:
            initial["case_number"] = case.number
    return initial, hearing


def _save(form, request, record):
    """Save a valid form through the service; None with the form's errors set when refused."""
    try:
        if record is None:
            return services.record_witness_support(data=form.witness_data(), by=request.user)
        return services.edit_witness_support(record=record, data=form.witness_data(), by=request.user)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {FORM_FIELDS.get(name, name) or "__all__": errors for name, errors in error.error_dict.items()}
            )
        apply_validation_error(form, error)
        return None


def _another(saved: WitnessSupport) -> str:
    """The form again, with the court, date and hearing of the record just saved."""
    query = {"court": saved.court_id, "date": saved.supported_on.isoformat()}
    if saved.appointment_id:
        query["appointment"] = saved.appointment_id
    return f"{reverse('witness_support_create')}?{urlencode(query)}"


@requires(may_record_witness_support)
@require_http_methods(["GET", "POST"])
def witness_create(request):
    initial, hearing = _initial(request)
    form = WitnessSupportForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(form, request, None)
        if saved is not None:
            if "another" in request.POST:
                messages.success(request, _("Saved. Record the next person supported at the same hearing."))
                return redirect(_another(saved))
            messages.success(request, _("The witness support is recorded."))
            return redirect(f"{reverse('witness_support_list')}?year={saved.supported_on.year}")
    if request.method == "POST":
        hearing = form.hearing
    status = 400 if request.method == "POST" else 200
    return render(request, "calendars/witness_form.html", {"form": form, "hearing": hearing}, status=status)


def _visible(request, pk) -> WitnessSupport:
    queryset = WitnessSupport.objects.visible_to(request.user).select_related("court", "case", "appointment")
    return get_object_or_404(queryset, pk=pk)


@requires(may_record_witness_support)
@require_http_methods(["GET", "POST"])
def witness_edit(request, pk):
    record = _visible(request, pk)
    initial = {
        "supported_on": record.supported_on,
        "court": record.court_id,
        "role": record.role,
        "gender": record.gender,
        "age_group": record.age_group,
        "case_number": record.case.number if record.case_id else "",
        "supported_by": record.supported_by_id,
        "appointment": record.appointment_id or "",
    }
    form = WitnessSupportForm(request.POST or None, user=request.user, record=record, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(form, request, record) is not None:
        messages.success(request, _("The witness support is saved."))
        return redirect(f"{reverse('witness_support_list')}?year={record.supported_on.year}")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "record": record,
        "hearing": form.hearing if request.method == "POST" else record.appointment,
        "delete_form": WitnessDeleteForm(),
    }
    return render(request, "calendars/witness_form.html", context, status=status)


@requires(may_record_witness_support)
@require_POST
def witness_delete(request, pk):
    record = _visible(request, pk)
    form = WitnessDeleteForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.delete_witness_support(record=record, reason=reason, by=request.user)
    except ValidationError:
        messages.error(request, _("Choose why the record goes; nothing is deleted."))
        return redirect("witness_support_edit", pk=record.pk)
    messages.success(request, _("The witness-support record is deleted."))
    return redirect(f"{reverse('witness_support_list')}?year={record.supported_on.year}")
