"""The content of an assessment as it is signed: plain data, written as canonical JSON.

Canonical means one byte sequence for one content: keys sorted, no spaces,
UTF-8, no floats (shares are whole per mille). The SHA-256 of these bytes is
what the auditors sign, what the PDF prints and what `assurance_verify` checks.
"""

import json
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import override

from . import by_hand, contradictions, evidence
from .models import ActionPlan
from .selectors import answers, signatures_required

FORMAT = "jour-assurance/1"


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def evidence_day(year: int) -> date:
    """The day a year's live evidence is computed for: today, or the year's last day."""
    return min(timezone.localdate(), date(year, 12, 31))


def build(assessment) -> dict:
    """Everything the assurance states, from the database as it is now."""
    day = evidence_day(assessment.year)
    rows = list(answers(assessment))
    with override(settings.LANGUAGE_CODE):
        found = evidence.evidence_for((a.signal for a in rows), day)
        requirements = []
        for a in rows:
            live = found.get(a.signal)
            requirements.append(
                {
                    "code": a.code,
                    "group": a.group_code,
                    "section": a.section,
                    "title": {"sv": a.title_sv, "en": a.title_en},
                    "status": a.status,
                    "comment": a.comment,
                    "responsible": a.responsible.name if a.responsible else None,
                    "evidence_note": a.evidence_note,
                    "evidence_date": _iso(a.evidence_date),
                    "review_date": _iso(a.review_date),
                    "documents": [
                        {
                            "title": link.document.title,
                            "revision": latest.number,
                            "sha256": latest.sha256,
                            "uploaded_at": _iso(latest.uploaded_at),
                        }
                        for link in a.links.all()
                        for latest in [max(link.document.revisions.all(), key=lambda r: r.number)]
                    ],
                    "live_evidence": {"state": live.state, "summary": live.summary} if live else None,
                    "justification": a.justification,
                    "by_hand": by_hand.reason(a.code, a.signal),
                    "contradicts_the_data": contradictions.contradicts(a.status, live),
                    "auditor_verdict": a.auditor_verdict,
                    "auditor_comment": a.auditor_comment,
                }
            )
    plan = ActionPlan.objects.filter(year=assessment.year).prefetch_related("items__owner").first()
    action_plan = None
    if plan is not None:
        action_plan = {
            "federation_contacted_on": _iso(plan.federation_contacted_on),
            "items": [
                {
                    "requirement": item.requirement_code,
                    "what": item.what,
                    "owner": item.owner.name,
                    "due_on": _iso(item.due_on),
                    "done_on": _iso(item.done_on),
                }
                for item in plan.items.all()
            ],
        }
    return {
        "format": FORMAT,
        "jour": {"name": settings.JOUR_NAME},
        "year": assessment.year,
        "version": assessment.version,
        "catalogue": {"revision": _iso(assessment.revision.revision), "source": assessment.revision.source},
        "evidence_day": _iso(day),
        "ready": {
            "at": _iso(assessment.ready_at),
            "by": assessment.ready_by.name if assessment.ready_by else None,
        },
        "signatures_required": signatures_required(),
        "first_contact": evidence.first_contact_figures(day),
        "requirements": requirements,
        "action_plan": action_plan,
    }


def document(assessment) -> dict:
    """The signed record: the frozen content, its hash and the signatures."""
    return {
        "format": FORMAT,
        "content": json.loads(assessment.frozen_json),
        "content_sha256": assessment.content_sha256,
        "frozen_at": _iso(assessment.frozen_at),
        "signatures": [
            {"name": s.name, "signed_at": _iso(s.signed_at), "content_sha256": s.content_sha256}
            for s in assessment.signatures.order_by("signed_at", "pk")
        ],
    }
