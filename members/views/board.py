"""The board page, board terms and the federation export.

Who is on the board is governance information, not a seeker's data: the
coordinator keeps it up to date, board members and auditors read it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jour import formatting
from jour.access import may_manage_people, may_read_governance, requires

from .. import board as rules
from .. import federation, services
from ..forms.board import BoardTermForm, EndTermForm
from ..models import BoardTerm


@requires(may_read_governance)
@require_GET
def board(request):
    today = timezone.localdate()
    terms = list(BoardTerm.objects.select_related("person"))
    current = sorted((t for t in terms if t.is_active(today)), key=rules.role_sort_key)
    upcoming = sorted((t for t in terms if t.start > today), key=lambda t: (t.start, t.person.name))
    past = [t for t in terms if t.start <= today and not t.is_active(today)]
    past.sort(key=lambda t: (t.end, t.start), reverse=True)
    can_manage = may_manage_people(request.user)
    context = {
        "today": today,
        "current": current,
        "upcoming": upcoming,
        "past": past,
        "rule": rules.coordinator_rule(today),
        "rule_text": rules.RULE_TEXT,
        "can_manage": can_manage,
        "end_form": EndTermForm() if can_manage else None,
        "last_export": federation.last_federation_export(),
        "formats": list(federation.FORMATS),
    }
    return render(request, "members/board/board.html", context)


@requires(may_manage_people)
@require_http_methods(["GET", "POST"])
def board_term_create(request):
    form = BoardTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = services.save_board_term(term=form.instance, by=request.user)
        messages.success(
            request,
            _("%(name)s is on the board as %(role)s.")
            % {"name": term.person.name, "role": term.get_role_display().lower()},
        )
        rule = rules.coordinator_rule()
        if not rule.ok:
            messages.warning(request, rule.reason)
        return redirect("board")
    return render(request, "members/board/term_form.html", {"form": form})


@requires(may_manage_people)
@require_POST
def board_term_end(request, pk):
    term = get_object_or_404(BoardTerm.objects.select_related("person"), pk=pk)
    today = timezone.localdate()
    if term.end is not None and term.end <= today:
        messages.error(request, _("This term has already ended."))
        return redirect("board")
    form = EndTermForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the term stopped."))
        return redirect("board")
    try:
        done = services.end_engagement(engagement=term, end=form.cleaned_data["end"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("board")
    messages.success(
        request,
        _("The board term of %(name)s stops on %(end)s.")
        % {"name": term.person.name, "end": formatting.day(form.cleaned_data["end"])},
    )
    for sentence in done:
        messages.info(request, sentence)
    return redirect("board")


@requires(may_manage_people)
@require_POST
def federation_export(request, fmt):
    if fmt not in federation.FORMATS:
        raise Http404
    today = timezone.localdate()
    rows = federation.build_rows(today)
    data = federation.WRITERS[fmt](rows)
    federation.record_export(by=request.user, fmt=fmt, rows=len(rows), via="web")
    response = HttpResponse(data, content_type=federation.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{federation.filename(fmt, today)}"'
    response["Cache-Control"] = "no-store"
    return response
