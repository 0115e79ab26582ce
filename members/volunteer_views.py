"""Volunteers: assignments, confidentiality pledges and supervision (coordinators only).

The pledge scan is stored through jour.uploads (content-checked, random name,
no URL of its own) and handed out only by pledge_download, which checks the
role and records the access.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Assignment
from jour import uploads
from jour.access import may_manage_people, requires
from jour.audit import record_access
from jour.forms import apply_validation_error
from jour.models import User

from . import followup
from .models import Person, SupervisionSession, VolunteerAssignment, active_on
from .people_views import record_list_access
from .volunteer_forms import SupervisionForm, VolunteerForm

PLEDGE_FOLDER = "pledges"
SESSIONS_PAGE_SIZE = 50


# --- Reading -----------------------------------------------------------------


@dataclass(frozen=True)
class VolunteerRow:
    assignment: VolunteerAssignment
    last_followup: date | None
    lacks_followup: bool
    case_load: int | None  # open case assignments of the linked account; None without an account

    @property
    def person(self) -> Person:
        return self.assignment.person

    @property
    def pledge_missing(self) -> bool:
        return self.assignment.pledge_signed_on is None

    @property
    def training_missing(self) -> bool:
        return self.assignment.basic_training_on is None

    @property
    def load_state(self) -> str:
        """ok, full (at capacity) or over (more cases than capacity)."""
        if not self.case_load:
            return "ok"
        if self.case_load > self.assignment.capacity:
            return "over"
        return "full" if self.case_load == self.assignment.capacity else "ok"


def volunteer_rows(day: date, months: int) -> list[VolunteerRow]:
    """Every volunteer assignment active on `day`, with what the coordinator
    checks at a glance. Two queries, whatever the number of volunteers."""
    open_cases = (
        Assignment.objects.filter(person=OuterRef("person__account"), ended_at__isnull=True)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_session = (
        SupervisionSession.objects.filter(participants=OuterRef("person"), held_on__lte=day)
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    assignments = (
        VolunteerAssignment.objects.filter(active_on(day))
        .select_related("person", "person__account")
        .annotate(open_cases=Subquery(open_cases), last_followup=Subquery(last_session))
        .order_by("person__name", "person_id", "pk")
    )
    lacking = {person.pk for person in followup.volunteers_without_followup(day, months)}
    return [
        VolunteerRow(
            assignment=a,
            last_followup=a.last_followup,
            lacks_followup=a.person_id in lacking,
            case_load=(a.open_cases or 0) if a.person.account_id else None,
        )
        for a in assignments
    ]


# --- Writing -----------------------------------------------------------------


def save_volunteer(*, form: VolunteerForm, person: Person, by: User) -> VolunteerAssignment:
    """Save a valid VolunteerForm: the assignment, and its pledge scan stored
    under a generated name. A replaced or deleted scan is removed from disk
    once the change is committed; a new scan is removed again if saving fails."""
    assignment = form.save(commit=False)
    assignment.person = person
    previous = assignment.pledge_scan.name or ""
    upload = form.cleaned_data.get("pledge_scan")
    stored = uploads.store(upload, PLEDGE_FOLDER) if upload else None
    if stored:
        assignment.pledge_scan = stored
    elif form.cleaned_data.get("remove_pledge_scan"):
        assignment.pledge_scan = ""
    try:
        with transaction.atomic():
            assignment.save()
            if previous and previous != assignment.pledge_scan.name:
                transaction.on_commit(lambda: uploads.delete(previous))
    except Exception:
        if stored:
            uploads.delete(stored)
        raise
    return assignment


# --- Views -------------------------------------------------------------------


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
    rows = volunteer_rows(day, months)
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
        save_volunteer(form=form, person=person, by=request.user)
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
        save_volunteer(form=form, person=person, by=request.user)
        messages.success(request, _("The volunteer assignment is saved."))
        return redirect("volunteer_list")
    if request.method == "GET":
        record_access(request, assignment)
    context = {"form": form, "person": person, "assignment": assignment}
    return render(request, "members/volunteers/volunteer_form.html", context)


@requires(may_manage_people)
@require_GET
def pledge_download(request, pk):
    assignment = get_object_or_404(VolunteerAssignment, pk=pk)
    response = uploads.serve(assignment.pledge_scan, f"pledge-{assignment.pk}")  # 404 without a file
    record_access(request, assignment)
    return response


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


urlpatterns = [
    path("volunteers/", volunteer_list, name="volunteer_list"),
    path("<int:pk>/volunteering/new/", volunteer_create, name="volunteer_create"),
    path("volunteering/<int:pk>/edit/", volunteer_edit, name="volunteer_edit"),
    path("volunteering/<int:pk>/pledge/", pledge_download, name="pledge_download"),
    path("supervision/", supervision_list, name="supervision_list"),
]
