"""The federation's minimum requirements, as versioned data.

A revision of the catalogue is loaded once from a JSON file and never changed
afterwards: a year's assessment points at the revision it was made against,
and nothing a past year points at may be deleted (PROTECT, never CASCADE).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _in_language(sv: str, en: str) -> str:
    return en if (get_language() or "sv").startswith("en") and en else sv


class CatalogueRevision(models.Model):
    revision = models.DateField(_("revision"), unique=True, help_text=_("The date the federation adopted it."))
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    source = models.CharField(max_length=300)
    content_sha256 = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-revision"]

    def __str__(self):
        return f"minimum requirements {self.revision.isoformat()}"

    @property
    def title(self) -> str:
        return _in_language(self.title_sv, self.title_en)


class Requirement(models.Model):
    revision = models.ForeignKey(CatalogueRevision, on_delete=models.PROTECT, related_name="requirements")
    code = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField()
    group_code = models.CharField(max_length=30)
    group_title_sv = models.CharField(max_length=120)
    group_title_en = models.CharField(max_length=120)
    section = models.CharField(max_length=120)
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    explanation_sv = models.TextField()
    explanation_en = models.TextField()
    # The live evidence the system computes for this requirement, if any.
    signal = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["revision", "position"]
        constraints = [models.UniqueConstraint(fields=["revision", "code"], name="requirement_code_once_per_revision")]

    def __str__(self):
        return f"{self.code} ({self.revision_id})"

    @property
    def title(self) -> str:
        return _in_language(self.title_sv, self.title_en)

    @property
    def explanation(self) -> str:
        return _in_language(self.explanation_sv, self.explanation_en)

    @property
    def group_title(self) -> str:
        return _in_language(self.group_title_sv, self.group_title_en)


# ---------------------------------------------------------------------------
# The yearly assessment
#
# A year has one or more versions. Version 1 is the board's working copy; the
# first auditor's signature freezes a version (its content is written down as
# canonical JSON with its SHA-256), and any change after that starts a new
# version, leaving the signed one exactly as signed.


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Being assessed")
    READY = "ready", _("Ready for audit")
    SIGNING = "signing", _("Being signed")
    SIGNED = "signed", _("Signed")


class Assessment(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    revision = models.ForeignKey(CatalogueRevision, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(_("state"), max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version this one was copied from.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey("jour.User", null=True, on_delete=models.PROTECT, related_name="+")
    ready_at = models.DateTimeField(null=True, blank=True)
    ready_by = models.ForeignKey("jour.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Written once, at the first signature; never changed afterwards.
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_json = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="assessment_version_once")]

    def __str__(self):
        return f"assessment {self.year} v{self.version}"

    @property
    def frozen(self) -> bool:
        return bool(self.content_sha256)


class FrozenError(Exception):
    """A signed (frozen) assessment was about to change."""


class Status(models.TextChoices):
    UNASSESSED = "unassessed", _("Not assessed")
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class _GuardedAgainstFreeze(models.Model):
    """Rows of a frozen assessment refuse to be saved or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_not_frozen()
        return super().delete(*args, **kwargs)

    def _assessment_id(self):
        raise NotImplementedError

    def _check_not_frozen(self):
        pk = self._assessment_id()
        if pk and Assessment.objects.filter(pk=pk).exclude(content_sha256="").exists():
            raise FrozenError(f"assessment {pk} is signed")


class Answer(_GuardedAgainstFreeze):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="answers")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="answers")
    # The requirement as it read when the year started.
    code = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField()
    group_code = models.CharField(max_length=30)
    group_title_sv = models.CharField(max_length=120)
    group_title_en = models.CharField(max_length=120)
    section = models.CharField(max_length=120)
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    explanation_sv = models.TextField()
    explanation_en = models.TextField()
    signal = models.CharField(max_length=40, blank=True)
    # The board's assessment.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNASSESSED)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    responsible = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for",
        verbose_name=_("responsible board member"),
    )
    evidence_note = models.TextField(_("evidence"), blank=True, max_length=4000)
    # Where the board's status and the evidence from the data disagree
    # (compliance/contradictions.py), the board says why; the year cannot be
    # marked ready without it, and the auditors and the assurance show it.
    justification = models.TextField(_("why the status differs from the data"), blank=True, max_length=4000)
    evidence_date = models.DateField(_("date of the evidence"), null=True, blank=True)
    review_date = models.DateField(_("reviewed on"), null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey("jour.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The auditors' own verdict; only auditors write these.
    auditor_verdict = models.CharField(
        _("auditors' verdict"), max_length=16, choices=Status.choices, default=Status.UNASSESSED
    )
    auditor_comment = models.TextField(_("auditors' comment"), blank=True, max_length=4000)
    auditor_updated_at = models.DateTimeField(null=True, blank=True)
    auditor_updated_by = models.ForeignKey(
        "jour.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: an edit made on an older copy is refused.
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "requirement"], name="answer_once_per_requirement")
        ]

    def __str__(self):
        return f"answer {self.code} ({self.assessment_id})"

    def _assessment_id(self):
        return self.assessment_id

    title = property(lambda self: _in_language(self.title_sv, self.title_en))
    explanation = property(lambda self: _in_language(self.explanation_sv, self.explanation_en))
    group_title = property(lambda self: _in_language(self.group_title_sv, self.group_title_en))


