"""Calendar pages: month and week, an appointment, planning, and the feed."""

import contextlib
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from cases.models import Case
from jour.access import may_plan_appointments, may_use_site, public, requires
from jour.audit import record_access, record_bulk_access
from jour.forms import apply_validation_error
from jour.ids import parse_id
from jour.workdays import STOCKHOLM

from .. import feeds, selectors, services
from ..forms import AppointmentForm, CancelForm
from ..models import Appointment, AppointmentKind, FeedToken


def _month_link(day: date) -> dict:
    return {"year": day.year, "month": day.month}


@requires(may_use_site)
@require_GET
def month_view(request, year=None, month=None):
    today = timezone.localdate()
    year, month = (year, month) if year else (today.year, today.month)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    first = date(year, month, 1)
    weeks = selectors.month(request.user, year, month)
    shown = [appointment for week in weeks for day in week for appointment in day.appointments]
    selectors.record_shown(request, shown, label=f"calendar: month {year}-{month:02d}")
    context = {
        "weeks": weeks,
        "first": first,
        "previous": _month_link(first - timedelta(days=1)),
        "next": _month_link(first + timedelta(days=32)),
        "this_week": today.isocalendar(),
        "can_plan": may_plan_appointments(request.user),
    }
    return render(request, "calendars/month.html", context)


@requires(may_use_site)
@require_GET
def week_view(request, year, week):
    if not 2000 <= year <= 2100:
        raise Http404
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise Http404 from error
    days = selectors.week(request.user, year, week)
    shown = [appointment for day in days for appointment in day.appointments]
    selectors.record_shown(request, shown, label=f"calendar: week {year}-W{week:02d}")
    previous, following = (monday - timedelta(days=7)).isocalendar(), (monday + timedelta(days=7)).isocalendar()
    context = {
        "days": days,
        "year": year,
        "week": week,
        "previous": {"year": previous.year, "week": previous.week},
        "next": {"year": following.year, "week": following.week},
        "month": _month_link(monday),
        "can_plan": may_plan_appointments(request.user),
    }
    return render(request, "calendars/week.html", context)


def _visible(request, pk) -> Appointment:
    return get_object_or_404(Appointment.objects.visible_to(request.user).select_related("case", "venue"), pk=pk)


def _changeable(request, pk) -> Appointment:
    appointment = _visible(request, pk)
    if not selectors.can_change(request.user, appointment):
        raise Http404
    return appointment


@requires(may_use_site)
@require_GET
def appointment_detail(request, pk):
    appointment = _visible(request, pk)
    record_access(request, appointment)
    context = {
        "appointment": appointment,
        # The week it is on in Stockholm: a Monday 00:30 is 23:30 on Sunday in UTC.
        "week_of": timezone.localtime(appointment.starts_at, STOCKHOLM).date().isocalendar(),
        "participants": appointment.participants.order_by("name"),
        "can_change": selectors.can_change(request.user, appointment),
        "started": appointment.starts_at <= timezone.now(),
        "cancel_form": CancelForm(),
        "case_visible": appointment.case_id is not None
        and Case.objects.visible_to(request.user).filter(pk=appointment.case_id).exists(),
    }
    return render(request, "calendars/appointment_detail.html", context)


def _initial(request) -> dict:
    """Prefill from the link that led here: a case (by id) and a date."""
    initial = {"kind": AppointmentKind.MEETING}
    case_id = parse_id(request.GET.get("case", ""))
    if case_id is not None:
        case = Case.objects.visible_to(request.user).filter(pk=case_id).only("number").first()
        if case is not None:
            initial["case_number"] = case.number
    with contextlib.suppress(ValueError):
        initial["day"] = date.fromisoformat(request.GET.get("date", ""))
    if request.GET.get("kind") in AppointmentKind.values:
        initial["kind"] = request.GET["kind"]
    return initial


def _save(request, form, appointment):
    """Save a valid form; returns the saved appointment or None with the form's errors set."""
    if "participants" in form.fields:
        participants = form.cleaned_data["participants"]
    elif appointment is None:
        participants = [request.user]
    else:
        # A support person's edit keeps whoever else goes.
        participants = appointment.participants.all()
    try:
        return services.save_appointment(
            appointment=appointment,
            data=form.appointment_data(),
            participants=participants,
            by=request.user,
            # An edit without the version it started from cannot prove it saw the last save.
            expected_version=None if appointment is None else form.cleaned_data["version"] or 0,
        )
    except services.EditConflict as error:
        form.data = form.data.copy()
        form.data["version"] = error.current.version
        form.add_error(
            None,
            _(
                "Someone else saved this appointment while you were editing. Nothing of yours is saved yet: "
                "check the calendar and save again to keep your changes."
            ),
        )
    except ValidationError as error:
        _map_errors(form, error)
    return None


def _map_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        renamed = {}
        for name, errors in error.error_dict.items():
            target = {"case": "case_number", "ends_at": "ends", "starts_at": "starts"}.get(name, name)
            renamed[target if target in form.fields else None] = errors
        error = ValidationError({k or "__all__": v for k, v in renamed.items()})
    apply_validation_error(form, error)


