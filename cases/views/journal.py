"""Writing in the case journal (cases/journal.py): with htmx the journal part
of the page is swapped in place; without JavaScript a plain POST redirects
back to the page. A refused entry comes back with what was typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jour.access import may_work_cases, requires
from jour.forms import apply_validation_error

from .. import case_page, journal
from ..case_page import visible_case
from ..forms import JournalForm
from ..models import JournalEntry

PARTIAL = "cases/_journal.html"


def _back(case):
    return redirect(reverse("case_detail", args=[case.pk]) + "#journal")


def _page(request, case, *, status=200, extra=None, **forms):
    """The journal part for htmx, the whole page otherwise (a refusal's message above it too)."""
    if request.htmx:
        return case_page.render(request, case, template=PARTIAL, status=status, extra=extra, **forms)
    if status == 400:
        return case_page.render_with_errors(request, case, **forms)
    return case_page.render(request, case, status=status, extra=extra, **forms)


@requires(may_work_cases)
@require_POST
def journal_create(request, pk):
    case = visible_case(request, pk)
    form = JournalForm(request.POST)
    if form.is_valid():
        try:
            journal.write(case=case, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if request.htmx:
                return _page(request, case, extra={"journal_saved": True})
            messages.success(request, _("The journal entry is saved."))
            return _back(case)
    return _page(request, case, status=400, journal_form=form)


@requires(may_work_cases)
@require_POST
def journal_correct(request, pk, entry_pk):
    case = visible_case(request, pk)
    entry = get_object_or_404(JournalEntry, pk=entry_pk, case=case)
    form = JournalForm(request.POST, instance=entry, auto_id=f"correct{entry.pk}_%s")
    if form.is_valid():
        try:
            journal.correct(entry=entry, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if request.htmx:
                return _page(request, case)
            messages.success(request, _("The journal entry is corrected."))
            return _back(case)
    if not journal.may_correct(entry, request.user):
        # The window closed while typing: keep the text in the box for a new entry.
        refused = form.non_field_errors()
        new = JournalForm({"text": request.POST.get("text", "")})
        new.add_error(None, refused[0] if refused else _("The time to correct this entry has passed."))
        return _page(request, case, status=400, journal_form=new)
    return _page(request, case, status=400, correct_form=form)
