"""The jour's calendar: appointments, staffed phone hours, the forwarding and
mailbox logs, personal feed tokens and the reminders sent.

The information-security policy says a calendar holds first names only, so
nothing here stores a seeker's name: an appointment points at its case and
shows the case's first name (or only the case number) when it is rendered.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import AgeGroup, Case, Gender
from jour import access

NO_NAMES_HELP = _("The calendar holds first names only: never write a seeker's surname, phone number or crime here.")


class PlaceKind(models.TextChoices):
    OFFICE = "office", _("The jour's office")
    COURT = "court", _("Court")
    OTHER = "other", _("Other place")


class Place(models.Model):
    """A place in the jour's own register (its office, the courts): the only
    "where" an appointment shows outside the site, in reminders and feeds. A
    typed address never leaves: it could be a seeker's protected address."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PlaceKind.choices, default=PlaceKind.OTHER)
    address = models.CharField(
        _("address"), max_length=200, blank=True, help_text=_("The place's public address, for the calendar apps.")
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return f"{self.name}, {self.address}" if self.address else self.name


class AppointmentKind(models.TextChoices):
    MEETING = "meeting", _("Meeting with a seeker")
    COURT = "court", _("Court hearing (witness support)")
    GROUP_SUPERVISION = "group_sup", _("Group supervision")
    INDIVIDUAL_SUPERVISION = "indiv_sup", _("Individual supervision")
    BOARD = "board", _("Board meeting")


# Seen by every coordinator and support person (board meetings also by the
# board and the auditors); the other kinds only by those taking part.
SHARED_KINDS = (AppointmentKind.GROUP_SUPERVISION, AppointmentKind.BOARD)
# The kinds that may concern a seeker, and so may point at a case.
CASE_KINDS = (AppointmentKind.MEETING, AppointmentKind.COURT)
# The kinds a support person is reminded of the working day before.
REMINDED_KINDS = CASE_KINDS


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping of appointments. Coordinators see every one. A support
        person sees the shared ones (board meetings, group supervision) and those
        they take part in, a seeker's only while the case is theirs. Board members
        and auditors see board meetings and nothing that concerns a seeker."""
        if not access.may_use_site(user):
            return self.none()
        if access.may_plan_every_appointment(user):
            return self.all()
        if access.may_plan_appointments(user):
            own = self.model.objects.filter(participants=user).filter(
                Q(case__isnull=True) | Q(case__in=Case.objects.visible_to(user).values("pk"))
            )
            return self.filter(Q(kind__in=SHARED_KINDS) | Q(pk__in=own.values("pk")))
        return self.filter(kind=AppointmentKind.BOARD)


class Appointment(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("case"),
    )
    venue = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("place"),
        help_text=_("From the jour's register of places; the only place reminders and calendar apps show."),
    )
    place = models.CharField(
        _("address or directions"),
        max_length=150,
        blank=True,
        help_text=_("Shown on this site only, never in e-mails or calendar apps."),
    )
    room = models.CharField(_("courtroom or room"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True, help_text=NO_NAMES_HELP)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="appointments", blank=True, verbose_name=_("who goes")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Optimistic lock: two people editing the same appointment lose nothing.
    version = models.PositiveIntegerField(default=1, editable=False)
    # A past appointment is cancelled, never deleted: it happened or not, and statistics count the held ones.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=200, blank=True, editable=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(kind=AppointmentKind.MEETING) | Q(case__isnull=False), name="appointment_meeting_has_case"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CASE_KINDS) | Q(case__isnull=True), name="appointment_case_only_for_seekers"
            ),
        ]

    def __str__(self):
        return f"appointment #{self.pk}"

    @property
    def is_shared(self) -> bool:
        return self.kind in SHARED_KINDS

    @property
    def seeker_label(self) -> str:
        """The seeker as the calendar may show them: a first name, or only the
        case number when the identity is protected, the contact anonymous or
        the personal data already removed."""
        case = self.case
        if case is None:
            return ""
        if case.protected_identity or case.anonymous or case.anonymised_at or not case.first_name.strip():
            return case.number
        return case.first_name.strip()

    @property
    def summary(self) -> str:
        """One line for the site's own lists: kind, first name or case number, title."""
        label = self.outside_summary
        if self.title:
            label = f"{label} – {self.title}"
        return label

    @property
    def outside_summary(self) -> str:
        """The line for a calendar app: kind and first name (or case number), and
        nothing anybody typed."""
        label = self.get_kind_display()
        if self.case_id is not None:
            label = f"{label}: {self.seeker_label}"
        return label

    @property
    def outside_place(self) -> str:
        """Where, for e-mails and calendar apps: a place of the register only, and
        nothing at all for a seeker with a protected identity."""
        if self.venue_id is None or (self.case_id is not None and self.case.protected_identity):
            return ""
        return self.venue.label

    @property
    def where(self) -> str:
        """Where, on the site's own pages: the register's place, then what was typed."""
        return ", ".join(part for part in (self.venue.name if self.venue_id else "", self.place, self.room) if part)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


class PhoneHours(models.Model):
    """When the jour's support phone is staffed on one weekday. A weekday
    without a row is not staffed; public holidays and the eves never are."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), unique=True)  # 0 = Monday
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="phone_hours_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="phone_hours_close_after_open"),
        ]

    def __str__(self):
        return f"phone hours #{self.pk}"

    @property
    def weekday_label(self):
        return WEEKDAYS[self.weekday]


class PhoneClosure(models.Model):
    """A working day on which the phone is not staffed after all."""

    day = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=120, help_text=_("For example: training day. No names."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"phone closure #{self.pk}"


class PhoneForwarding(models.Model):
    """Someone confirmed that the phone is forwarded to 116 006."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"phone forwarding #{self.pk}"


class MailboxCheck(models.Model):
    """The jour's mailbox was read on this day; one row per day."""

    day = models.DateField(unique=True)
    checked_at = models.DateTimeField(default=timezone.now)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"mailbox check #{self.pk}"


class FeedToken(models.Model):
    """A user's private calendar feed. Only the token's SHA-256 is stored: the
    token itself is shown once, when it is made."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"feed token #{self.pk}"


class AppointmentReminder(models.Model):
    """A reminder e-mail went out. Keyed on the start time too, so that a
    moved appointment is reminded of again."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "recipient", "starts_at"], name="appointment_reminder_once")
        ]

    def __str__(self):
        return f"appointment reminder #{self.pk}"


