"""The people register: members, supporting members, employees, volunteers and
the board, with their contact details. Coordinators only.

No personal data travels in a URL: the search term is POSTed (and never
redirected to a GET); the kind filters, which are not personal data, are GET
parameters. Every page and export that shows contact details records the access.
"""

import csv

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jour import formatting, uploads
from jour.access import may_manage_people, requires
from jour.audit import record_access, record_bulk_access
from jour.forms import apply_validation_error
from jour.models import Role

from .. import selectors, services
from ..forms.people import (
    EndEngagementForm,
    EngagementForm,
    EraseForm,
    LoginAccessForm,
    PersonCreateForm,
    PersonForm,
    SearchForm,
    erase_word,
)
from ..forms.pledges import PledgeForm
from ..models import ConfidentialityPledge, Person

PAGE_SIZE = 100

# --- Audit of pages that show many people ------------------------------------


def record_list_access(request, *, what: str, kind: str, searched: bool, count: int) -> None:
    """One audit entry for a list or export of many people: who, when, which
    filter and how many, and no personal data (not even the search term).
    One entry per person shown would drown the log."""
    record_bulk_access(
        model=Person,
        actor=request.user,
        label=f"people register: {what}",
        changes={what: ["", kind], "search": ["", "yes" if searched else "no"], "rows": ["", str(count)]},
    )


# --- Views -------------------------------------------------------------------


def _search(request, kind: str):
    """The filtered people, the search form and the term (from a POST only)."""
    form = SearchForm(request.POST if request.method == "POST" else None)
    people = selectors.people_of_kind(kind, timezone.localdate())
    term = ""
    if form.is_bound and form.is_valid():
        term = form.cleaned_data["q"]
        if term:
            people = selectors.matching(people, term)
    return people, form, term


def _render_list(request, *, kind: str, people, form, term: str):
    # A search shows its first page only: its term cannot travel in a page link.
    searched = request.method == "POST"
    page = Paginator(people, PAGE_SIZE).get_page(1 if searched else request.GET.get("page"))
    day = timezone.localdate()
    rows = [selectors.row_of(person, day) for person in page.object_list]
    record_list_access(request, what="list", kind=kind, searched=bool(term), count=len(rows))
    context = {
        "kind": kind,
        "kinds": list(selectors.KINDS.items()),
        "search_form": form,
        "term": term,
        "page": page,
        "rows": rows,
        "searched": searched,
    }
    if not request.htmx:
        # Outside the register, so outside the leaving rule: the coordinator links or closes each.
        context["unlinked_accounts"] = list(services.unlinked_case_accounts())
    template = "members/people/_search.html" if request.htmx else "members/people/list.html"
    return render(request, template, context, status=400 if form.errors else 200)


def _kind_of(request) -> str:
    return selectors.kind_or_all(request.POST.get("kind") if request.method == "POST" else request.GET.get("kind"))


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def people_list(request):
    kind = _kind_of(request)
    people, form, term = _search(request, kind)
    return _render_list(request, kind=kind, people=people, form=form, term=term)


def _csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would start a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def people_export(request):
    """The list as it is filtered (and searched, when POSTed from a search), as
    CSV for Excel: UTF-8 with a byte order mark, semicolons."""
    kind = _kind_of(request)
    people, form, term = _search(request, kind)
    if form.errors:
        return _render_list(request, kind=kind, people=people, form=form, term=term)
    day = timezone.localdate()
    rows = [selectors.row_of(person, day) for person in people]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="people-{kind}-{day.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("E-mail"),
            _("Phone"),
            _("Address"),
            _("Postcode"),
            _("Town"),
            _("Now"),
            _("To come"),
            _("Left on"),
            _("Fee paid for year"),
            _("Login account"),
        ]
    )
    for row in rows:
        person, account = row.person, row.person.account
        writer.writerow(
            _csv_cell(value)
            for value in (
                person.name,
                person.email,
                person.phone,
                person.address,
                person.postcode,
                person.town,
                ", ".join(row.now),
                ", ".join(row.upcoming),
                row.left_on.isoformat() if row.left_on else "",
                row.fee_paid_for or "",
                _account_summary(account),
            )
        )
    record_list_access(request, what="export", kind=kind, searched=bool(term), count=len(rows))
    return response


