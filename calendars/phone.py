"""Staffed phone hours and the forwarding to 116 006.

When the jour cannot answer, its phone must be forwarded to
Brottsofferjourernas Telefoncentral 116 006. The phone is staffed on working
days (the working-day engine decides: weekends, public holidays and the eves
never are) during the weekday's hours, unless the day is an added closure.
Every closing needs a confirmation that the phone was forwarded: one given up
to ``FORWARD_GRACE`` before closing, or any time before the next opening,
counts for that closing.
"""

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jour.workdays import STOCKHOLM, is_working_day

from .models import PhoneClosure, PhoneForwarding, PhoneHours

FORWARD_GRACE = timedelta(minutes=30)
LOOK_AROUND = 30  # days searched for the previous closing or the next opening


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=STOCKHOLM)


class Schedule:
    """The weekly hours and the closures, read once, asked per day."""

    def __init__(self, first: date, last: date):
        self.first, self.last = first, last
        self.hours = {row.weekday: row for row in PhoneHours.objects.all()}
        self.closures = {row.day: row for row in PhoneClosure.objects.filter(day__range=(first, last))}

    def staffed(self, day: date) -> tuple[time, time] | None:
        """(opens, closes) on ``day``, or None when nobody answers all day."""
        row = self.hours.get(day.weekday())
        if row is None or day in self.closures or not is_working_day(day):
            return None
        return row.opens, row.closes

    def closing_before(self, moment: datetime) -> datetime | None:
        """The last closing at or before ``moment``."""
        day = timezone.localtime(moment, STOCKHOLM).date()
        for n in range(LOOK_AROUND + 1):
            hours = self.staffed(day - timedelta(days=n))
            if hours and _at(day - timedelta(days=n), hours[1]) <= moment:
                return _at(day - timedelta(days=n), hours[1])
        return None

    def opening_after(self, moment: datetime) -> datetime | None:
        """The first opening after ``moment``."""
        day = timezone.localtime(moment, STOCKHOLM).date()
        for n in range(LOOK_AROUND + 1):
            hours = self.staffed(day + timedelta(days=n))
            if hours and _at(day + timedelta(days=n), hours[0]) > moment:
                return _at(day + timedelta(days=n), hours[0])
        return None


def _schedule(first: date, last: date, given: Schedule | None) -> Schedule:
    """`given` if it was read for at least [first, last], else a new read: a page that
    asks several questions of the schedule reads the two tables once (calendars.duty)."""
    if given is not None and given.first <= first and last <= given.last:
        return given
    return Schedule(first, last)


@dataclass(frozen=True)
class PhoneState:
    configured: bool  # are any weekly hours set at all?
    staffed: bool
    today: tuple[time, time] | None
    closure: PhoneClosure | None
    working_day: bool
    next_opening: datetime | None
    closing_at: datetime | None  # today's closing, while staffed
    forwarded: bool  # confirmed for the current (or, near closing, the coming) closing
    last_forwarding: PhoneForwarding | None
    closing_soon: bool

    @property
    def must_forward(self) -> bool:
        """Show the reminder: closed (or about to close) and not yet confirmed."""
        return (not self.staffed or self.closing_soon) and not self.forwarded


def state(now: datetime | None = None, schedule: Schedule | None = None) -> PhoneState:
    now = now or timezone.now()
    today = timezone.localtime(now, STOCKHOLM).date()
    schedule = _schedule(today - timedelta(days=LOOK_AROUND), today + timedelta(days=LOOK_AROUND), schedule)
    hours = schedule.staffed(today)
    staffed = bool(hours) and _at(today, hours[0]) <= now < _at(today, hours[1])
    closing_at = _at(today, hours[1]) if staffed else None
    closing_soon = staffed and now >= closing_at - FORWARD_GRACE
    last = PhoneForwarding.objects.select_related("by").filter(at__lte=now).order_by("-at").first()
    if closing_soon:
        covers = closing_at
    elif staffed:
        covers = None  # nothing to forward while someone answers
    else:
        covers = schedule.closing_before(now)
    if covers is None:
        forwarded = staffed or last is not None
    else:
        forwarded = last is not None and last.at >= covers - FORWARD_GRACE
    return PhoneState(
        configured=bool(schedule.hours),
        staffed=staffed,
        today=hours,
        closure=schedule.closures.get(today),
        working_day=is_working_day(today),
        next_opening=None if staffed else schedule.opening_after(now),
        closing_at=closing_at,
        forwarded=forwarded,
        last_forwarding=last,
        closing_soon=closing_soon,
    )


