"""The auditors' assurance as a file: render, seal, store, verify.

The PDF is PDF/A-3b, made by WeasyPrint from the signed record, with the
record's canonical JSON embedded as an attachment; pyHanko then seals the
finished file with the jour's key (a PAdES signature over the whole file).
"""

import hashlib
import io
import json
import logging
from dataclasses import dataclass, field

import pypdf
import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from jour import pdf

from . import content, seal
from .models import Assessment, AssessmentState, Assurance, Status

logger = logging.getLogger(__name__)
SEAL_FIELD = "Sigill"


def pdf_name(year: int) -> str:
    return f"assurance-{year}.pdf"


def json_name(year: int) -> str:
    return f"assurance-{year}.json"


def render_pdf(assessment: Assessment, document_json: str) -> bytes:

    record = json.loads(document_json)
    body = record["content"]
    statuses = dict(Status.choices)
    with override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "compliance/assurance_pdf.html",
            {
                "record": record,
                "body": body,
                "statuses": {key: str(label) for key, label in statuses.items()},
                "fingerprint": seal.fingerprint(),
                "year": assessment.year,
            },
        )
    attachment = weasyprint.Attachment(
        string=document_json.encode(),
        name=json_name(assessment.year),
        description="Canonical JSON of the signed assessment",
        relationship="Source",
    )
    return pdf.render(
        html,
        stylesheets=("compliance/assurance_pdf.css",),
        pdf_variant="pdf/a-3b",
        attachments=[attachment],
        pdf_identifier=record["content_sha256"][:32].encode(),
    )


def seal_pdf(pdf: bytes) -> bytes:

    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason="Revisorernas intyg om minimikraven",
        location=settings.JOUR_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.sign_pdf(writer, meta, signer=seal.signer()).getvalue()


def produce(assessment_id: int) -> Assurance | None:
    """Render and seal the assurance of a signed version, once.

    Rendering takes seconds and holds no transaction: on SQLite (make run) a write
    transaction held that long shuts every other writer out ("database is locked").
    A signed version no longer changes, so the file is made from a plain read and
    recorded in a short transaction that checks again, with the row locked, that no
    other worker got there first; a worker that lost deletes its file. A worker
    killed midway leaves no row, and the next run starts over (and removes the file
    such a worker may have stored but not recorded).
    """
    assessment = Assessment.objects.get(pk=assessment_id)
    if assessment.state != AssessmentState.SIGNED:
        return None
    existing = Assurance.objects.filter(assessment=assessment).first()
    if existing is not None:
        _remove_unrecorded(existing)
        return existing
    document_json = content.canonical(content.document(assessment))
    pdf = seal_pdf(render_pdf(assessment, document_json))
    name = f"{_file_prefix(assessment)}{hashlib.sha256(pdf).hexdigest()[:16]}.pdf"
    stored = default_storage.save(name, ContentFile(pdf))
    try:
        assurance = _record(assessment_id, document_json, stored, pdf)
    except Exception:
        default_storage.delete(stored)
        raise
    if assurance is None or assurance.pdf.name != stored:
        default_storage.delete(stored)  # not signed any more, or another worker's file was recorded first
        return assurance
    _remove_unrecorded(assurance)
    logger.info("Assurance %s rendered for assessment %s", assurance.pk, assessment_id)
    return assurance


def _file_prefix(assessment: Assessment) -> str:
    return f"assurances/{assessment.year}-v{assessment.version}-"


def _remove_unrecorded(assurance: Assurance) -> None:
    """A worker killed between storing its file and recording it left a file no row
    names: once this version's PDF is recorded, that one is the only file it has."""
    folder, start = _file_prefix(assurance.assessment).rsplit("/", 1)
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{folder}/{name}"
        if name.startswith(start) and path != assurance.pdf.name:
            default_storage.delete(path)
            logger.warning("Removed an assurance file no record named (assessment %s)", assurance.assessment_id)


def _record(assessment_id: int, document_json: str, stored: str, pdf: bytes) -> Assurance | None:
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
        if assessment.state != AssessmentState.SIGNED:
            return None
        existing = Assurance.objects.filter(assessment=assessment).first()
        if existing is not None:
            return existing
        return Assurance.objects.create(
            assessment=assessment,
            document_json=document_json,
            document_sha256=hashlib.sha256(document_json.encode()).hexdigest(),
            pdf=stored,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )


def pending_ids() -> list[int]:
    """Signed versions whose PDF is not made yet (a down broker, a killed worker)."""
    return list(
        Assessment.objects.filter(state=AssessmentState.SIGNED, assurance__isnull=True).values_list("pk", flat=True)
    )


# -- verification ----------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Verification:
    checks: list[Check] = field(default_factory=list)
    year: int | None = None
    version: int | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.checks.append(Check(name, ok, detail))
        return ok


def _padding_is_clean(contents: bytes) -> bool:
    """The signature's /Contents is a DER structure followed by zero padding;
    anything else in the padding is a change the signature itself does not see."""
    if len(contents) < 2 or contents[0] != 0x30:
        return False
    if contents[1] < 0x80:
        length, start = contents[1], 2
    else:
        n = contents[1] & 0x7F
        length, start = int.from_bytes(contents[2 : 2 + n], "big"), 2 + n
    return not any(contents[start + length :])


