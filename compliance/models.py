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
