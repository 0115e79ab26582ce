"""Private iCalendar feeds that calendar apps subscribe to.

A feed URL carries a long random token, which is the only thing that opens
it: calendar apps cannot log in. Only the token's SHA-256 is stored, so the
database does not hold a working URL; the token is shown once, when it is
made, and a new one replaces the old. A deactivated account's feed stops at
once (the lookup requires an active user), and deactivation also deletes it.
The feed holds the kind, the time, a first name (or the case number) and a
place from the jour's register; nothing anybody typed (titles, addresses,
rooms) leaves the site, and a seeker with a protected identity has no place.
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Appointment, FeedToken

TOKEN_BYTES = 32  # 256 bits
PAST_DAYS = 60
FUTURE_DAYS = 400
MAX_EVENTS = 2000
TOUCH_EVERY = timedelta(hours=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(user) -> str:
    """A new token for ``user``, replacing any earlier one. Returns the token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        FeedToken.objects.filter(user=user).delete()
        FeedToken.objects.create(user=user, token_sha256=_digest(token))
    return token


def revoke(user) -> bool:
    deleted, _rows = FeedToken.objects.filter(user=user).delete()
    return bool(deleted)


def on_account_deactivated(sender, user, **kwargs) -> None:
    revoke(user)


def user_for(token: str, now=None):
    """The active user a token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    row = FeedToken.objects.select_related("user").filter(token_sha256=_digest(token), user__is_active=True).first()
    if row is None:
        return None
    now = now or timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        FeedToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def render(user, now=None) -> tuple[bytes, int]:
    """The user's appointments as an iCalendar file, and how many concern a seeker."""

    now = now or timezone.now()
    appointments = (
        Appointment.objects.visible_to(user)
        .filter(starts_at__gte=now - timedelta(days=PAST_DAYS), starts_at__lt=now + timedelta(days=FUTURE_DAYS))
        .filter(cancelled_at__isnull=True)
        .select_related("case", "venue")
        .order_by("starts_at", "pk")[:MAX_EVENTS]
    )
    appointments = list(appointments)
    domain = urlsplit(settings.JOUR_BASE_URL).hostname or "jour"
    cal = Calendar()
    cal.add("prodid", "-//jour//calendar feed//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("%(jour)s calendar") % {"jour": settings.JOUR_NAME})
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("x-published-ttl", "PT1H")
    for appointment in appointments:
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@{domain}")
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", appointment.outside_summary)
        event.add("sequence", appointment.version)
        if appointment.outside_place:
            event.add("location", appointment.outside_place)
        event.add("url", settings.JOUR_BASE_URL + reverse("appointment_detail", args=[appointment.pk]))
        event.add("class", "PRIVATE")
        cal.add_component(event)
    return cal.to_ical(), sum(1 for appointment in appointments if appointment.case_id)
