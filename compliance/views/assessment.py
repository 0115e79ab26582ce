"""The requirement catalogue and the yearly assessment, for the coordinator,
the board and the auditors. None of these pages shows a seeker's data: the
figures are counts and shares, the evidence is governance documents."""

import json
from decimal import Decimal
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import rules
from jour import formatting, uploads
from jour.access import may_audit, may_read_governance, may_write_assessment, requires
from jour.audit import record_access
from jour.forms import apply_validation_error
from jour.ids import parse_id

from .. import by_hand, catalogue, content, evidence, reminders, selectors, services
from ..contradictions import contradicts
from ..forms import (
    AssuranceSendingForm,
    AuditorAnswerForm,
    BoardAnswerForm,
    EvidenceRevisionForm,
    EvidenceUploadForm,
    LinkDocumentForm,
    SignForm,
    StartYearForm,
)
from ..models import (
    ActionPlan,
    Assessment,
    AssessmentState,
    Assurance,
    AssuranceSending,
    EvidenceDocument,
    EvidenceRevision,
    Status,
)


@requires(may_read_governance)
@require_GET
def requirement_list(request):
    revision = catalogue.current_revision()
    groups = []
    if revision is not None:
        requirements = list(revision.requirements.order_by("position"))
        found = evidence.evidence_for(r.signal for r in requirements)
        for requirement in requirements:
            requirement.evidence = found.get(requirement.signal)
        groups = [(key, list(items)) for key, items in groupby(requirements, key=lambda r: r.group_code)]
    return render(request, "compliance/requirements.html", {"revision": revision, "groups": groups})


# -- the years -------------------------------------------------------------