class EvidenceDocument(models.Model):
    """An uploaded document (minutes, a policy, a log) that can serve as evidence
    in several years. Each upload of a new file is a new revision; revisions are
    never replaced or deleted while anything points at them."""

    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey("jour.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return f"evidence document #{self.pk}"

    @property
    def latest(self):
        return self.revisions.order_by("-number").first()


class EvidenceRevision(models.Model):
    document = models.ForeignKey(EvidenceDocument, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(max_length=200)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey("jour.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="evidence_revision_once")]

    def __str__(self):
        return f"evidence revision #{self.pk}"


class EvidenceLink(_GuardedAgainstFreeze):
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="links")
    document = models.ForeignKey(EvidenceDocument, on_delete=models.PROTECT, related_name="links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "document"], name="evidence_link_once")]

    def __str__(self):
        return f"evidence link #{self.pk}"

    def _assessment_id(self):
        return Answer.objects.filter(pk=self.answer_id).values_list("assessment_id", flat=True).first()


class Signature(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="signatures")
    auditor = models.ForeignKey("jour.User", on_delete=models.PROTECT, related_name="+")
    # The name as it was at signing: the document must not change if the account is renamed.
    name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(default=timezone.now)
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "auditor"], name="signature_once_per_auditor")]

    def __str__(self):
        return f"signature #{self.pk}"


class Assurance(models.Model):
    """The rendered, sealed PDF of a signed version and the JSON it embeds."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="assurance")
    document_json = models.TextField()
    document_sha256 = models.CharField(max_length=64)
    pdf = models.FileField(max_length=200)
    pdf_sha256 = models.CharField(max_length=64)
    rendered_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"assurance #{self.pk}"


# ---------------------------------------------------------------------------
# The action plan, agreed with the federation when a requirement is not met.


class ActionPlan(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    federation_contacted_on = models.DateField(_("federation contacted on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)

    def __str__(self):
        return f"action plan {self.year}"


class ActionItem(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="items")
    requirement_code = models.CharField(_("requirement"), max_length=10, blank=True)
    what = models.TextField(_("what"), max_length=2000)
    owner = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="action_items", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"action item #{self.pk}"


# ---------------------------------------------------------------------------
# Reports the jour sends every year, recorded so that the checklist can show them.


# One meaning of "year" for the annual meeting and every report: the year it is
# *for*, the year of activity it closes or reports on. The annual meeting held
# in the spring of Y closes the year Y-1, and the reports sent after it are the
# reports for Y-1. So the assessment of Y (whose evidence ends on 31 December
# of Y) looks for the meeting and the reports for Y-1, held and sent in Y; the
# reminder in the spring of Y asks for the same reports (compliance/evidence.py,
# compliance/reminders.py).


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Annual report to the federation (after the annual meeting)")
    # The federation's own yearly question about the grants the jour received (G10).
    GRANTS = "grants", _("Grants report to the federation (municipal and other grants)")
    MUNICIPAL = "municipal", _("Report on a municipal grant")
    OTHER_GRANT = "other_grant", _("Report on another grant")


class ReportSubmission(models.Model):
    kind = models.CharField(_("report"), max_length=12, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("for the year"))
    sent_on = models.DateField(_("sent on"))
    recipient = models.CharField(_("sent to"), max_length=150)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey("jour.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"report #{self.pk}"


class AnnualMeeting(models.Model):
    """The jour's annual meeting, which closes a year (G9): the information
    after it goes to the federation as the annual report for the same year."""

    year = models.PositiveSmallIntegerField(_("for the year"), unique=True)
    held_on = models.DateField(_("held on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey("jour.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"annual meeting {self.year}"


class SendingMethod(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("The federation's form or portal")
    POST = "post", _("Post")
    OTHER = "other", _("Other")


class FederationSending(models.Model):
    """A sending of the contact details to the federation (G8). Downloading the
    export is not sending it: the coordinator records the sending itself."""

    sent_on = models.DateField(_("sent on"))
    method = models.CharField(_("how"), max_length=10, choices=SendingMethod.choices)
    changes = models.CharField(
        _("what changed"),
        max_length=300,
        help_text=_("In short, for example: two new support persons, a new chair. No personal data of seekers."),
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey("jour.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"federation sending #{self.pk}"


class AssuranceSending(models.Model):
    """When and how a signed version's assurance was sent to the federation (G2).
    A row of its own: the signed assessment itself never changes."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="sending")
    sent_on = models.DateField(_("sent on"))
    method = models.CharField(_("how"), max_length=10, choices=SendingMethod.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey("jour.User", null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"assurance sending #{self.pk}"


class ReminderSent(models.Model):
    """One row per reminder sent: a reminder goes out once, however often the task runs."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="reminder_once")]

    def __str__(self):
        return f"reminder {self.kind} {self.key}"
