"""The people register: members, supporting members, employees, volunteers and
the board, with their contact details. Coordinators only.

No personal data travels in a URL: the search term is POSTed (and never
redirected to a GET); the kind filters, which are not personal data, are GET
parameters. Every page and export that shows contact details records the access.
"""

import csv
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Replace
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jour.access import may_manage_people, requires
from jour.audit import record_access, record_bulk_access
from jour.forms import apply_validation_error

from . import services
from .models import BoardTerm, Employment, Membership, MembershipKind, Person, VolunteerAssignment, active_on
from .people_forms import (
    EMPLOYMENT,
    PHONE_CHARACTERS,
    EndEngagementForm,
    EngagementForm,
    EraseForm,
    PersonCreateForm,
    PersonForm,
    SearchForm,
    erase_word,
    phone_digits,
)

PAGE_SIZE = 100

# The list's filters: what a person does for the jour today, or that they have left.
KINDS = {
    "all": gettext_lazy("Everyone"),
    "members": gettext_lazy("Members"),
    "supporting": gettext_lazy("Supporting members"),
    "employees": gettext_lazy("Employees"),
    "volunteers": gettext_lazy("Volunteers"),
    "board": gettext_lazy("Board"),
    "left": gettext_lazy("Have left"),
}

# Engagements by the name they have in URLs.
ENGAGEMENT_MODELS = {
    "membership": Membership,
    "employment": Employment,
    "volunteer": VolunteerAssignment,
    "board": BoardTerm,
}
ENGAGEMENT_RELATIONS = {
    "membership": "memberships",
    "employment": "employments",
    "volunteer": "volunteering",
    "board": "board_terms",
}
REQUIREMENT_NAMES = {
    Employment: gettext_lazy("employment"),
    VolunteerAssignment: gettext_lazy("volunteer assignment"),
    BoardTerm: gettext_lazy("board term"),
}


# --- Selectors ---------------------------------------------------------------


def _kind(value) -> str:
    return value if value in KINDS else "all"


def people_of_kind(kind: str, day: date):
    """People filtered by what they do on `day`, each with every engagement
    prefetched: a constant number of queries however many people there are."""
    people = Person.objects.select_related("account").prefetch_related(*ENGAGEMENT_RELATIONS.values())

    def holding(model, condition=None, **extra):
        condition = active_on(day) if condition is None else condition
        return Exists(model.objects.filter(condition, person=OuterRef("pk"), **extra))

    if kind == "members":
        return people.filter(holding(Membership, kind=MembershipKind.MEMBER))
    if kind == "supporting":
        return people.filter(holding(Membership, kind=MembershipKind.SUPPORTING))
    if kind == "employees":
        return people.filter(holding(Employment))
    if kind == "volunteers":
        return people.filter(holding(VolunteerAssignment))
    if kind == "board":
        return people.filter(holding(BoardTerm))
    if kind == "left":
        # Had an engagement, and has none now or to come.
        now_or_later = Q(end__isnull=True) | Q(end__gte=day)
        any_engagement = Q()
        current = Q()
        for model in ENGAGEMENT_MODELS.values():
            any_engagement |= Q(holding(model, Q()))
            current |= Q(holding(model, now_or_later))
        return people.filter(any_engagement).exclude(current)
    return people


def _digits_of(field: str):
    """The field with the usual phone-number punctuation removed, in SQL."""
    expression = F(field)
    for character in (" ", "-", "(", ")", "/", "+", "."):
        expression = Replace(expression, Value(character), Value(""))
    return expression


def _phone_core(term: str) -> str:
    """The digits of a phone number without country code or leading zero, so
    that 070-123 45 67 and +46 70 123 45 67 find each other."""
    if not PHONE_CHARACTERS.match(term):
        return ""
    digits = phone_digits(term)
    for prefix in ("0046", "46") if term.startswith(("+", "00")) else ():
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    digits = digits.lstrip("0")
    return digits if len(digits) >= 4 else ""


def matching(people, term: str):
    """People whose name holds every word of `term`, or whose e-mail address
    holds `term`, or whose phone number holds its digits."""
    by_name = Q()
    for word in term.split():
        by_name &= Q(name__icontains=word)
    condition = by_name | Q(email__icontains=term)
    core = _phone_core(term)
    if core:
        people = people.annotate(phone_digits=_digits_of("phone"))
        condition |= Q(phone_digits__contains=core)
    return people.filter(condition)


# --- What a person is --------------------------------------------------------


def describe(engagement) -> str:
    if isinstance(engagement, Membership):
        return engagement.get_kind_display()
    if isinstance(engagement, Employment):
        return _("Employee: %(title)s") % {"title": engagement.title}
    if isinstance(engagement, VolunteerAssignment):
        roles = []
        if engagement.support_person:
            roles.append(_("support person"))
        if engagement.witness_supporter:
            roles.append(_("witness supporter"))
        return _("Volunteer: %(roles)s") % {"roles": ", ".join(roles)}
    return _("Board: %(role)s") % {"role": engagement.get_role_display()}


def engagements_of(person: Person) -> list[tuple[str, object]]:
    """Every engagement of a prefetched person, as (URL kind, engagement), newest first."""
    found = [(key, e) for key, relation in ENGAGEMENT_RELATIONS.items() for e in getattr(person, relation).all()]
    return sorted(found, key=lambda pair: pair[1].start, reverse=True)


@dataclass
class PersonRow:
    person: Person
    now: list[str]
    upcoming: list[str]
    left_on: date | None
    fee_paid_for: int | None


