"""Everything the system holds about one seeker (GDPR art. 15), as JSON and as a PDF.

"One seeker" is the case asked about plus any other case with the same phone
number or e-mail address: the jour has no register of seekers, only cases.
Producing it is recorded in the audit log without repeating the data.
"""

import json

from auditlog.models import LogEntry
from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from jour import pdf
from jour.audit import record_event

from .models import Case


def _iso(value):
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def related_cases(case: Case):
    same = Q(pk=case.pk)
    if case.phone:
        same |= Q(phone=case.phone)
    if case.email:
        same |= Q(email__iexact=case.email)
    return Case.objects.filter(same).order_by("received_at", "pk")


def _case(case: Case) -> dict:
    return {
        "number": case.number,
        "received_at": _iso(case.received_at),
        "channel": case.get_channel_display(),
        "crime_category": case.get_crime_category_display(),
        "priority": case.get_priority_display(),
        "reported_to_police": case.get_reported_to_police_display(),
        "anonymous": case.anonymous,
        "first_name": case.first_name,
        "last_name": case.last_name,
        "phone": case.phone,
        "email": case.email,
        "preferred_contact": case.get_preferred_contact_display(),
        "safe_to_leave_message": case.get_safe_to_leave_message_display(),
        "protected_identity": case.protected_identity,
        "gender": case.get_gender_display(),
        "age_group": case.get_age_group_display(),
        "municipality": case.get_municipality_display(),
        "role": case.get_seeker_role_display(),
        "notes": case.notes,
        "police_referral_form": case.get_police_referral_form_display(),
        "status": case.get_status_display(),
        "closed_at": _iso(case.closed_at),
        "personal_data_removed_at": _iso(case.anonymised_at),
        "support_persons": [
            {
                "name": a.person.name,
                "from": _iso(a.assigned_at),
                "until": _iso(a.ended_at),
                "handover_note": a.note,
                "end_note": a.end_note,
            }
            for a in case.assignments.select_related("person").order_by("assigned_at", "pk")
        ],
        "contact_attempts": [
            {
                "at": _iso(a.made_at),
                "how": a.get_method_display(),
                "outcome": a.get_outcome_display(),
                "by": a.made_by.name,
                "note": a.note,
            }
            for a in case.attempts.select_related("made_by").order_by("made_at", "pk")
        ],
        "paper_records": [
            {
                "document": p.get_kind_display(),
                "description": p.description,
                "filed_on": _iso(p.filed_on),
                "shredded_at": _iso(p.shredded_at),
            }
            for p in case.paper_records.order_by("filed_on", "pk")
        ],
        "retention_holds": [
            {"reason": h.reason, "until": _iso(h.until), "released_at": _iso(h.released_at)}
            for h in case.holds.order_by("created_at", "pk")
        ],
    }


def collect(case: Case) -> dict:
    with override(settings.LANGUAGE_CODE):
        return {
            "jour": settings.JOUR_NAME,
            "produced_at": _iso(timezone.now()),
            "retention_months": settings.JOUR_RETENTION_MONTHS,
            "cases": [_case(c) for c in related_cases(case)],
        }


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode()


def as_pdf(data: dict) -> bytes:

    with override(settings.LANGUAGE_CODE):
        html = render_to_string("cases/seeker_data_pdf.html", {"data": data})
    return pdf.render(html)


def record_export(*, case: Case, by, fmt: str) -> None:
    record_event(
        obj=case,
        action=LogEntry.Action.ACCESS,
        actor=by,
        additional_data={"seeker_data_export": "GDPR art. 15", "format": fmt},
    )