def _check_seal(data: bytes, result: Verification) -> bool:

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception as error:  # not a PDF, or one broken beyond reading
        return result.add(
            "seal", False, _("The file cannot be read as a PDF (%(error)s).") % {"error": type(error).__name__}
        )
    if len(signatures) != 1:
        return result.add("seal", False, _("Expected exactly one seal, found %(n)s.") % {"n": len(signatures)})
    embedded = signatures[0]
    try:
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[seal.trust_root()]))
    except seal.SealMissing:
        return result.add("seal", False, _("The jour's seal certificate is not installed on this server."))
    except Exception as error:
        return result.add(
            "seal", False, _("The seal could not be checked (%(error)s).") % {"error": type(error).__name__}
        )
    problems = []
    if not status.intact:
        problems.append(_("the file was changed after it was sealed"))
    if not status.valid:
        problems.append(_("the seal's signature is not valid"))
    if not status.trusted:
        problems.append(_("the seal was not made with this jour's key"))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(_("something was added to the file after the seal"))
    if not _padding_is_clean(bytes(embedded.sig_object["/Contents"])):
        problems.append(_("the seal's data was altered"))
    if problems:
        text = "; ".join(problems)
        return result.add("seal", False, text[:1].upper() + text[1:] + ".")
    return result.add("seal", True, _("Sealed with the jour's key (certificate %(fp)s).") % {"fp": seal.fingerprint()})


def _embedded_json(data: bytes, result: Verification) -> bytes | None:

    try:
        attachments = pypdf.PdfReader(io.BytesIO(data)).attachments
        names = [n for n in attachments if n.startswith("assurance-") and n.endswith(".json")]
    except Exception:
        names = []
    if len(names) != 1:
        result.add("json", False, _("The PDF does not carry exactly one assurance JSON attachment."))
        return None
    raw = attachments[names[0]][0]
    try:
        parsed = json.loads(raw.decode())
    except (UnicodeDecodeError, ValueError):
        result.add("json", False, _("The embedded JSON cannot be read."))
        return None
    if content.canonical(parsed).encode() != raw:
        result.add("json", False, _("The embedded JSON is not in canonical form."))
        return None
    result.add("json", True, _("The PDF carries the record as canonical JSON (%(name)s).") % {"name": names[0]})
    return raw


def _pdf_text(data: bytes) -> str | None:
    """The PDF's text without white space, or None when a page cannot be read."""

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)
    except Exception:  # a damaged file is a failed check, not a crash
        return None


def verify(data: bytes) -> Verification:
    """Every check an assurance PDF must pass; each one reported, none skipped
    because an earlier one failed unless it cannot run at all."""
    result = Verification()
    _check_seal(data, result)
    raw = _embedded_json(data, result)
    if raw is None:
        return result
    record = json.loads(raw.decode())
    body = record.get("content") if isinstance(record, dict) else None
    if not isinstance(body, dict) or not isinstance(record.get("signatures", []), list):
        result.add("json", False, _("The embedded JSON is not an assurance record."))
        return result
    digest = hashlib.sha256(content.canonical(body).encode()).hexdigest()
    claimed = record.get("content_sha256", "")
    signatures = record.get("signatures") or []
    hash_ok = digest == claimed and all(isinstance(s, dict) and s.get("content_sha256") == digest for s in signatures)
    result.add(
        "hash",
        hash_ok,
        _("The content's SHA-256 is %(digest)s.") % {"digest": digest}
        if hash_ok
        else _("The content does not match the SHA-256 it claims."),
    )
    printed = digest in (_pdf_text(data) or "")
    result.add(
        "printed_hash",
        printed,
        _("The SHA-256 printed in the PDF matches the content.")
        if printed
        else _("The PDF does not print the content's SHA-256."),
    )
    year, version = body.get("year"), body.get("version")
    if not (isinstance(year, int) and isinstance(version, int)) or isinstance(year, bool) or isinstance(version, bool):
        result.add("record", False, _("The embedded JSON names no valid year and version."))
        return result
    result.year, result.version = year, version
    stored = (
        Assurance.objects.filter(assessment__year=result.year, assessment__version=result.version)
        .select_related("assessment")
        .first()
    )
    if stored is None:
        result.add("record", False, _("This jour holds no signed record for that year and version."))
        return result
    same_json = stored.document_json.encode() == raw and stored.assessment.content_sha256 == digest
    result.add(
        "record",
        same_json,
        _("The embedded JSON is identical to the record signed on this server.")
        if same_json
        else _("The embedded JSON differs from the record signed on this server."),
    )
    same_file = hashlib.sha256(data).hexdigest() == stored.pdf_sha256
    result.add(
        "file",
        same_file,
        _("The file is byte for byte the one this server produced.")
        if same_file
        else _("The file is not byte for byte the one this server produced."),
    )
    return result
