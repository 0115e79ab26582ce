"""The yearly cycle's writes: start a year, assess, mark ready, sign, start a new version.

Views, tasks, commands and seed_demo all go through these functions; the rules
(who may write which field, when a version is frozen) live here and nowhere else.
Reads are in compliance/selectors.py.
"""

import hashlib

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jour import access, formatting, otp, queue, uploads

from . import by_hand, catalogue, content, contradictions, evidence, tasks
from .models import (
    ActionItem,
    ActionPlan,
    AnnualMeeting,
    Answer,
    Assessment,
    AssessmentState,
    AssuranceSending,
    EvidenceDocument,
    EvidenceLink,
    EvidenceRevision,
    FederationSending,
    ReportSubmission,
    Signature,
    Status,
)
from .selectors import answers, can_mark_ready, current, signatures_required

SNAPSHOT_FIELDS = (
    "code",
    "position",
    "group_code",
    "group_title_sv",
    "group_title_en",
    "section",
    "title_sv",
    "title_en",
    "explanation_sv",
    "explanation_en",
    "signal",
)
BOARD_FIELDS = ("status", "comment", "justification", "responsible", "evidence_note", "evidence_date", "review_date")
AUDITOR_FIELDS = ("auditor_verdict", "auditor_comment")
COPIED_FIELDS = (
    "status",
    "comment",
    "responsible_id",
    "evidence_note",
    "evidence_date",
    "review_date",
    "auditor_verdict",
    "auditor_comment",
)


# -- starting a year -------------------------------------------------------


def start_year(*, year: int, by, from_previous: bool = True) -> Assessment:
    """Create version 1 of a year against the newest catalogue revision.

    With `from_previous`, each requirement that last year's newest version also
    had (same code) takes over its comment, responsible person, evidence note
    and linked documents; every status is reset to "not assessed" and nothing
    the auditors wrote is carried over.
    """
    revision = catalogue.current_revision()
    if revision is None:
        raise ValidationError(_("No requirement catalogue is loaded."), code="no_catalogue")
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("Choose a year between 2000 and next year."), code="bad_year")
    previous = current(year - 1) if from_previous else None
    carried = {}
    if previous is not None:
        carried = {a.code: a for a in answers(previous)}
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(year=year, version=1, revision=revision, created_by=by)
            rows = []
            for requirement in revision.requirements.order_by("position"):
                answer = Answer(assessment=assessment, requirement=requirement)
                for field in SNAPSHOT_FIELDS:
                    setattr(answer, field, getattr(requirement, field))
                old = carried.get(requirement.code)
                if old is not None:
                    answer.comment = old.comment
                    answer.responsible = old.responsible
                    answer.evidence_note = old.evidence_note
                rows.append(answer)
            Answer.objects.bulk_create(rows)
            if carried:
                by_code = {a.code: a for a in assessment.answers.all()}
                EvidenceLink.objects.bulk_create(
                    EvidenceLink(answer=by_code[code], document=link.document)
                    for code, old in carried.items()
                    if code in by_code
                    for link in old.links.all()
                )
    except IntegrityError:
        raise ValidationError(_("The assessment of %(year)s has already been started.") % {"year": year}) from None
    return assessment


def new_version(*, assessment: Assessment, by) -> Assessment:
    """Copy a frozen version into a new, editable one. The frozen version stays as it is."""
    with transaction.atomic():
        newest = Assessment.objects.select_for_update().filter(year=assessment.year).order_by("-version").first()
        if newest.pk != assessment.pk:
            raise ValidationError(_("A newer version of this year already exists."), code="not_newest")
        if not newest.frozen:
            raise ValidationError(_("This version is not signed yet: it can still be edited."), code="not_frozen")
        copy = Assessment.objects.create(
            year=newest.year, version=newest.version + 1, revision=newest.revision, previous=newest, created_by=by
        )
        old_answers = list(answers(newest))
        copies = []
        for old in old_answers:
            answer = Answer(assessment=copy, requirement_id=old.requirement_id)
            # A correction keeps everything, the auditors' verdicts included; they sign again anyway.
            for field in SNAPSHOT_FIELDS + COPIED_FIELDS:
                setattr(answer, field, getattr(old, field))
            copies.append(answer)
        Answer.objects.bulk_create(copies)
        by_code = {a.code: a for a in copy.answers.all()}
        EvidenceLink.objects.bulk_create(
            EvidenceLink(answer=by_code[old.code], document=link.document)
            for old in old_answers
            for link in old.links.all()
        )
    return copy