def confirm_forwarding(*, by, now: datetime | None = None) -> PhoneForwarding:
    with transaction.atomic():
        return PhoneForwarding.objects.create(at=now or timezone.now(), by=by)


def unconfirmed_closings(
    first: date, last: date, now: datetime | None = None, schedule: Schedule | None = None
) -> list[date]:
    """Staffed days in [first, last] whose closing passed without a
    confirmation that the phone was forwarded. A closing whose window is still
    open (the next opening has not come) is not missing yet. One query per table."""
    now = now or timezone.now()
    schedule = _schedule(first - timedelta(days=1), last + timedelta(days=LOOK_AROUND), schedule)
    closings = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        hours = schedule.staffed(day)
        if hours and _at(day, hours[1]) <= now:
            closings.append((day, _at(day, hours[1])))
    if not closings:
        return []
    times = list(
        PhoneForwarding.objects.filter(at__gte=closings[0][1] - FORWARD_GRACE, at__lte=now)
        .values_list("at", flat=True)
        .order_by("at")
    )
    missing = []
    for day, closing in closings:
        until = schedule.opening_after(closing) or now
        if until > now:
            continue
        i = bisect_left(times, closing - FORWARD_GRACE)
        if i == len(times) or times[i] >= until:
            missing.append(day)
    return missing


def counting_since(schedule: Schedule | None = None) -> date | None:
    """Closings count from the day the weekly hours were first entered."""
    if schedule is not None:  # it holds every weekday's hours
        first = min((row.created_at for row in schedule.hours.values()), default=None)
    else:
        first = PhoneHours.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return timezone.localtime(first, STOCKHOLM).date() if first else None


def set_hours(*, hours: dict[int, tuple[time, time]], by) -> None:
    """Replace the weekly hours. Rows are updated in place, so the day the
    hours were first entered (where counting starts) survives an edit."""
    with transaction.atomic(), set_actor(by):
        for row in PhoneHours.objects.select_for_update():
            if row.weekday not in hours:
                row.delete()
        for weekday, (opens, closes) in hours.items():
            row, created = PhoneHours.objects.get_or_create(
                weekday=weekday, defaults={"opens": opens, "closes": closes}
            )
            if not created and (row.opens, row.closes) != (opens, closes):
                row.opens, row.closes = opens, closes
                row.save()


def add_closure(*, day: date, reason: str, by, now: datetime | None = None) -> PhoneClosure:
    # A closure excuses a closing from the forwarding check, so it cannot be
    # added once the day's hours have begun: then the phone is forwarded and logged.
    now = now or timezone.now()
    today = timezone.localtime(now, STOCKHOLM).date()
    if day < today:
        raise ValidationError(
            {"day": _("A closure can be added for today or a later day, not for a day that has passed.")}
        )
    hours = Schedule(today, today).staffed(today) if day == today else None
    if hours and now >= _at(today, hours[0]):
        raise ValidationError(
            {"day": _("Today's phone hours have begun: forward the phone and log it instead of adding a closure.")}
        )
    with transaction.atomic(), set_actor(by):
        return PhoneClosure.objects.create(day=day, reason=reason, created_by=by)


def remove_closure(*, closure: PhoneClosure, by) -> None:
    if closure.day < timezone.localdate():
        raise ValidationError(_("A closure of a day that has passed is kept as it was."))
    with transaction.atomic(), set_actor(by):
        closure.delete()
