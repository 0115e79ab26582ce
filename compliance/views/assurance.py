"""The assurance: its progress, the sealed PDF, its JSON record, that it was
sent to the federation, and checking a file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jour import uploads
from jour.access import may_read_governance, may_write_assessment, requires
from jour.audit import record_access
from jour.forms import apply_validation_error

from .. import assurance, seal, services
from ..forms import AssuranceSendingForm
from ..models import Assurance
from .assessment import _version, render_detail


def _assurance(year, version) -> Assurance:
    return get_object_or_404(
        Assurance.objects.select_related("assessment"), assessment__year=year, assessment__version=version
    )


@requires(may_read_governance)
@require_GET
def assurance_status(request, year, version):
    """The htmx partial that shows progress until the PDF is ready."""
    assessment = _version(year, version)
    found = Assurance.objects.filter(assessment=assessment).first()
    return render(request, "compliance/_assurance_status.html", {"assessment": assessment, "assurance": found})


@requires(may_read_governance)
@require_GET
def assurance_pdf(request, year, version):
    found = _assurance(year, version)
    record_access(request, found)
    return uploads.serve(found.pdf, f"assurance-{year}-v{version}")


@requires(may_read_governance)
@require_GET
def assurance_json(request, year, version):
    found = _assurance(year, version)
    record_access(request, found)
    response = HttpResponse(found.document_json.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="assurance-{year}-v{version}.json"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(may_write_assessment)
@require_POST
def assurance_sent(request, year, version):
    """Record when and how the signed assurance was sent to the federation (G2)."""
    assessment = _version(year, version)
    form = AssuranceSendingForm(request.POST)
    if form.is_valid():
        try:
            services.record_assurance_sending(assessment=assessment, sending=form.instance, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The sending of the assurance is recorded."))
            return redirect(reverse("assessment_detail", args=[year]) + f"?version={version}#assurance-sent")
    # The page again, with what was typed and the error beside the form, not above the fold.
    return render_detail(request, assessment, sending_form=form, status=400)


@requires(may_read_governance)
@require_http_methods(["GET", "POST"])
def assurance_verify(request):
    result = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the PDF file to check.")
        elif upload.size > uploads.DEFAULT_MAX_BYTES:
            error = _("The file is too large to be an assurance (more than %(mb)s MB).") % {
                "mb": uploads.DEFAULT_MAX_MB
            }
        else:
            result = assurance.verify(upload.read())
    return render(request, "compliance/verify.html", {"result": result, "error": error, "fingerprint": _fingerprint()})


def _fingerprint() -> str | None:
    try:
        return seal.fingerprint()
    except seal.SealMissing:
        return None
