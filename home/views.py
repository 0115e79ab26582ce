"""The start page: each role's own view of what needs doing today."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from calendars import appointments as calendar_appointments
from calendars import duty
from cases import paper, retention
from cases import selectors as case_selectors
from compliance import dashboard as compliance_dashboard
from jour.access import ALL_ROLES, GOVERNANCE_ROLES, STAFF_ROLES, cases_visible_to, for_roles
from jour.models import Role
from members import followup


@for_roles(ALL_ROLES)
@require_GET
def start(request):
    """A start page per role: the coordinator's deadlines, the volunteer's own cases."""
    context = {}
    if request.user.role in GOVERNANCE_ROLES:
        context["year_panel"] = compliance_dashboard.year_panel(request.user)
    context["next_appointments"] = calendar_appointments.upcoming(request.user)
    if request.user.role in STAFF_ROLES:
        mine = paper.due_for_shredding().filter(case__in=cases_visible_to(request.user))
        context["paper_due"] = mine.count()
        context.update(duty.duty_context())
    if request.user.role == Role.COORDINATOR:
        context["duty_missing"] = duty.missing_counts()
        context["retention_due"] = retention.due().count()
        context["dashboard"] = case_selectors.coordinator_dashboard(user=request.user)
        context["volunteer_flags"] = followup.volunteer_flags()
    elif request.user.role == Role.SUPPORT_PERSON:
        context["my_cases"] = case_selectors.rows(case_selectors.support_person_cases(user=request.user))
    return render(request, "home/start.html", context)
