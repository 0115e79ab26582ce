"""Case pages. Views validate input and call services; cases are scoped by Case.objects.visible_to."""

import secrets
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jour.access import may_manage_cases, may_read_first_contact_figures, may_work_cases, requires
from jour.audit import record_access, record_bulk_access
from jour.forms import apply_validation_error
from jour.ids import parse_id
from jour.paging import CappedPaginator
from jour.redirects import safe_path
from jour.workdays import STOCKHOLM

from .. import case_page, notifications, rules, selectors, services
from ..case_page import visible_case
from ..forms import (
    FILTER_FIELDS,
    ActionForm,
    AssignForm,
    AttemptForm,
    CaseFilterForm,
    CaseForm,
    CaseSearchForm,
    CloseForm,
    EndAssignmentForm,
    KpiForm,
    RiskCheckForm,
    SupportPersonCaseForm,
)
from ..models import Action, Assignment, Case, RiskCheck

LIST_PAGE_SIZE = 50


# Searches are kept in the session under a random key that the list's URL carries
# instead of the term (names and phone numbers must not reach a URL or a log).
# Each search has its own key, so back and forward and every page link keep it.
SEARCHES = "case_searches"
SEARCHES_KEPT = 10
# What the list's links carry from one page to the next: no personal data.
LIST_PARAMETERS = ("view", "sort", "s", *FILTER_FIELDS)


def _list_query(source, **changes) -> str:
    """The list's query string from `source` (a QueryDict or a dict), with `changes`."""
    query = QueryDict(mutable=True)
    for key in LIST_PARAMETERS:
        value = changes[key] if key in changes else source.get(key, "")
        if value:
            query[key] = value
    return query.urlencode()


def _remember_search(request, term: str) -> str:
    searches = request.session.get(SEARCHES, {})
    key = secrets.token_urlsafe(8)
    searches[key] = term
    request.session[SEARCHES] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return key


@requires(may_work_cases)
@require_http_methods(["GET", "POST"])
def case_list(request):
    if request.method == "POST":
        form = CaseSearchForm(request.POST)
        if form.is_valid():
            # Post, redirect, get: the term stays in the session, the URL gets its key.
            term = form.cleaned_data["q"]
            key = _remember_search(request, term) if term else ""
            return redirect(f"{reverse('case_list')}?{_list_query(request.POST, s=key)}")
        return _render_list(request, search_form=form, term="", source=request.POST)
    key = request.GET.get("s", "")
    term = request.session.get(SEARCHES, {}).get(key, "") if key else ""
    search_form = CaseSearchForm(initial={"q": term})
    if key and not term:
        messages.warning(request, _("That search is no longer kept: search again."))
    return _render_list(request, search_form=search_form, term=term, source=request.GET)


# A heading's first click: the deadline soonest first, the newest received first.
FIRST_SORT = {"due": "due", "received": "-received"}


def _sort_headings(source, view: str, sort: str) -> dict:
    """Per sortable column: the link that sorts by it (or turns it round) and its aria-sort."""
    headings = {}
    for column, first in FIRST_SORT.items():
        if sort in (column, f"-{column}"):
            state = "descending" if sort.startswith("-") else "ascending"
            target = column if sort.startswith("-") else f"-{column}"
        else:
            state, target = "", first
        headings[column] = {"state": state, "query": _list_query(source, view=view, sort=target)}
    return headings