@requires(may_read_governance)
@require_http_methods(["GET", "POST"])
def assessment_list(request):
    can_start = may_write_assessment(request.user)
    form = StartYearForm(request.POST or None) if can_start else None
    if request.method == "POST":
        if not can_start:
            raise Http404
        if form.is_valid():
            try:
                started = services.start_year(
                    year=form.cleaned_data["year"], by=request.user, from_previous=form.cleaned_data["from_previous"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The assessment of %(year)s is started.") % {"year": started.year})
                return redirect("assessment_detail", started.year)
    rows = selectors.years()
    for row in rows:
        row.due = reminders.assurance_due(row.year)
    return render(request, "compliance/assessment_list.html", {"rows": rows, "form": form})


def _version(year: int, version: int | None) -> Assessment:
    qs = Assessment.objects.filter(year=year).select_related("revision", "ready_by")
    found = qs.filter(version=version).first() if version else qs.order_by("-version").first()
    if found is None:
        raise Http404
    return found


def _requested_version(request) -> int | None:
    return parse_id(request.GET.get("version", ""))


def _figures(assessment: Assessment, frozen: dict | None) -> dict:
    if frozen is not None:
        return frozen["first_contact"]
    return evidence.first_contact_figures(content.evidence_day(assessment.year))


def _percent(figure: dict) -> str:
    # From the counts, as the KPI page computes it (per_mille is rounded half to even).
    return formatting.percent_of(figure["kept"], figure["decided"])


def _allowance_label(priority: str) -> str:
    hours = rules.ALLOWANCE_HOURS[priority]
    if priority == "urgent":
        return _("Urgent (%(hours)s working hours)") % {"hours": hours}
    return _("Normal (%(hours)s working hours)") % {"hours": hours}


@requires(may_read_governance)
@require_GET
def assessment_detail(request, year):
    return render_detail(request, _version(year, _requested_version(request)))


def render_detail(request, assessment: Assessment, *, sending_form=None, status: int = 200):
    """The year's page; ``sending_form``: a refused record of the assurance's sending, shown with its errors."""
    year = assessment.year
    newest = selectors.current(year)
    answers = list(selectors.answers(assessment))
    frozen = json.loads(assessment.frozen_json) if assessment.frozen else None
    if frozen is not None:
        by_code = {r["code"]: r for r in frozen["requirements"]}
        for answer in answers:
            live = by_code.get(answer.code, {}).get("live_evidence")
            answer.live = evidence.Evidence(**live) if live else None
    else:
        found = evidence.evidence_for((a.signal for a in answers), content.evidence_day(year))
        for answer in answers:
            answer.live = found.get(answer.signal)
    for answer in answers:
        answer.contradiction = contradicts(answer.status, answer.live)
        answer.by_hand = by_hand.reason(answer.code, answer.signal)
    groups = [(key, list(items)) for key, items in groupby(answers, key=lambda a: a.group_code)]
    counts = dict.fromkeys(Status.values, 0)
    for answer in answers:
        counts[answer.status] += 1
    figures = _figures(assessment, frozen)
    signatures = list(assessment.signatures.all())
    user = request.user
    is_newest = newest.pk == assessment.pk
    sending = AssuranceSending.objects.filter(assessment=assessment).first()
    can_sign = (
        is_newest
        and may_audit(user)
        and assessment.state in (AssessmentState.READY, AssessmentState.SIGNING)
        and not any(s.auditor_id == user.pk for s in signatures)
    )
    context = {
        "assessment": assessment,
        "is_newest": is_newest,
        "versions": list(selectors.versions(year)),
        "groups": groups,
        "counts": [(Status(value).label, n) for value, n in counts.items()],
        "figures": [
            (_allowance_label("normal"), figures["normal"], _percent(figures["normal"])),
            (_allowance_label("urgent"), figures["urgent"], _percent(figures["urgent"])),
            (_("All"), figures["all"], _percent(figures["all"])),
        ],
        "target": formatting.percent(Decimal(figures["target_per_mille"]) / 1000),
        # A year frozen before contacts at registration were counted apart has no such figure.
        "at_registration": figures["all"].get("at_registration"),
        "signatures": signatures,
        "required": selectors.signatures_required(),
        "plan": ActionPlan.objects.filter(year=year).prefetch_related("items").first(),
        "not_met": counts[Status.NOT_MET] + counts[Status.PARTLY],
        "can_edit_board": may_write_assessment(user) and not assessment.frozen and is_newest,
        "can_edit_auditor": may_audit(user) and not assessment.frozen and is_newest,
        "can_mark_ready": is_newest and assessment.state == AssessmentState.DRAFT and selectors.can_mark_ready(user),
        "can_sign": can_sign,
        "missing_verdicts": [a for a in answers if a.auditor_verdict == Status.UNASSESSED] if can_sign else [],
        "contradictions": [a for a in answers if a.contradiction],
        "can_new_version": is_newest and assessment.frozen and may_write_assessment(user),
        "sign_form": SignForm(),
        "due": reminders.assurance_due(year),
        "assurance": Assurance.objects.filter(assessment=assessment).first(),
        "sending": sending,
        "sending_form": (
            (sending_form or AssuranceSendingForm(instance=sending))
            if assessment.state == AssessmentState.SIGNED and may_write_assessment(user)
            else None
        ),
    }
    return render(request, "compliance/assessment_detail.html", context, status=status)


@requires(may_write_assessment)
@require_POST
def assessment_ready(request, year):
    assessment = _version(year, None)
    try:
        services.mark_ready(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The year is marked ready for audit; the auditors are told."))
    return redirect("assessment_detail", year)


@requires(may_audit)
@require_POST
def assessment_sign(request, year):
    assessment = _version(year, None)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign(assessment=assessment, by=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your signature is recorded. The signed version can no longer change."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("assessment_detail", year)


@requires(may_write_assessment)
@require_POST
def assessment_new_version(request, year):
    assessment = _version(year, None)
    try:
        copy = services.new_version(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessment_detail", year)
    messages.success(
        request,
        _("Version %(new)s is started from version %(old)s, which stays as it was signed.")
        % {"new": copy.version, "old": assessment.version},
    )
    return redirect("assessment_detail", year)


# -- one requirement -------------------------------------------------------


def _live_evidence(assessment: Assessment, answer) -> evidence.Evidence | None:
    """The requirement's evidence from the data: as signed, or as of the year's evidence day."""
    if assessment.frozen:
        signed = {r["code"]: r for r in json.loads(assessment.frozen_json)["requirements"]}
        live = signed.get(answer.code, {}).get("live_evidence")
        return evidence.Evidence(**live) if live else None
    return evidence.evidence(answer.signal, content.evidence_day(assessment.year))


def _answer(assessment: Assessment, code: str):
    answer = selectors.answers(assessment).filter(code=code).first()
    if answer is None:
        raise Http404
    return answer


@requires(may_read_governance)
@require_http_methods(["GET", "POST"])
def answer_edit(request, year, code):
    assessment = _version(year, _requested_version(request))
    answer = _answer(assessment, code)
    user = request.user
    editable = not assessment.frozen and selectors.current(year).pk == assessment.pk
    form_class = None
    if editable and may_write_assessment(user):
        form_class = BoardAnswerForm
    elif editable and may_audit(user):
        form_class = AuditorAnswerForm
    live = _live_evidence(assessment, answer)
    kwargs = {"year": year, "live": live} if form_class is BoardAnswerForm else {}
    form = form_class(request.POST or None, instance=answer, **kwargs) if form_class else None
    conflict = None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            save = services.save_board_answer if form_class is BoardAnswerForm else services.save_auditor_answer
            try:
                save(
                    answer_id=answer.pk,
                    lock_version=form.cleaned_data["lock_version"],
                    data=form.cleaned_data,
                    by=user,
                )
            except services.StaleEdit as stale:
                conflict = stale.current
                form.add_error(
                    None,
                    _(
                        "Someone else saved this requirement while you were editing. Your text is kept below; "
                        "compare it with what is saved now and save again."
                    ),
                )
                form.data = form.data.copy()
                form.data["lock_version"] = str(conflict.lock_version)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("%(code)s is saved.") % {"code": answer.code})
                return redirect(reverse("assessment_detail", args=[year]) + f"#req-{answer.code}")
    can_evidence = editable and may_write_assessment(user)
    linked = [link.document for link in answer.links.all()]
    context = {
        "assessment": assessment,
        "answer": answer,
        "form": form,
        "conflict": conflict,
        "linked": linked,
        # One form per document row, each with ids of its own (a label must point at its own field).
        "revision_forms": [
            (document, EvidenceRevisionForm(auto_id=f"id_revision{document.pk}_%s") if can_evidence else None)
            for document in linked
        ],
        "live": live,
        "by_hand": by_hand.reason(answer.code, answer.signal),
        "contradiction": contradicts(answer.status, live),
        "can_evidence": can_evidence,
        "upload_form": EvidenceUploadForm() if can_evidence else None,
        "link_form": (
            LinkDocumentForm(queryset=EvidenceDocument.objects.exclude(pk__in=[d.pk for d in linked]))
            if can_evidence
            else None
        ),
    }
    return render(request, "compliance/answer_edit.html", context)


def _editable_answer_for_evidence(request, year, code):
    assessment = _version(year, None)
    if assessment.frozen:
        messages.error(request, _("This version has been signed and cannot change. Start a new version first."))
        return None
    return _answer(assessment, code)


@requires(may_write_assessment)
@require_POST
def evidence_upload(request, year, code):
    answer = _editable_answer_for_evidence(request, year, code)
    if answer is None:
        return redirect("assessment_detail", year)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence_file(
                answer=answer, upload=form.cleaned_data["file"], title=form.cleaned_data["title"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document is stored and linked to %(code)s.") % {"code": code})
    else:
        messages.error(request, _("Give the document a title and choose a file."))
    return redirect("answer_edit", year, code)


@requires(may_write_assessment)
@require_POST
def evidence_new_revision(request, year, code, document):
    answer = _editable_answer_for_evidence(request, year, code)
    if answer is None:
        return redirect("assessment_detail", year)
    doc = get_object_or_404(EvidenceDocument, pk=document, links__answer=answer)
    form = EvidenceRevisionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            revision = services.add_evidence_file(
                answer=answer, upload=form.cleaned_data["file"], title=doc.title, by=request.user, document=doc
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Revision %(n)s of the document is stored; earlier ones are kept.") % {"n": revision.number}
            )
    else:
        messages.error(request, _("Choose a file."))
    return redirect("answer_edit", year, code)


@requires(may_write_assessment)
@require_POST
def evidence_link(request, year, code):
    answer = _editable_answer_for_evidence(request, year, code)
    if answer is None:
        return redirect("assessment_detail", year)
    form = LinkDocumentForm(request.POST, queryset=EvidenceDocument.objects.all())
    if form.is_valid():
        try:
            services.link_document(answer=answer, document=form.cleaned_data["document"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document is linked."))
    else:
        messages.error(request, _("Choose a document."))
    return redirect("answer_edit", year, code)


@requires(may_write_assessment)
@require_POST
def evidence_unlink(request, year, code, document):
    answer = _editable_answer_for_evidence(request, year, code)
    if answer is None:
        return redirect("assessment_detail", year)
    doc = get_object_or_404(EvidenceDocument, pk=document, links__answer=answer)
    try:
        services.unlink_document(answer=answer, document=doc)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is no longer linked here; it stays stored for other years."))
    return redirect("answer_edit", year, code)


@requires(may_read_governance)
@require_GET
def evidence_download(request, pk):
    revision = get_object_or_404(EvidenceRevision.objects.select_related("document"), pk=pk)
    record_access(request, revision)
    return uploads.serve(revision.file, f"evidence-{revision.document_id}-r{revision.number}")