def row_of(person: Person, day: date) -> PersonRow:
    engagements = [e for _key, e in engagements_of(person)]
    now = [describe(e) for e in engagements if e.is_active(day)]
    upcoming = [
        _("%(what)s from %(date)s") % {"what": describe(e), "date": e.start.isoformat()}
        for e in engagements
        if e.start > day
    ]
    left_on = None
    if engagements and not now and not upcoming:
        left_on = max(e.end for e in engagements)
    fees = [m.fee_paid_for for m in person.memberships.all() if m.fee_paid_for]
    return PersonRow(person, now, upcoming, left_on, max(fees) if fees else None)


def access_warning(person: Person, day: date) -> str:
    """Why the person's account will be closed by the nightly check, if it will."""
    account = person.account
    if account is None or not account.is_active or services.still_entitled(person, account.role, day):
        return ""
    needs = " / ".join(str(REQUIREMENT_NAMES[model]) for model in services.ACCESS_REQUIRES[account.role])
    return _(
        "The linked login account is a %(role)s account, which stays open only while the person has an "
        "active %(needs)s. Without one, the account is closed at the nightly check."
    ) % {"role": account.get_role_display().lower(), "needs": needs}


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
    people = people_of_kind(kind, timezone.localdate())
    term = ""
    if form.is_bound and form.is_valid():
        term = form.cleaned_data["q"]
        if term:
            people = matching(people, term)
    return people, form, term


def _render_list(request, *, kind: str, people, form, term: str):
    # A search shows its first page only: its term cannot travel in a page link.
    searched = request.method == "POST"
    page = Paginator(people, PAGE_SIZE).get_page(1 if searched else request.GET.get("page"))
    day = timezone.localdate()
    rows = [row_of(person, day) for person in page.object_list]
    record_list_access(request, what="list", kind=kind, searched=bool(term), count=len(rows))
    context = {
        "kind": kind,
        "kinds": list(KINDS.items()),
        "search_form": form,
        "term": term,
        "page": page,
        "rows": rows,
        "searched": searched,
    }
    template = "members/people/_search.html" if request.htmx else "members/people/list.html"
    return render(request, template, context, status=400 if form.errors else 200)


def _kind_of(request) -> str:
    return _kind(request.POST.get("kind") if request.method == "POST" else request.GET.get("kind"))


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
    rows = [row_of(person, day) for person in people]
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


def _create_person(*, data: dict, form: PersonCreateForm) -> Person:
    with transaction.atomic():
        person = form.save()
        if data.get("first_engagement"):
            Membership.objects.create(
                person=person, kind=data["first_engagement"], start=data["start"], fee_paid_for=data["fee_paid_for"]
            )
    return person


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _create_person(data=form.cleaned_data, form=form)
        messages.success(request, _("The person is added to the register."))
        return redirect("person_detail", pk=person.pk)
    return render(request, "members/people/person_form.html", {"form": form}, status=400 if form.errors else 200)


def _person(pk) -> Person:
    people = Person.objects.select_related("account").prefetch_related(*ENGAGEMENT_RELATIONS.values())
    return get_object_or_404(people, pk=pk)


def end_prefix(key: str, engagement) -> str:
    return f"end-{key}-{engagement.pk}"


def _detail_context(person: Person, *, bound=None) -> dict:
    """The person's engagements, each with an end form while it has not ended;
    `bound` is the end form that was just refused, with what was typed."""
    day = timezone.localdate()
    engagements = []
    for key, engagement in engagements_of(person):
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
            {"key": key, "engagement": engagement, "what": describe(engagement), "state": state, "form": form}
        )
    return {"person": person, "engagements": engagements, "warning": access_warning(person, day)}


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
    if kind not in ENGAGEMENT_MODELS:
        raise Http404
    engagement = get_object_or_404(
        ENGAGEMENT_MODELS[kind].objects.select_related("person__account"), pk=engagement_pk, person=person
    )
    form = EndEngagementForm(request.POST, prefix=end_prefix(kind, engagement))
    if form.is_valid():
        end = form.cleaned_data["end"]
        try:
            done = services.end_engagement(engagement=engagement, end=end, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The engagement ends on %(date)s.") % {"date": end.isoformat()})
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
        form.save()
        messages.success(request, _("The contact details are saved."))
        return redirect("person_detail", pk=person.pk)
    record_access(request, person)
    context = {"form": form, "person": person}
    return render(request, "members/people/person_form.html", context, status=400 if form.errors else 200)


def _add_engagement(*, person: Person, data: dict):
    common = {"person": person, "start": data["start"], "end": data["end"]}
    if data["what"] == EMPLOYMENT:
        return Employment.objects.create(title=data["title"], **common)
    return Membership.objects.create(kind=data["what"], fee_paid_for=data["fee_paid_for"], **common)


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def engagement_create(request, pk):
    person = _person(pk)
    form = EngagementForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        _add_engagement(person=person, data=form.cleaned_data)
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
        "row": row_of(person, day),
        "counts": {key: len(getattr(person, relation).all()) for key, relation in ENGAGEMENT_RELATIONS.items()},
        "pledge_scans": sum(1 for v in person.volunteering.all() if v.pledge_scan),
        "supervision_sessions": person.supervision_sessions.count(),
        "erasing_yourself": person.account_id is not None and person.account_id == request.user.pk,
    }
    return render(request, "members/people/erase.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("", people_list, name="people_list"),
    path("export.csv", people_export, name="people_export"),
    path("new/", person_create, name="person_create"),
    path("<int:pk>/", person_detail, name="person_detail"),
    path("<int:pk>/edit/", person_edit, name="person_edit"),
    path("<int:pk>/engagements/new/", engagement_create, name="engagement_create"),
    path("<int:pk>/engagements/<slug:kind>/<int:engagement_pk>/end/", engagement_end, name="engagement_end"),
    path("<int:pk>/erase/", person_erase, name="person_erase"),
]