def _render_list(request, *, search_form, term: str, source):
    view = source.get("view", "open")
    if view not in selectors.FILTERS:
        view = "open"
    sort = source.get("sort", "")
    if sort not in selectors.SORTS:
        sort = ""
    filter_form = CaseFilterForm(source, user=request.user)
    filters = filter_form.filters()
    cases = selectors.case_list(user=request.user, view=view, term=term, filters=filters, sort=sort)
    paginator = CappedPaginator(cases, LIST_PAGE_SIZE, asked=source.get("page"))
    page = paginator.get_page(source.get("page"))
    # The list shows first names: one access entry per page shown. A search is
    # audited by its result count, never by what was looked for.
    rows = f"{paginator.count}+" if paginator.more else str(paginator.count)
    record_bulk_access(
        model=Case,
        actor=request.user,
        label="case list: search" if term else "case list",
        changes={"search": ["", "yes" if term else "no"], "rows": ["", rows]},
    )
    context = {
        "page": page,
        "rows": selectors.rows(page.object_list),
        "view": view,
        "filters": list(selectors.FILTERS),
        "search_form": search_form,
        "filter_form": filter_form,
        "term": term,
        "filtered": bool(filters),
        "sort": sort,
        "query": _list_query(source, view=view, sort=sort),
        "tab_query": {name: _list_query(source, view=name) for name in selectors.FILTERS},
        "plain_query": _list_query({}, view=view),
        "sorted_by": _sort_headings(source, view, sort),
    }
    bad = search_form.errors or filter_form.errors
    return render(request, "cases/case_list.html", context, status=400 if bad else 200)