# --- witness support at the courts ---------------------------------------------------


class WitnessRole(models.TextChoices):
    """The federation counts the people supported at court by their part in the trial."""

    WITNESS = "witness", _("Witness")
    INJURED_PARTY = "injured_party", _("Injured party")
    RELATIVE_OR_FRIEND = "relative_or_friend", _("Relative or friend")
    DEFENDANT = "defendant", _("Defendant")


# Nobody was supported at court by this jour before it had this system; an earlier
# year is a typo (0200 for 2020), and would sit in no statistics page.
WITNESS_SUPPORT_FIRST_DAY = date(2000, 1, 1)


class WitnessSupportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping of witness support: coordinators see every record, a
        support person those where they gave the support, nobody else any."""
        if access.may_see_all_witness_support(user):
            return self.all()
        if access.may_record_witness_support(user):
            return self.filter(supported_by=user)
        return self.none()


class WitnessSupport(models.Model):
    """One person supported at court on one day: a statistics record.

    The federation counts witness support apart from the victims' cases, by the
    supported person's role in the trial. The record holds no name and no free
    text (nothing to anonymise, nothing for cases.mentions): who was supported
    is at most a link to a case, when there is one."""

    supported_on = models.DateField(_("date"))
    court = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": PlaceKind.COURT},
        related_name="witness_supports",
        verbose_name=_("court"),
    )
    role = models.CharField(_("role at the trial"), max_length=20, choices=WitnessRole.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="witness_supports",
        verbose_name=_("case"),
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": AppointmentKind.COURT},
        related_name="witness_supports",
        verbose_name=_("court hearing"),
    )
    supported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("supported by")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WitnessSupportQuerySet.as_manager()

    class Meta:
        ordering = ["-supported_on", "-pk"]
        verbose_name = _("witness support")
        verbose_name_plural = _("witness support")
        constraints = [
            models.CheckConstraint(
                condition=Q(supported_on__gte=WITNESS_SUPPORT_FIRST_DAY), name="witness_support_from_2000"
            ),
            models.CheckConstraint(condition=Q(role__in=WitnessRole.values), name="witness_support_role"),
        ]
        indexes = [models.Index(fields=["supported_on"], name="witness_support_day")]

    def __str__(self):
        return f"witness support #{self.pk}"
