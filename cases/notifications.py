"""In-app notifications and their e-mails: a case number and a link, nothing more."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from .models import AlertKind, Notification

logger = logging.getLogger(__name__)
EMAIL_BATCH = 200


def inbox(user):
    return Notification.objects.filter(recipient=user).select_related("case").order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, notification_id: int | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def send_pending_emails() -> int:
    """E-mail every notification not yet e-mailed, each once.

    Rows are locked (skip locked: a second worker takes other rows) and marked
    in the transaction that sends them. A failed send rolls back and is
    retried by the next sweep; only a crash between the mail server accepting
    a message and the commit could send one twice.
    """
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(emailed_at__isnull=True)
                .select_related("case", "recipient")
                .order_by("created_at", "pk")[:EMAIL_BATCH]
            )
            if not batch:
                return sent
            for notice in batch:
                if notice.recipient.is_active:
                    _email(notice)
                notice.emailed_at = timezone.now()
            Notification.objects.bulk_update(batch, ["emailed_at"])
            sent += len(batch)


def _email(notice: Notification) -> None:
    link = settings.JOUR_BASE_URL + reverse("case_detail", args=[notice.case_id])
    with override(settings.LANGUAGE_CODE):
        context = {"number": notice.case.number, "link": link, "warning": notice.kind == AlertKind.WARNING}
        subject = render_to_string("cases/email/deadline_subject.txt", context).strip()
        body = render_to_string("cases/email/deadline.txt", context)
    send_mail(subject, body, None, [notice.recipient.email])
    logger.info("Deadline notification %s e-mailed", notice.pk)
