"""The phone and the mailbox: staffed hours, forwarding to 116 006, the daily check."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jour import formatting
from jour.access import may_keep_duty, may_manage_phone_hours, requires
from jour.forms import apply_validation_error

from .. import mailbox, phone
from ..duty import LOG_DAYS, duty_context, missing, phone_schedule
from ..forms import PhoneClosureForm, PhoneHoursForm
from ..models import MailboxCheck, PhoneClosure, PhoneForwarding, PhoneHours


def _page(request, hours_form=None, closure_form=None, status=200):
    today = timezone.localdate()
    read_once = phone_schedule(today)  # the state and the missing closings read the same hours
    context = duty_context(schedule=read_once)
    context["manage"] = may_manage_phone_hours(request.user)
    context["forwardings"] = PhoneForwarding.objects.select_related("by").filter(
        at__date__gte=today - timedelta(days=LOG_DAYS)
    )
    context["checks"] = MailboxCheck.objects.select_related("checked_by").filter(
        day__gte=today - timedelta(days=LOG_DAYS)
    )
    context["closures"] = PhoneClosure.objects.filter(day__gte=today)
    if may_manage_phone_hours(request.user):
        context.update(missing(today, read_once))
    if context["manage"]:
        context["hours_form"] = hours_form or PhoneHoursForm()
        context["closure_form"] = closure_form or PhoneClosureForm()
    else:
        context["hours"] = PhoneHours.objects.all()
    return render(request, "calendars/phone.html", context, status=status)


@requires(may_keep_duty)
@require_GET
def phone_page(request):
    return _page(request)


@requires(may_manage_phone_hours)
@require_POST
def phone_hours(request):
    form = PhoneHoursForm(request.POST)
    if form.is_valid():
        phone.set_hours(hours=form.hours, by=request.user)
        messages.success(request, _("The phone hours are saved."))
        return redirect("phone_page")
    return _page(request, hours_form=form, status=400)


@requires(may_manage_phone_hours)
@require_POST
def closure_add(request):
    form = PhoneClosureForm(request.POST)
    if form.is_valid():
        try:
            phone.add_closure(day=form.cleaned_data["day"], reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The closure is added."))
            return redirect("phone_page")
    return _page(request, closure_form=form, status=400)


@requires(may_manage_phone_hours)
@require_POST
def closure_remove(request, pk):
    closure = get_object_or_404(PhoneClosure, pk=pk)
    try:
        phone.remove_closure(closure=closure, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The closure is removed."))
    return redirect("phone_page")


def _back(request):
    """Back to the page the button was on: the start page or the phone page."""
    return redirect("phone_page" if request.POST.get("next") == "phone" else "start")


@requires(may_keep_duty)
@require_POST
def confirm_forwarded(request):
    record = phone.confirm_forwarding(by=request.user)
    at = formatting.time(record.at)
    messages.success(request, _("Logged: the phone was forwarded to 116 006 at %(time)s.") % {"time": at})
    return _back(request)


@requires(may_keep_duty)
@require_POST
def confirm_mailbox(request):
    check, created = mailbox.confirm(by=request.user)
    if created:
        messages.success(request, _("Logged: the mailbox is read today."))
    else:
        at = formatting.time(check.checked_at)
        messages.info(request, _("The mailbox was already confirmed as read today at %(time)s.") % {"time": at})
    return _back(request)
