"""Reads of the yearly cycle that pages, the assurance and the services share."""

from datetime import date

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import timezone

from jour import access
from members.models import BoardRole, BoardTerm, active_on

from .models import Assessment, EvidenceLink


def signatures_required() -> int:
    return settings.JOUR_ASSURANCE_SIGNATURES


def current(year: int) -> Assessment | None:
    """The newest version of a year."""
    return Assessment.objects.filter(year=year).order_by("-version").first()


def versions(year: int):
    return Assessment.objects.filter(year=year).order_by("-version")


def years():
    """Each year with its newest version, newest year first."""
    newest = Assessment.objects.values("year").annotate(v=Max("version"))
    wanted = {(row["year"], row["v"]) for row in newest}
    rows = Assessment.objects.select_related("revision").order_by("-year", "-version")
    return [a for a in rows if (a.year, a.version) in wanted]


def answers(assessment: Assessment):
    return (
        assessment.answers.select_related("responsible", "updated_by", "auditor_updated_by")
        .prefetch_related(
            Prefetch(
                "links",
                queryset=EvidenceLink.objects.select_related("document").prefetch_related("document__revisions"),
            )
        )
        .order_by("position")
    )


def can_mark_ready(user, day: date | None = None) -> bool:
    """The coordinator or the board's chair."""
    if access.may_run_the_jour(user):
        return True
    if not access.may_write_assessment(user):
        return False
    day = day or timezone.localdate()
    return BoardTerm.objects.filter(active_on(day), role=BoardRole.CHAIR, person__account=user).exists()
