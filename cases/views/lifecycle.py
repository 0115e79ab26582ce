"""The personal-data lifecycle of cases: paper in the cabinet, retention and holds,
and the seeker's rights (access, erasure). Scoping as everywhere: a case outside
the user's scope is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jour import formatting
from jour.access import may_manage_cases, may_work_cases, requires

from .. import paper, retention, seeker_archive, seeker_data
from ..case_page import visible_case
from ..forms import EraseSeekerForm, HoldForm, PaperForm
from ..models import Case, PaperRecord, RetentionHold


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@requires(may_work_cases)
@require_POST
def paper_create(request, pk):
    case = visible_case(request, pk)
    form = PaperForm(request.POST)
    if form.is_valid():
        try:
            paper.file_paper(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The paper is recorded as filed in the locked cabinet."))
    else:
        messages.error(request, _("Choose what kind of paper it is and when it was filed."))
    return redirect("case_detail", pk=case.pk)


@requires(may_work_cases)
@require_POST
def paper_shredded(request, pk, record_pk):
    case = visible_case(request, pk)
    record = get_object_or_404(PaperRecord, pk=record_pk, case=case)
    paper.confirm_shredded(record=record, by=request.user)
    messages.success(request, _("The paper is confirmed shredded."))
    if request.POST.get("next") == "shredding_list":
        return redirect("shredding_list")
    return redirect("case_detail", pk=case.pk)


@requires(may_work_cases)
@require_GET
def shredding_list(request):
    """Paper due for shredding: all of it for a coordinator, their own cases' for a support person."""
    records = paper.due_for_shredding().filter(case__in=Case.objects.visible_to(request.user))
    now = timezone.now()
    rows = [(record, (now - record.due_at).days) for record in records]
    return render(request, "cases/shredding_list.html", {"rows": rows})


@requires(may_manage_cases)
@require_GET
def retention_preview(request):
    # What the coming night's run will take: counted at its hour, not at this instant.
    run_at = retention.next_run()
    return render(
        request,
        "cases/retention.html",
        {
            "preview": retention.preview(run_at, page=request.GET.get("page")),
            "run_at": run_at,
            "months": retention.retention_months(),
            "holds": retention.open_holds(),
        },
    )


@requires(may_manage_cases)
@require_POST
def hold_create(request, pk):
    case = visible_case(request, pk)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            retention.hold(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request,
                _("The case is held back from anonymisation until %(day)s.")
                % {"day": formatting.day(form.cleaned_data["until"])},
            )
    else:
        messages.error(request, _("Give a reason and the date until which the data must be kept."))
    return redirect("case_detail", pk=case.pk)


@requires(may_manage_cases)
@require_POST
def hold_release(request, pk):
    found = get_object_or_404(RetentionHold.objects.filter(case__in=Case.objects.visible_to(request.user)), pk=pk)
    retention.release(hold=found, by=request.user)
    messages.success(request, _("The hold is released; the case follows the normal retention period."))
    return redirect("case_detail", pk=found.case_id)


@requires(may_manage_cases)
@require_POST
def seeker_data_archive(request, pk):
    """Build the encrypted archive of the seeker's data and show its passphrase,
    this once; the archive waits in the session for one download."""
    case = visible_case(request, pk)
    prepared = seeker_archive.prepare(request.session, case=case, language=get_language())
    seeker_data.record_export(case=case, by=request.user, fmt="zip")
    context = {
        "case": case,
        "prepared": prepared,
        "file_name": seeker_archive.file_name(case, "zip"),
        "minutes": seeker_archive.VALID_SECONDS // 60,
    }
    response = render(request, "cases/seeker_data_ready.html", context)
    response["Cache-Control"] = "no-store"
    return response


@requires(may_manage_cases)
@require_POST
def seeker_data_download(request, pk):
    """The archive built just before, once, in the session that built it."""
    case = visible_case(request, pk)
    body = seeker_archive.take(request.session, case=case, token=request.POST.get("token", ""))
    if body is None:
        # Downloaded already, expired, or made in another session: say so, not "not found".
        messages.error(
            request,
            _("That file has been downloaded already or is too old. Make a new one: it gets a new passphrase."),
        )
        return redirect("case_detail", pk=case.pk)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{seeker_archive.file_name(case, "zip")}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(may_manage_cases)
@require_http_methods(["GET", "POST"])
def seeker_erase(request, pk):
    case = visible_case(request, pk)
    form = EraseSeekerForm(request.POST or None, number=case.number)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                retention.erase_on_request(case=case, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The seeker's personal data in case %(number)s is erased; the statistics remain.")
                    % {"number": case.number},
                )
                return redirect("case_detail", pk=case.pk)
        status = 400
    context = {"case": case, "form": form, "related": seeker_data.related_cases(case).exclude(pk=case.pk)}
    return render(request, "cases/seeker_erase.html", context, status=status)
