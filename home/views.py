"""The start page: each role's own view of what needs doing today."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from calendars import duty
from calendars import selectors as calendar_selectors
from cases import paper, retention
from cases import selectors as case_selectors
from cases.models import Case
from compliance import dashboard as compliance_dashboard
from jour import backups
from jour.access import (
    may_be_assigned_cases,
    may_read_governance,
    may_see_every_case,
    may_use_site,
    may_work_cases,
    requires,
)
from members import followup
from members import services as members_services


@requires(may_use_site)
@require_GET
def start(request):
    """A start page per role: the coordinator's deadlines, the volunteer's own cases."""
    context = {}
    user = request.user
    if may_read_governance(user):
        context["year_panel"] = compliance_dashboard.year_panel(user)
    if may_see_every_case(user) or may_read_governance(user):
        context["backup_warning"] = backups.overdue()
    context["next_appointments"] = calendar_selectors.upcoming(user)
    calendar_selectors.record_shown(request, context["next_appointments"], label="start page: next appointments")
    schedule = None
    if may_work_cases(user):
        # Today's duty and the missing days of the last month from one read of the phone hours.
        schedule = duty.phone_schedule()
        mine = paper.due_for_shredding().filter(case__in=Case.objects.visible_to(request.user))
        context["paper_due"] = mine.count()
        context.update(duty.duty_context(schedule=schedule))
    if may_see_every_case(user):
        context["duty_missing"] = duty.missing_counts(schedule=schedule)
        context["retention_due"] = retention.due_count()
        context["dashboard"] = case_selectors.coordinator_dashboard(user=request.user)
        context["volunteer_flags"] = followup.volunteer_flags()
        context["unlinked_accounts"] = members_services.unlinked_case_accounts().count()
        context["crime_types_to_review"] = case_selectors.crime_types_to_review(request.user)
    elif may_be_assigned_cases(user):
        context["my_cases"] = case_selectors.rows(case_selectors.support_person_cases(user=request.user))
    return render(request, "home/start.html", context)
