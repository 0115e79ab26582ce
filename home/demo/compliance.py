"""Last year, assessed and signed by the two demo auditors, so that a new user
of the demo sees the finished cycle. Used by seed_demo only."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from compliance import assurance, catalogue, content, evidence, seal, services
from compliance.models import ActionItem, ActionPlan, Assessment, ReportKind, ReportSubmission, Status
from jour.models import Role
from members.models import BoardRole, BoardTerm

from .accounts import by_role, current_code

COMMENTS = {
    Status.MET: "Uppfyllt. Styrelsen har gått igenom underlaget på sitt möte i november.",
    Status.PARTLY: "Delvis: rutinen finns men har inte gåtts igenom med alla stödpersoner.",
}


def seed_signed_year() -> Assessment | None:
    """Assess, mark ready and sign last year once; render the PDF when the seal exists."""
    year = timezone.localdate().year - 1
    if Assessment.objects.filter(year=year).exists():
        return None
    catalogue.load_bundled()  # a migration loads it, but a flushed database has lost it
    accounts = by_role()
    coordinator, auditors = accounts[Role.COORDINATOR][0], accounts[Role.AUDITOR]
    chair = BoardTerm.objects.filter(role=BoardRole.CHAIR).select_related("person").first()
    with transaction.atomic():
        ReportSubmission.objects.create(
            kind=ReportKind.MUNICIPAL,
            year=year - 1,
            sent_on=date(year, 3, 14),
            recipient="Exempelstads kommun",
            recorded_by=coordinator,
        )
        ReportSubmission.objects.create(
            kind=ReportKind.ANNUAL,
            year=year - 1,
            sent_on=date(year, 4, 22),
            recipient="Brottsofferjourernas förbund",
            recorded_by=coordinator,
        )
        assessment = services.start_year(year=year, by=coordinator, from_previous=False)
        partly = None
        answers = list(assessment.answers.order_by("position"))
        found = evidence.evidence_for((a.signal for a in answers), content.evidence_day(year))
        for answer in answers:
            # Where the demo's data says not ok, the demo board says partly: it marks nothing
            # met against the data (which would need a justification).
            failing = found.get(answer.signal) and found[answer.signal].state == evidence.NOT_OK
            status = Status.PARTLY if answer.signal == "volunteer_followup" or failing else Status.MET
            partly = partly or (answer if status == Status.PARTLY else None)
            services.save_board_answer(
                answer_id=answer.pk,
                lock_version=answer.lock_version,
                data={
                    "status": status,
                    "comment": COMMENTS[status],
                    "responsible": chair.person if chair else None,
                    "evidence_note": "Protokoll från styrelsemöte 12 november.",
                    "evidence_date": date(year, 11, 12),
                    "review_date": date(year, 11, 12),
                },
                by=coordinator,
            )
        if partly is not None and chair is not None:
            plan = ActionPlan.objects.create(year=year, federation_contacted_on=date(year, 12, 1))
            ActionItem.objects.create(
                plan=plan,
                requirement_code=partly.code,
                what="Gå igenom rutinen för uppföljning med varje stödperson.",
                owner=chair.person,
                due_on=date(year + 1, 2, 28),
                done_on=min(date(year + 1, 2, 20), timezone.localdate()),
            )
        for answer in assessment.answers.all():
            answer.refresh_from_db()
            services.save_auditor_answer(
                answer_id=answer.pk,
                lock_version=answer.lock_version,
                data={"auditor_verdict": answer.status, "auditor_comment": ""},
                by=auditors[0],
            )
        services.mark_ready(assessment=assessment, by=coordinator)
        for auditor in auditors[:2]:
            services.sign(assessment=assessment, by=auditor, code=current_code(auditor))
    if seal.exists():
        assurance.produce(assessment.pk)
    return assessment