def _account_summary(account) -> str:
    if account is None:
        return ""
    state = _("active") if account.is_active else _("deactivated")
    return f"{account.get_role_display()} ({state})"


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        first = data.get("first_engagement")
        membership = {"kind": first, "start": data["start"], "fee_paid_for": data["fee_paid_for"]} if first else None
        person = services.create_person(person=form.instance, first_membership=membership, by=request.user)
        messages.success(request, _("The person is added to the register."))
        return redirect("person_detail", pk=person.pk)
    return render(request, "members/people/person_form.html", {"form": form}, status=400 if form.errors else 200)


def _person(pk) -> Person:
    people = Person.objects.select_related("account", "invitation").prefetch_related(
        *selectors.ENGAGEMENT_RELATIONS.values(), "pledges"
    )
    return get_object_or_404(people, pk=pk)


def end_prefix(key: str, engagement) -> str:
    return f"end-{key}-{engagement.pk}"


def _detail_context(person: Person, *, bound=None, pledge_form=None, access_form=None) -> dict:
    """The person's engagements, each with an end form while it has not ended,
    their pledges and their login access; `bound`, `pledge_form` and
    `access_form` are the forms that were just refused, with what was typed."""
    day = timezone.localdate()
    engagements = []
    for key, engagement in selectors.engagements_of(person):
        prefix = end_prefix(key, engagement)
        form = None
        if engagement.end is None or engagement.end >= day:
            form = bound if bound is not None and bound.prefix == prefix else EndEngagementForm(prefix=prefix)
        if engagement.start > day:
            state = "upcoming"
        elif engagement.is_active(day):
            state = "active"
        else:
            state = "ended"
        engagements.append(
            {"key": key, "engagement": engagement, "what": selectors.describe(engagement), "state": state, "form": form}
        )
    return {
        "person": person,
        "engagements": engagements,
        "warning": selectors.access_warning(person, day),
        "pledges": person.pledges.all(),
        # No date filled in: a pledge is recorded from the signed paper, not by one click.
        "pledge_form": pledge_form or PledgeForm(prefix="pledge"),
        **_access_context(person, day, access_form),
    }


def _access_context(person: Person, day, form) -> dict:
    """The login access part of the person's page: the account, or the open
    invitation and, per role, what stands in the way (members.services.access_blockers)."""
    account = person.account
    invitation = person.invitation
    if invitation is not None and (invitation.used_at or invitation.revoked_at):
        invitation = None
    return {
        "access_form": form or LoginAccessForm(prefix="access"),
        "open_invitation": invitation,
        "valid_hours": settings.INVITATION_VALID_HOURS,
        "account_blockers": (
            services.access_blockers(person, account.role, day) if account and account.is_active else []
        ),
        "role_blockers": [(label, services.invitation_blockers(person, value, day)) for value, label in Role.choices]
        if account is None
        else [],
    }


@requires(may_manage_people)
@require_http_methods(["GET"])
def person_detail(request, pk):
    person = _person(pk)
    record_access(request, person)
    return render(request, "members/people/detail.html", _detail_context(person))