# -- editing ---------------------------------------------------------------


class StaleEdit(Exception):
    """Someone saved the same answer after this edit's copy was loaded."""

    def __init__(self, current: Answer):
        super().__init__("stale answer")
        self.current = current


def _refuse_if_frozen(assessment: Assessment) -> None:
    """Refuse any change to a signed (frozen) version."""
    if assessment.frozen:
        raise ValidationError(
            _("This version has been signed and cannot change. Start a new version to make corrections."),
            code="frozen",
        )


def _check_answer_editable(answer: Answer) -> None:
    _refuse_if_frozen(Assessment.objects.only("content_sha256").get(pk=answer.assessment_id))


def _editable_answer(answer_id: int, lock_version: int) -> Answer:
    answer = Answer.objects.select_for_update().get(pk=answer_id)
    _refuse_if_frozen(Assessment.objects.select_for_update().get(pk=answer.assessment_id))
    if answer.lock_version != lock_version:
        raise StaleEdit(answer)
    return answer


def _save_answer(answer_id: int, lock_version: int, data: dict, by, fields, stamp: str) -> Answer:
    with transaction.atomic():
        answer = _editable_answer(answer_id, lock_version)
        for field in fields:
            if field in data:  # a form shows every field; a caller may leave one as it is
                setattr(answer, field, data[field])
        setattr(answer, f"{stamp}_at", timezone.now())
        setattr(answer, f"{stamp}_by", by)
        answer.lock_version += 1
        answer.save()
    return answer


def save_board_answer(*, answer_id: int, lock_version: int, data: dict, by) -> Answer:
    if not access.may_write_assessment(by):
        raise ValidationError(_("Only the coordinator and the board assess requirements."), code="role")
    return _save_answer(answer_id, lock_version, data, by, BOARD_FIELDS, "updated")


def save_auditor_answer(*, answer_id: int, lock_version: int, data: dict, by) -> Answer:
    if not access.may_audit(by):
        raise ValidationError(_("Only the auditors write their verdict."), code="role")
    return _save_answer(answer_id, lock_version, data, by, AUDITOR_FIELDS, "auditor_updated")


