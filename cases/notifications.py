"""In-app notifications and their e-mails: a case number and a link, nothing more."""

import logging
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from jour.models import User

from .models import AlertKind, Notification

logger = logging.getLogger(__name__)
# A digest lists this many cases; the notifications page has them all.
LISTED = 20
# Rows marked as e-mailed per UPDATE (PostgreSQL takes at most 65,535 parameters).
MARK_BATCH = 10_000


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
    """E-mail every notification not yet e-mailed, each once; returns how many.

    One e-mail per person and run: a morning with ten overdue cases, or the
    catch-up after the worker was down, is one message listing the cases, not
    one message per case. A person's pending rows are locked (skip locked: a
    second worker takes other people) and marked in the transaction that sends
    their e-mail. A failed send rolls back and the next sweep retries it; only a
    crash between the mail server accepting a message and the commit could
    send one twice.
    """
    pending = Notification.objects.filter(emailed_at__isnull=True)
    people = pending.order_by().values_list("recipient_id", flat=True).distinct()
    return sum(_send_to(recipient_id) for recipient_id in list(people))


def _send_to(recipient_id: int) -> int:
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient_id=recipient_id, emailed_at__isnull=True)
            .order_by("created_at", "case_id", "pk")
            .values_list("pk", "case_id", "case__number", "kind")
        )
        if not rows:
            return 0
        recipient = User.objects.get(pk=recipient_id)
        if recipient.is_active:
            _email(recipient, _cases_of(rows))
        pks = [pk for pk, *_rest in rows]
        emailed_at = timezone.now()
        for start in range(0, len(pks), MARK_BATCH):
            Notification.objects.filter(pk__in=pks[start : start + MARK_BATCH]).update(emailed_at=emailed_at)
    return len(rows)


class Line(NamedTuple):
    case_id: int
    number: str
    warning: bool  # still a warning; False once the deadline has passed

    @property
    def link(self) -> str:
        return settings.JOUR_BASE_URL + reverse("case_detail", args=[self.case_id])


def _cases_of(rows) -> list[Line]:
    """A line per case, oldest notice first: a deadline that has passed
    outranks the warning before it."""
    lines: dict[int, Line] = {}
    for _pk, case_id, number, kind in rows:
        earlier = lines.get(case_id)
        warning = kind == AlertKind.WARNING and (earlier is None or earlier.warning)
        lines[case_id] = Line(case_id, number, warning)
    return list(lines.values())


def _email(recipient, lines: list[Line]) -> None:
    if len(lines) == 1:
        (line,) = lines
        template, context = "cases/email/deadline", {"number": line.number, "link": line.link, "warning": line.warning}
    else:
        overdue = [line for line in lines if not line.warning][:LISTED]
        warned = [line for line in lines if line.warning][: LISTED - len(overdue)]
        template, context = (
            "cases/email/deadline_digest",
            {
                "count": len(lines),
                "overdue": overdue,
                "warned": warned,
                "unlisted": len(lines) - len(overdue) - len(warned),
                "inbox": settings.JOUR_BASE_URL + reverse("notification_list"),
            },
        )
    with override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [recipient.email])
    logger.info("Deadline e-mail about %d case(s) sent to user %s", len(lines), recipient.pk)
