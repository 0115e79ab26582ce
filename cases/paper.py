"""The paper-record register: what lies in the locked cabinet, and when it must be shredded.

A police referral form is due for shredding once the first contact attempt is
logged; every other paper once the case is closed. Until someone confirms it
shredded, the assigned support persons and the coordinators are reminded once
per working day, with a count and a link, never a name.
"""

import logging
from datetime import date, datetime, time, timedelta

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case as CaseWhen
from django.db.models import DateTimeField, F, Q, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jour import access
from jour.models import User
from jour.workdays import STOCKHOLM, is_working_day

from .models import Case, PaperKind, PaperRecord, ReferralForm, ShreddingReminder, Status

logger = logging.getLogger(__name__)

# When each unshredded paper became due: the first attempt for a referral form, the closing for the rest.
DUE = Q(kind=PaperKind.POLICE_REFERRAL, case__first_contact_at__isnull=False) | Q(case__status=Status.CLOSED)


def with_due_at(records):
    return records.annotate(
        due_at=CaseWhen(
            When(
                kind=PaperKind.POLICE_REFERRAL, case__first_contact_at__isnull=False, then=F("case__first_contact_at")
            ),
            default=F("case__closed_at"),
            output_field=DateTimeField(),
        )
    )


def due_for_shredding():
    """Every paper that should be shredded now and is not, oldest first."""
    return (
        with_due_at(PaperRecord.objects.filter(shredded_at__isnull=True).filter(DUE))
        .select_related("case")
        .order_by("due_at", "pk")
    )


def file_paper(*, case: Case, kind: str, description: str, filed_on: date, by: User) -> PaperRecord:
    """Enter a paper in the register. A police referral form filed here is also
    what the case says about its form: one truth for the cabinet and the case."""
    if case.anonymised_at:
        raise ValidationError(_("The personal data of this case has been removed: no paper can be filed to it."))
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("A paper cannot be filed in the future.")})
    with transaction.atomic(), set_actor(by):
        record = PaperRecord(case=case, kind=kind, description=description.strip(), filed_on=filed_on, filed_by=by)
        record.full_clean(exclude=["case", "filed_by"])
        record.save()
        if kind == PaperKind.POLICE_REFERRAL:
            Case.objects.filter(pk=case.pk).exclude(police_referral_form=ReferralForm.PAPER).update(
                police_referral_form=ReferralForm.PAPER, version=F("version") + 1
            )
    return record


def keep_police_form_in_the_register(case: Case, was: str, by: User) -> None:
    """Inside the transaction that saved ``case`` (registration or edit), whose
    police referral form was ``was``: a form declared on paper is entered in the
    register (due for shredding at the first attempt), and one still in the
    cabinet cannot be declared away."""
    forms = PaperRecord.objects.filter(case=case, kind=PaperKind.POLICE_REFERRAL)
    if case.police_referral_form == ReferralForm.PAPER and not forms.exists():
        PaperRecord.objects.create(
            case=case,
            kind=PaperKind.POLICE_REFERRAL,
            filed_on=timezone.localtime(case.received_at).date(),
            filed_by=by,
        )
    elif (
        was == ReferralForm.PAPER
        and case.police_referral_form != ReferralForm.PAPER
        and forms.filter(shredded_at__isnull=True).exists()
    ):
        raise ValidationError(
            {
                "police_referral_form": _(
                    "The referral form is still in the cabinet according to the paper register: shred it and "
                    "confirm that under Paper in the locked cabinet."
                )
            }
        )


def confirm_shredded(*, record: PaperRecord, by: User) -> PaperRecord:
    with transaction.atomic(), set_actor(by):
        record = PaperRecord.objects.select_for_update().get(pk=record.pk)
        if record.shredded_at is None:
            record.shredded_at = timezone.now()
            record.shredded_by = by
            record.save(update_fields=["shredded_at", "shredded_by"])
    return record


def overdue_on(day: date, days: int | None = None):
    """Paper that on `day` had been due for shredding for more than `days` days
    and was not yet confirmed shredded (the checklist's figure): a referral form
    whose case had its first attempt, or any paper of a case closed, before the
    cutoff, whether the case is open or closed now.

    Only what was known by the end of `day` counts: paper filed later, or
    shredded later, is seen as it stood then. A closing undone by reopening is
    not remembered (the case keeps no history of its closings)."""
    days = settings.JOUR_SHRED_WITHIN_DAYS if days is None else days
    cutoff = datetime.combine(day - timedelta(days=days), time.min, tzinfo=STOCKHOLM)
    day_ends = datetime.combine(day + timedelta(days=1), time.min, tzinfo=STOCKHOLM)
    due_before_cutoff = Q(kind=PaperKind.POLICE_REFERRAL, case__first_contact_at__lt=cutoff) | Q(
        case__closed_at__lt=cutoff
    )
    return PaperRecord.objects.filter(due_before_cutoff, filed_on__lte=day).filter(
        Q(shredded_at__isnull=True) | Q(shredded_at__gte=day_ends)
    )


def _recipients(records) -> dict[int, int]:
    """Account id -> number of due papers: the case's active support persons and every coordinator."""
    counts: dict[int, int] = {}
    coordinators = list(access.may_see_every_case.users().values_list("pk", flat=True))
    assigned = (
        PaperRecord.objects.filter(pk__in=[r.pk for r in records])
        .filter(case__assignments__ended_at__isnull=True, case__assignments__person__is_active=True)
        .values_list("pk", "case__assignments__person")
    )
    by_record: dict[int, set[int]] = {}
    for record_id, person_id in assigned:
        by_record.setdefault(record_id, set()).add(person_id)
    for record in records:
        for user_id in set(coordinators) | by_record.get(record.pk, set()):
            counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def send_reminders(day: date | None = None) -> int:
    """Remind everyone with due paper, once per person per working day. Returns e-mails sent."""
    day = day or timezone.localdate()
    if not is_working_day(day):
        return 0
    records = list(due_for_shredding())
    if not records:
        return 0
    sent = 0
    link = settings.JOUR_BASE_URL + reverse("shredding_list")
    counts = _recipients(records)
    for user in User.objects.filter(pk__in=counts.keys(), is_active=True).order_by("pk"):
        count = counts[user.pk]
        with transaction.atomic():
            _row, created = ShreddingReminder.objects.get_or_create(
                recipient=user, day=day, defaults={"records": count}
            )
            if not created:
                continue
            with override(settings.LANGUAGE_CODE):
                context = {"count": count, "link": link}
                subject = render_to_string("cases/email/shredding_subject.txt", context).strip()
                body = render_to_string("cases/email/shredding.txt", context)
            send_mail(subject, body, None, [user.email])
        sent += 1
    logger.info("Shredding reminders sent: %s", sent)
    return sent