@requires(may_manage_people)
@require_POST
def engagement_end(request, pk, kind, engagement_pk):
    person = _person(pk)
    if kind not in selectors.ENGAGEMENT_MODELS:
        raise Http404
    engagement = get_object_or_404(
        selectors.ENGAGEMENT_MODELS[kind].objects.select_related("person__account"), pk=engagement_pk, person=person
    )
    form = EndEngagementForm(request.POST, prefix=end_prefix(kind, engagement))
    if form.is_valid():
        end = form.cleaned_data["end"]
        try:
            done = services.end_engagement(engagement=engagement, end=end, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The engagement ends on %(date)s.") % {"date": formatting.day(end)})
            for sentence in done:
                messages.info(request, sentence)
            return redirect("person_detail", pk=person.pk)
    person = _person(pk)  # as saved: a refused end changes nothing
    record_access(request, person)
    return render(request, "members/people/detail.html", _detail_context(person, bound=form), status=400)


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = _person(pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.save_person(person=form.instance, by=request.user)
        messages.success(request, _("The contact details are saved."))
        return redirect("person_detail", pk=person.pk)
    record_access(request, person)
    context = {"form": form, "person": person}
    return render(request, "members/people/person_form.html", context, status=400 if form.errors else 200)


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def engagement_create(request, pk):
    person = _person(pk)
    form = EngagementForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        services.add_engagement(person=person, data=form.cleaned_data, by=request.user)
        messages.success(request, _("The engagement is added."))
        return redirect("person_detail", pk=person.pk)
    context = {"form": form, "person": person}
    return render(request, "members/people/engagement_form.html", context, status=400 if form.errors else 200)


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def person_erase(request, pk):
    person = _person(pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.erase_person(person=person, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The person's data is erased. Erasure record %(number)s remains.") % {"number": record.pk},
            )
            return redirect("people_list")
    record_access(request, person)
    day = timezone.localdate()
    context = {
        "person": person,
        "form": form,
        "word": erase_word(),
        "row": selectors.row_of(person, day),
        "counts": {
            key: len(getattr(person, relation).all()) for key, relation in selectors.ENGAGEMENT_RELATIONS.items()
        },
        "pledge_scans": sum(1 for pledge in person.pledges.all() if pledge.scan),
        "supervision_sessions": person.supervision_sessions.count(),
        "erasing_yourself": person.account_id is not None and person.account_id == request.user.pk,
    }
    return render(request, "members/people/erase.html", context, status=400 if form.errors else 200)


# --- The person's confidentiality pledge and login access -----------------------
# Forms on the person's page. A refused form comes back on that page with a
# 400 and what was typed, and records the access as the page does.


def _refused(request, pk, **forms):
    person = _person(pk)
    record_access(request, person)
    return render(request, "members/people/detail.html", _detail_context(person, **forms), status=400)


@requires(may_manage_people)
@require_POST
def pledge_create(request, pk):
    """Record a confidentiality pledge the person signed, with an optional scan."""
    person = _person(pk)
    form = PledgeForm(request.POST, request.FILES, prefix="pledge")
    if not form.is_valid():
        return _refused(request, pk, pledge_form=form)
    data = form.cleaned_data
    services.record_pledge(
        person=person,
        signed_on=data["signed_on"],
        template_version=data["template_version"],
        upload=data.get("scan"),
        by=request.user,
    )
    messages.success(request, _("The confidentiality pledge is recorded."))
    return redirect("person_detail", pk=person.pk)


@requires(may_manage_people)
@require_POST
def pledge_scan_delete(request, pk, pledge_pk):
    """Delete a pledge's stored scan, for a wrong file; the pledge stays."""
    pledge = get_object_or_404(ConfidentialityPledge, pk=pledge_pk, person_id=pk)
    services.delete_pledge_scan(pledge=pledge, by=request.user)
    messages.success(request, _("The stored scan is deleted. The pledge and its date stay."))
    return redirect("person_detail", pk=pk)


@requires(may_manage_people)
@require_GET
def pledge_download(request, pk):
    """A pledge's scan, as a download, for coordinators; the access is recorded."""
    pledge = get_object_or_404(ConfidentialityPledge, pk=pk)
    response = uploads.serve(pledge.scan, f"pledge-{pledge.pk}")  # 404 without a file
    record_access(request, pledge)
    return response


@requires(may_manage_people)
@require_POST
def person_invite(request, pk):
    """Give the person login access: an invitation, refused with its reasons
    while members.services.invitation_blockers names any."""
    person = _person(pk)
    form = LoginAccessForm(request.POST, prefix="access")
    if form.is_valid():
        try:
            services.invite_person(person=person, role=form.cleaned_data["role"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The invitation is on its way. The link works for %(hours)s hours.")
                % {"hours": settings.INVITATION_VALID_HOURS},
            )
            return redirect("person_detail", pk=person.pk)
    return _refused(request, pk, access_form=form)
