"""Follow-up of the volunteers for the checklist: the supervision register and the calendar together.

A coordinator records supervision in two places: as a session in the member
register (members.SupervisionSession, with the volunteers as participants) or
as a group or individual supervision in the calendar (calendars.Appointment,
with the volunteers' login accounts as participants). The members app cannot
read the calendar (they are neighbours on one floor), so the two are put
together here, a floor above both.

A calendar supervision counts for a volunteer when it started within the months
up to `day` and was not cancelled by the end of `day` (a cancellation recorded
later does not change what the data said on that day). It counts through the
account linked to the volunteer's person; a volunteer without an account is
followed up through the register only.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from calendars.models import Appointment, AppointmentKind
from jour.workdays import STOCKHOLM
from members import followup
from members.models import Person

SUPERVISION_KINDS = (AppointmentKind.GROUP_SUPERVISION, AppointmentKind.INDIVIDUAL_SUPERVISION)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


def supervision_in_calendar(first: date, last: date) -> QuerySet[Appointment]:
    """Supervision appointments that began from `first` to `last` (inclusive,
    and never later than now) and were not cancelled by the end of `last`."""
    until = min(_midnight(last + timedelta(days=1)), timezone.now())
    return Appointment.objects.filter(
        kind__in=SUPERVISION_KINDS, starts_at__gte=_midnight(first), starts_at__lt=until
    ).filter(Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=_midnight(last + timedelta(days=1))))


def without_followup(day: date, months: int | None = None) -> QuerySet[Person]:
    """Active volunteers on `day` with no supervision within `months` months up
    to `day`, neither in the register nor in the calendar."""
    months = followup.followup_months() if months is None else months
    in_calendar = supervision_in_calendar(followup.months_before(day, months), day).filter(
        participants=OuterRef("account")
    )
    return followup.without_followup(day, months).exclude(Q(account__isnull=False) & Exists(in_calendar))
