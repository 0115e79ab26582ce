"""Volunteers: assignments and supervision (coordinators only).

The confidentiality pledge is the person's: it is recorded on the person's page
(views/people.py), and the volunteer list reads it from there.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jour.access import may_manage_people, requires
from jour.audit import record_access
from jour.forms import apply_validation_error

from .. import followup, selectors, services
from ..forms.volunteers import SupervisionForm, VolunteerForm
from ..models import Person, SupervisionSession, VolunteerAssignment
from .people import record_list_access

SESSIONS_PAGE_SIZE = 50


# --- Views -------------------------------------------------------------------


def _save(form, person, by):
    assignment = form.instance
    assignment.person = person
    services.save_volunteer(assignment=assignment, by=by)


def _submitted(request):
    """The form data and files of a POST (a POST with only a file is still a
    submission), or (None, None)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


@requires(may_manage_people)
@require_GET
def volunteer_list(request):
    day, months = timezone.localdate(), followup.followup_months()
    rows = selectors.volunteer_rows(day, months)
    record_list_access(request, what="volunteers", kind="active", searched=False, count=len(rows))
    context = {
        "rows": rows,
        "months": months,
        "cutoff": followup.months_before(day, months),
        "lacking_count": len({row.person.pk for row in rows if row.lacks_followup}),
        "pledge_missing_count": sum(row.pledge_missing for row in rows),
    }
    return render(request, "members/volunteers/volunteer_list.html", context)


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def volunteer_create(request, pk):
    person = get_object_or_404(Person, pk=pk)
    data, files = _submitted(request)
    form = VolunteerForm(data, files, instance=VolunteerAssignment(person=person), person=person)
    if request.method == "POST" and form.is_valid():
        _save(form, person, request.user)
        messages.success(request, _("The volunteer assignment is saved."))
        return redirect("volunteer_list")
    return render(request, "members/volunteers/volunteer_form.html", {"form": form, "person": person})


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def volunteer_edit(request, pk):
    assignment = get_object_or_404(VolunteerAssignment.objects.select_related("person"), pk=pk)
    person = assignment.person
    data, files = _submitted(request)
    form = VolunteerForm(data, files, instance=assignment, person=person)
    if request.method == "POST" and form.is_valid():
        _save(form, person, request.user)
        messages.success(request, _("The volunteer assignment is saved."))
        return redirect("volunteer_list")
    if request.method == "GET":
        record_access(request, assignment)
    context = {"form": form, "person": person, "assignment": assignment}
    return render(request, "members/volunteers/volunteer_form.html", context)


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def supervision_list(request):
    day = timezone.localdate()
    data, _files = _submitted(request)
    form = SupervisionForm(data, day=day, initial={"supervisor": request.user.name})
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        try:
            followup.record_session(
                held_on=fields["held_on"],
                kind=fields["kind"],
                supervisor=fields["supervisor"],
                participants=fields["participants"],
                note=fields["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The supervision session is recorded."))
            return redirect("supervision_list")
    sessions = SupervisionSession.objects.prefetch_related("participants").order_by("-held_on", "-pk")
    page = Paginator(sessions, SESSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    record_list_access(
        request, what="supervision sessions", kind=f"page {page.number}", searched=False, count=len(page)
    )
    return render(request, "members/volunteers/supervision_list.html", {"form": form, "page": page})
