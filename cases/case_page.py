"""The case page, which the apps above cases add sections to.

cases sits below partners and calendars on the floor plan, so it cannot import
them. Each adds its sections when it loads (its AppConfig.ready calls
`add_section`), and every view that shows one case, the page itself or a form
re-rendered with its errors, renders through `render` here, so every section
is on every version of the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.forms import BaseForm
from django.shortcuts import get_object_or_404
from django.shortcuts import render as render_template
from django.utils import timezone

from jour.access import may_manage_cases
from jour.audit import record_access

from . import contacts_actions, deadlines, journal
from .forms import ActionForm, AssignForm, AttemptForm, CloseForm, HoldForm, JournalForm, PaperForm, RiskCheckForm
from .models import Case
from .selectors import case_actions, risk_checks, suggests_urgent
from .services import may_remove_action


@dataclass(frozen=True)
class Section:
    template: str
    # (request, case, forms) -> the section's context; `forms` holds a refused
    # form by name, to be shown with its errors instead of an empty one.
    context: Callable[..., dict]
    order: int


_SECTIONS: list[Section] = []


def add_section(*, template: str, context: Callable[..., dict], order: int) -> None:
    if all(section.template != template for section in _SECTIONS):
        _SECTIONS.append(Section(template, context, order))
        _SECTIONS.sort(key=lambda section: section.order)


def visible_case(request, pk) -> Case:
    """The case if the user may see it; a 404 otherwise, never a 403."""
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


def journal_context(request, case: Case, forms: dict) -> dict:
    """The journal, newest first, with a correction form on each entry its
    author may still correct (a refused correction comes back with its errors)."""
    now = timezone.now()
    refused = forms.get("correct_form")
    rows = []
    for entry in journal.entries(case):
        form = None
        if journal.may_correct(entry, request.user, now):
            if refused is not None and refused.instance.pk == entry.pk:
                form = refused
            else:
                form = JournalForm(instance=entry, auto_id=f"correct{entry.pk}_%s")
        rows.append((entry, form, journal.correction_ends(entry)))
    return {
        "journal": rows,
        "journal_form": forms.get("journal_form") or JournalForm(),
        "correction_minutes": journal.CORRECTION_MINUTES,
    }


def context(request, case: Case, **forms) -> dict:
    state = deadlines.deadline_state(case)
    manage = may_manage_cases(request.user)
    checks = risk_checks(case)
    latest = checks[0] if checks else None
    page = {
        "case": case,
        "state": state,
        "allowance_hours": deadlines.hours(state.allowance),
        "used_hours": deadlines.hours(state.used),
        "assignments": case.assignments.select_related("person", "assigned_by", "ended_by").order_by("assigned_at"),
        "attempts": case.attempts.select_related("made_by").order_by("made_at", "pk"),
        "can_manage": manage,
        "attempt_form": forms.get("attempt_form") or AttemptForm(),
        "assign_form": forms.get("assign_form") or AssignForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "paper_records": case.paper_records.select_related("filed_by", "shredded_by"),
        "paper_form": PaperForm(),
        "holds": case.holds.select_related("created_by", "released_by") if manage else [],
        "hold_form": HoldForm() if manage else None,
        "today": timezone.localdate(),
        "risk_checks": checks,
        "risk_latest": latest,
        "risk_suggests_urgent": suggests_urgent(case, latest),
        "risk_form": forms.get("risk_form") or RiskCheckForm(),
        "actions": [(action, may_remove_action(action, request.user)) for action in case_actions(case)],
        "action_form": forms.get("action_form") or ActionForm(),
        "counted": contacts_actions.for_case(case),
        **journal_context(request, case, forms),
    }
    sections = []
    for section in _SECTIONS:
        page.update(section.context(request, case, forms))
        sections.append(section.template)
    page["sections"] = sections
    return page


def render(
    request,
    case: Case,
    *,
    template: str = "cases/case_detail.html",
    status: int = 200,
    printing: bool = False,
    extra=None,
    **forms,
):
    """The page, or a part of it, with the access entry every showing of the
    seeker's data writes: a form re-rendered with its errors is a page too."""
    page = context(request, case, **forms)
    if printing:
        # Paper has no use for the forms, and the print page hides them (jour.css):
        # rendering their fields was a third of the page's time.
        page = {key: None if isinstance(value, BaseForm) else value for key, value in page.items()}
    response = render_template(request, template, {**page, "printing": printing, **(extra or {})}, status=status)
    record_access(request, case)
    return response


def render_with_errors(request, case: Case, **forms):
    """The page again with the refused form, its errors also shown above the
    page: on an anonymised case the form itself is not shown."""
    for form in forms.values():
        for message in form.non_field_errors():
            messages.error(request, message)
    return render(request, case, status=400, **forms)