@requires(may_manage_cases)
@require_http_methods(["GET", "POST"])
def case_create(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.register_case(data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Case %(number)s is registered.") % {"number": case.number})
            return redirect("case_detail", pk=case.pk)
    # A refused form is a 400, with everything typed still in it.
    return render(request, "cases/case_form.html", {"form": form}, status=400 if request.method == "POST" else 200)


@requires(may_work_cases)
@require_GET
def case_detail(request, pk):
    case = visible_case(request, pk)
    return case_page.render(request, case)


@requires(may_work_cases)
@require_GET
def case_print(request, pk):
    """The case page itself, so that every section of it is printed, framed for
    paper without its forms (jour.css); opening it is an access to the case."""
    case = visible_case(request, pk)
    return case_page.render(request, case, printing=True, extra={"printed_at": timezone.now()})


@requires(may_work_cases)
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = visible_case(request, pk)
    form_class = CaseForm if may_manage_cases(request.user) else SupportPersonCaseForm
    form = form_class(request.POST or None, instance=case)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form._meta.fields}
        try:
            services.update_case(
                case=case, data=data, expected_version=form.cleaned_data["version"] or 0, by=request.user
            )
        except services.EditConflict as error:
            # Keep what this person typed, show what the other person saved,
            # and accept a deliberate resubmission on top of it.
            conflict = error.current
            form.data = form.data.copy()
            form.data["version"] = conflict.version
            form.add_error(
                None,
                _(
                    "Someone else saved this case while you were editing. Nothing of yours is saved yet: "
                    "compare with the saved version below and save again to keep your changes."
                ),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("case_detail", pk=case.pk)
    else:
        record_access(request, case)
    return render(request, "cases/case_form.html", {"form": form, "case": case, "conflict": conflict})


@requires(may_manage_cases)
@require_POST
def case_assign(request, pk):
    case = visible_case(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.assign(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s is assigned.") % {"name": form.cleaned_data["person"].name})
            return redirect("case_detail", pk=case.pk)
    return case_page.render(request, case, status=400, assign_form=form)


@requires(may_manage_cases)
@require_POST
def assignment_end(request, pk, assignment_pk):
    case = visible_case(request, pk)
    assignment = get_object_or_404(Assignment, pk=assignment_pk, case=case)
    form = EndAssignmentForm(request.POST)
    if form.is_valid():
        services.end_assignment(assignment=assignment, note=form.cleaned_data["note"], by=request.user)
        messages.success(request, _("%(name)s is no longer on the case.") % {"name": assignment.person.name})
    return redirect("case_detail", pk=case.pk)


@requires(may_work_cases)
@require_POST
def attempt_create(request, pk):
    case = visible_case(request, pk)
    form = AttemptForm(request.POST)
    if form.is_valid():
        try:
            services.log_attempt(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if request.htmx:
                case.refresh_from_db()
                return case_page.render(request, case, template="cases/_attempts.html")
            messages.success(request, _("The contact attempt is logged."))
            return redirect("case_detail", pk=case.pk)
    template = "cases/_attempts.html" if request.htmx else "cases/case_detail.html"
    return case_page.render(request, case, template=template, status=400, attempt_form=form)


@requires(may_manage_cases)
@require_POST
def case_close(request, pk):
    case = visible_case(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_case(case=case, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The case is closed."))
        return redirect("case_detail", pk=case.pk)
    return case_page.render(request, case, status=400, close_form=form)


@requires(may_manage_cases)
@require_POST
def case_reopen(request, pk):
    case = visible_case(request, pk)
    try:
        services.reopen_case(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is open again."))
    return redirect("case_detail", pk=case.pk)


@requires(may_work_cases)
@require_GET
def notification_list(request):
    page = Paginator(notifications.inbox(request.user), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/notifications.html", {"page": page})


@requires(may_work_cases)
@require_POST
def notification_read(request):
    raw = request.POST.get("id", "")
    notification_id = parse_id(raw)
    if raw and notification_id is None:
        # A malformed id marks nothing: only the button without an id marks them all.
        return redirect(reverse("notification_list"))
    notifications.mark_read(user=request.user, notification_id=notification_id)
    target = safe_path(request.POST.get("next", "")) or ""
    if notification_id is not None and target.startswith("/cases/"):
        return redirect(target)
    return redirect(reverse("notification_list"))


@requires(may_read_first_contact_figures)
@require_GET
def kpi(request):
    this_year = timezone.localtime().year
    form = KpiForm(request.GET or {"year": this_year, "granularity": "month"})
    year, granularity = this_year, "month"
    if form.is_valid():
        year, granularity = form.cleaned_data["year"], form.cleaned_data["granularity"]
    start = datetime(year, 1, 1, tzinfo=STOCKHOLM)
    end = datetime(year + 1, 1, 1, tzinfo=STOCKHOLM)
    kpi_rows = selectors.kpi(start=start, end=end, granularity=granularity)
    totals = selectors.kpi(start=start, end=end, granularity="year")
    context = {"form": form, "rows": kpi_rows, "totals": totals, "year": year, "granularity": granularity}
    return render(request, "cases/kpi.html", context)


# --- The risk check -----------------------------------------------------------


@requires(may_work_cases)
@require_POST
def risk_check_create(request, pk):
    case = visible_case(request, pk)
    form = RiskCheckForm(request.POST)
    if form.is_valid():
        try:
            check = services.record_risk_check(case=case, answers=form.cleaned_data, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if check.danger:
                messages.warning(
                    request,
                    _("Immediate danger: call 112, or contact the police. The case is suggested as urgent."),
                )
            else:
                messages.success(request, _("The risk check is recorded."))
            return redirect("case_detail", pk=case.pk)
    return case_page.render_with_errors(request, case, risk_form=form)


@requires(may_manage_cases)
@require_POST
def risk_confirm_urgent(request, pk, check_pk):
    case = visible_case(request, pk)
    check = get_object_or_404(RiskCheck, pk=check_pk, case=case)
    try:
        services.confirm_urgent(check=check, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The case is urgent now: first contact within %(hours)s working hours.")
            % {"hours": rules.ALLOWANCE_HOURS["urgent"]},
        )
    return redirect("case_detail", pk=case.pk)


# --- Actions taken for the seeker -------------------------------------------


@requires(may_work_cases)
@require_POST
def action_create(request, pk):
    case = visible_case(request, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.record_action(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The action is recorded."))
            return redirect(reverse("case_detail", args=[case.pk]) + "#actions")
    return case_page.render_with_errors(request, case, action_form=form)


@requires(may_work_cases)
@require_POST
def action_delete(request, pk, action_pk):
    case = visible_case(request, pk)
    action = get_object_or_404(Action, pk=action_pk, case=case)
    try:
        services.remove_action(action=action, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The action is removed."))
    return redirect(reverse("case_detail", args=[case.pk]) + "#actions")