def add_evidence_file(*, answer: Answer, upload, title: str, by, document: EvidenceDocument | None = None):
    """Store an uploaded file as a new document linked to the answer, or as the
    next revision of `document`. Returns the revision."""
    kind = uploads.validate_upload(upload)
    _check_answer_editable(answer)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    size = upload.tell()
    stored = uploads.store(upload, "evidence")
    try:
        with transaction.atomic():
            if document is None:
                document = EvidenceDocument.objects.create(title=title, created_by=by)
            else:
                document = EvidenceDocument.objects.select_for_update().get(pk=document.pk)
            number = (document.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
            revision = EvidenceRevision.objects.create(
                document=document,
                number=number,
                file=stored,
                kind=kind,
                size=size,
                sha256=digest.hexdigest(),
                uploaded_by=by,
            )
            EvidenceLink.objects.get_or_create(answer=answer, document=document)
    except Exception:
        uploads.delete(stored)
        raise
    return revision


def link_document(*, answer: Answer, document: EvidenceDocument) -> None:
    _check_answer_editable(answer)
    EvidenceLink.objects.get_or_create(answer=answer, document=document)


def unlink_document(*, answer: Answer, document: EvidenceDocument) -> None:
    _check_answer_editable(answer)
    EvidenceLink.objects.filter(answer=answer, document=document).delete()


# -- review, readiness and signing -----------------------------------------


def mark_ready(*, assessment: Assessment, by) -> Assessment:
    if not can_mark_ready(by):
        raise ValidationError(_("Only the coordinator or the chair marks the year ready for audit."), code="role")
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.state != AssessmentState.DRAFT:
            raise ValidationError(_("This version is already with the auditors."), code="state")
        unassessed = assessment.answers.filter(status=Status.UNASSESSED).count()
        if unassessed:
            raise ValidationError(
                ngettext(
                    "%(n)s requirement has no status yet: assess every requirement first.",
                    "%(n)s requirements have no status yet: assess every requirement first.",
                    unassessed,
                )
                % {"n": unassessed},
                code="unassessed",
            )
        rows = list(assessment.answers.all())
        found = evidence.evidence_for((a.signal for a in rows), content.evidence_day(assessment.year))
        silent = [a for a in rows if by_hand.needs_comment(a.code, a.signal, a.status, a.comment)]
        if silent:
            raise ValidationError(
                _("Requirements assessed by hand need a comment on how the board knows: %(codes)s.")
                % {"codes": ", ".join(a.code for a in silent)},
                code="by_hand",
            )
        unexplained = contradictions.unexplained(rows, found)
        if unexplained:
            raise ValidationError(
                _(
                    "The board's status differs from the data without a justification: %(codes)s. "
                    "Write why in each of them before the year goes to the auditors."
                )
                % {"codes": ", ".join(a.code for a in unexplained)},
                code="unexplained",
            )
        assessment.state = AssessmentState.READY
        assessment.ready_at = timezone.now()
        assessment.ready_by = by
        assessment.save(update_fields=["state", "ready_at", "ready_by"])
        queue.enqueue_on_commit(tasks.remind_auditors, assessment.pk)
    return assessment


def _check_signable(assessment: Assessment, by) -> None:
    if current(assessment.year).pk != assessment.pk:
        raise ValidationError(_("A newer version of this year exists: sign that one."), code="not_newest")
    if assessment.state not in (AssessmentState.READY, AssessmentState.SIGNING):
        raise ValidationError(_("This version is not ready for audit."), code="state")
    if assessment.answers.filter(status=Status.UNASSESSED).exists():
        raise ValidationError(
            _("Some requirements have no status from the board: the board completes them before signing."),
            code="unassessed",
        )
    if assessment.signatures.filter(auditor=by).exists():
        raise ValidationError(_("You have already signed this version."), code="signed")
    missing = missing_verdicts(assessment)
    if missing:
        raise ValidationError(
            _("Every requirement needs the auditors' verdict before signing. Missing: %(codes)s.")
            % {"codes": ", ".join(missing)},
            code="no_verdict",
        )


def missing_verdicts(assessment: Assessment) -> list[str]:
    """The codes of the requirements the auditors have not given a verdict on."""
    unassessed = assessment.answers.filter(auditor_verdict=Status.UNASSESSED).order_by("position")
    return list(unassessed.values_list("code", flat=True))


def _spend_signing_code(by, code: str) -> None:
    """The code is checked and its outcome committed before the signing transaction
    opens: a refusal inside that transaction would roll back django-otp's failure
    count with it, and guessing would have no limit (SECURITY.md: a counter inside
    the transaction it refuses is no counter)."""
    result = otp.check_totp_code(by, code)
    if result.outcome == otp.CodeCheck.THROTTLED:
        until = formatting.moment(result.locked_until or timezone.now())
        raise ValidationError(
            _("Too many wrong codes: signing is locked, even with the right code, until %(time)s. Try again then.")
            % {"time": until},
            code="otp_throttled",
        )
    if result.outcome != otp.CodeCheck.ACCEPTED:
        raise ValidationError(
            _("The code is not valid. Enter the current six digits from your authenticator app."), code="otp"
        )


def sign(*, assessment: Assessment, by, code: str) -> Signature:
    """An auditor signs a version. A fresh code from the auditor's authenticator
    app is required (a backup code or a code already used does not count). The
    first signature freezes the content; later ones sign that same content.

    Three steps: a version that cannot be signed is refused before any code is
    spent; the code is checked and committed on its own (a wrong one counts
    towards django-otp's lock, a right one is used up); then the signing
    transaction checks the version again under its row lock."""
    if not access.may_audit(by):
        raise ValidationError(_("Only auditors sign the assurance."), code="role")
    _check_signable(Assessment.objects.get(pk=assessment.pk), by)
    _spend_signing_code(by, code)
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _check_signable(assessment, by)
        if not assessment.frozen:
            assessment.frozen_json = content.canonical(content.build(assessment))
            assessment.content_sha256 = hashlib.sha256(assessment.frozen_json.encode()).hexdigest()
            assessment.frozen_at = timezone.now()
        signature = Signature.objects.create(
            assessment=assessment, auditor=by, name=by.name, content_sha256=assessment.content_sha256
        )
        done = assessment.signatures.count() >= signatures_required()
        assessment.state = AssessmentState.SIGNED if done else AssessmentState.SIGNING
        assessment.save(update_fields=["state", "frozen_json", "content_sha256", "frozen_at"])
        if done:
            queue.enqueue_on_commit(tasks.render_assurance, assessment.pk)
    return signature


# -- the action plan and the reports sent ------------------------------------
# The forms have validated and filled in these objects; saving them is the write.


def save_action_plan(*, plan: ActionPlan, by) -> ActionPlan:
    with transaction.atomic(), set_actor(by):
        plan.save()
    return plan


def add_action_item(*, year: int, item: ActionItem, by) -> ActionItem:
    """Add an item to the year's plan, which is made on the first item."""
    with transaction.atomic(), set_actor(by):
        item.plan, _created = ActionPlan.objects.get_or_create(year=year)
        item.save()
    return item


def save_action_item(*, item: ActionItem, by) -> ActionItem:
    with transaction.atomic(), set_actor(by):
        item.save()
    return item


def record_report(*, report: ReportSubmission, by) -> ReportSubmission:
    report.recorded_by = by
    with transaction.atomic(), set_actor(by):
        report.save()
    return report


def record_annual_meeting(*, meeting: AnnualMeeting, by) -> AnnualMeeting:
    meeting.recorded_by = by
    with transaction.atomic(), set_actor(by):
        meeting.save()
    return meeting


def record_federation_sending(*, sending: FederationSending, by) -> FederationSending:
    sending.recorded_by = by
    with transaction.atomic(), set_actor(by):
        sending.save()
    return sending


def record_assurance_sending(*, assessment: Assessment, sending: AssuranceSending, by) -> AssuranceSending:
    """That a signed version's assurance was sent to the federation, when and how
    (G2). Only a signed version, not before its last signature; a later record
    corrects the earlier one (the audit log keeps both)."""
    if assessment.state != AssessmentState.SIGNED:
        raise ValidationError(_("Only a signed assurance can be recorded as sent."), code="not_signed")
    last_signature = assessment.signatures.order_by("-signed_at").values_list("signed_at", flat=True).first()
    if last_signature is not None and sending.sent_on < timezone.localtime(last_signature).date():
        raise ValidationError(_("The assurance cannot have been sent before it was signed."), code="before_signing")
    with transaction.atomic(), set_actor(by):
        recorded, _created = AssuranceSending.objects.update_or_create(
            assessment=assessment,
            defaults={"sent_on": sending.sent_on, "method": sending.method, "note": sending.note, "recorded_by": by},
        )
    return recorded


# --- Erasure of a person (members.signals.erasure_requested) ------------------


def refuse_erasure_of_the_named(sender, person, **kwargs) -> None:
    """A person named in the yearly assessment (responsible for a requirement,
    owner of an action item) is kept: a signed assurance stays as it was signed
    (a legal obligation, GDPR art. 17(3)(b))."""
    years = sorted(
        set(Answer.objects.filter(responsible=person).values_list("assessment__year", flat=True))
        | set(ActionItem.objects.filter(owner=person).values_list("plan__year", flat=True))
    )
    if years:
        raise ValidationError(
            _(
                "This person is named in the minimum-requirement work of %(years)s (responsible for a "
                "requirement or owner of an action item). That record is kept, so the person cannot be erased; "
                "their contact details can be cleared by editing the person instead."
            )
            % {"years": ", ".join(str(y) for y in years)},
            code="named_in_assessment",
        )