def _refreshing_participants(request) -> bool:
    """An htmx request for the participant list after the case number changed:
    nothing is saved, the form comes back with the list for that case."""
    return request.method == "POST" and request.htmx and request.htmx.trigger_name == "case_number"


def _refreshed_form(request, initial: dict, appointment=None) -> AppointmentForm:
    """The form as it was typed, unbound (no errors shown yet), its participant
    list offered for the case number now typed; ticks outside that list drop."""
    typed = {name: request.POST.get(name, "") for name in ("kind", "case_number", "day", "starts", "ends", "venue")}
    typed |= {name: request.POST.get(name, "") for name in ("place", "room", "title", "version")}
    form = AppointmentForm(
        user=request.user, appointment=appointment, refresh_url=request.path, initial={**initial, **typed}
    )
    if "participants" in form.fields:
        offered = {str(pk) for pk, _label in form.fields["participants"].widget.choices}
        form.initial["participants"] = [pk for pk in request.POST.getlist("participants") if pk in offered]
    return form


@requires(may_plan_appointments)
@require_http_methods(["GET", "POST"])
def appointment_create(request):
    if _refreshing_participants(request):
        form = _refreshed_form(request, _initial(request))
        return render(request, "calendars/appointment_form.html", {"form": form})
    form = AppointmentForm(request.POST or None, user=request.user, initial=_initial(request), refresh_url=request.path)
    if request.method == "POST" and form.is_valid():
        appointment = _save(request, form, None)
        if appointment is not None:
            messages.success(request, _("The appointment is in the calendar."))
            return redirect("appointment_detail", pk=appointment.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "calendars/appointment_form.html", {"form": form}, status=status)


@requires(may_plan_appointments)
@require_http_methods(["GET", "POST"])
def appointment_edit(request, pk):
    appointment = _changeable(request, pk)
    local_start = timezone.localtime(appointment.starts_at, STOCKHOLM)
    initial = {
        "kind": appointment.kind,
        "case_number": appointment.case.number if appointment.case_id else "",
        "day": local_start.date(),
        "starts": local_start.time(),
        "ends": timezone.localtime(appointment.ends_at, STOCKHOLM).time(),
        "venue": appointment.venue_id,
        "place": appointment.place,
        "room": appointment.room,
        "title": appointment.title,
        "participants": appointment.participants.all(),
        "version": appointment.version,
    }
    if _refreshing_participants(request):
        form = _refreshed_form(request, initial, appointment)
        return render(request, "calendars/appointment_form.html", {"form": form, "appointment": appointment})
    form = AppointmentForm(
        request.POST or None, user=request.user, initial=initial, appointment=appointment, refresh_url=request.path
    )
    if request.method == "POST" and form.is_valid():
        if _save(request, form, appointment) is not None:
            messages.success(request, _("The appointment is saved."))
            return redirect("appointment_detail", pk=appointment.pk)
    elif request.method == "GET":
        record_access(request, appointment)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "appointment": appointment}
    return render(request, "calendars/appointment_form.html", context, status=status)


@requires(may_plan_appointments)
@require_POST
def appointment_delete(request, pk):
    appointment = _changeable(request, pk)
    day = timezone.localtime(appointment.starts_at, STOCKHOLM).date()
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        deleted = services.remove_appointment(appointment=appointment, reason=reason, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("appointment_detail", pk=appointment.pk)
    if deleted:
        messages.success(request, _("The appointment is removed from the calendar."))
        return redirect("calendar_month", year=day.year, month=day.month)
    messages.success(request, _("The appointment is marked as cancelled; it stays in the calendar's history."))
    return redirect("appointment_detail", pk=appointment.pk)


# --- Feeds -------------------------------------------------------------------


@requires(may_use_site)
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    """Make, renew or revoke one's private feed. A new URL is shown once, in
    the response to the POST that made it; it is never stored or logged."""
    new_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            token = feeds.create(request.user)
            new_url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
            messages.success(request, _("Your new feed address is below. Any earlier address has stopped working."))
        elif action == "revoke":
            if feeds.revoke(request.user):
                messages.success(request, _("Your feed address has stopped working."))
            return redirect("feed_settings")
        else:
            return HttpResponse(status=400)
    current = FeedToken.objects.filter(user=request.user).first()
    return render(request, "calendars/feed_settings.html", {"new_url": new_url, "current": current})


@public
@require_safe  # calendar apps may check a feed with HEAD
def feed(request, token):
    user = feeds.user_for(token)
    if user is None:
        response = HttpResponse(status=404, content_type="text/plain")
        # Django logs every 4xx with its path, and this path is a secret: the
        # logging filter redacts it too, but nothing needs logging here at all.
        response._has_been_logged = True
        return response
    body, shown = feeds.render(user)
    # Recorded by account: the token is the URL and goes nowhere, the log included.
    record_bulk_access(model=Appointment, actor=user, label="calendar feed", changes={"rows": ["", str(shown)]})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jour.ics"'
    response["Cache-Control"] = "no-store, private"
    return response
