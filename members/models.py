"""The jour's people: members, supporting members, employees, volunteers and the board.

A Person holds the contact details once; what the person does for the jour is a
set of engagements with dates (membership, employment, volunteer assignment,
board term). A login account, when the person has one, is linked to the Person,
and so is the confidentiality pledge the person signed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=60, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login account"),
    )
    # The open invitation to log in, made from the person's page; accepting it
    # links the new account here (members.services.link_accepted_account).
    invitation = models.ForeignKey(
        "jour.Invitation", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"person #{self.pk}"


def active_on(day):
    """Engagements that have started and not ended on `day`. The end date is
    the day the person stopped: ending an engagement today cuts access today."""
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


class Engagement(models.Model):
    """Something a person does for the jour, from `start` to `end` (inclusive)."""

    start = models.DateField(_("from"))
    end = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("The first day without it: access ends that day.")
    )

    class Meta:
        abstract = True

    def is_active(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.start <= day and (self.end is None or self.end > day)


def _dates(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name=f"{prefix}_dates")


class MembershipKind(models.TextChoices):
    MEMBER = "member", _("Member")
    SUPPORTING = "supporting", _("Supporting member")


class Membership(Engagement):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(_("kind"), max_length=12, choices=MembershipKind.choices)
    fee_paid_for = models.PositiveSmallIntegerField(
        _("fee paid for year"), null=True, blank=True, help_text=_("The latest year whose fee is paid.")
    )

    class Meta:
        ordering = ["-start"]
        constraints = [_dates("membership")]

    def __str__(self):
        return f"membership #{self.pk}"


class Employment(Engagement):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    title = models.CharField(_("title"), max_length=100)

    class Meta:
        ordering = ["-start"]
        constraints = [_dates("employment")]

    def __str__(self):
        return f"employment #{self.pk}"


class VolunteerAssignment(Engagement):
    """A support person and/or witness supporter, with what the jour requires of one."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="volunteering")
    support_person = models.BooleanField(_("support person"), default=True)
    witness_supporter = models.BooleanField(_("witness supporter"), default=False)
    basic_training_on = models.DateField(_("basic training completed"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("cases at a time"), default=2)

    class Meta:
        ordering = ["-start"]
        constraints = [
            _dates("volunteer"),
            models.CheckConstraint(
                condition=Q(support_person=True) | Q(witness_supporter=True), name="volunteer_has_a_role"
            ),
        ]

    def __str__(self):
        return f"volunteer assignment #{self.pk}"


class ConfidentialityPledge(models.Model):
    """A signed confidentiality pledge (tystnadslöfte) on the federation's
    template. It is the person's, not an engagement's: everyone who works with
    seekers' data signs one, volunteers, employees and the board alike. One
    per person and day; the scan is stored through jour.uploads."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pledges")
    signed_on = models.DateField(_("signed on"))
    template_version = models.CharField(
        _("template version"),
        max_length=40,
        blank=True,
        help_text=_("The version or date printed on the federation's template, if there is one."),
    )
    scan = models.FileField(_("scan of the signed pledge"), upload_to="pledges/", blank=True)
    # Empty for pledges moved from the volunteer assignments (who recorded them is not known).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "signed_on"], name="one_pledge_per_person_and_day"),
        ]

    def __str__(self):
        return f"pledge #{self.pk}"


def has_signed_pledge(day, person="pk") -> Exists:
    """A condition for querysets: the person (`person`, a path to their pk from
    the queried model) had signed a confidentiality pledge by `day`."""
    return Exists(ConfidentialityPledge.objects.filter(person=OuterRef(person), signed_on__lte=day))


class BoardRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    TREASURER = "treasurer", _("Treasurer")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Board member")
    DEPUTY = "deputy", _("Deputy")
    CO_OPTED = "co_opted", _("Co-opted (coordinator)")


class BoardTerm(Engagement):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="board_terms")
    role = models.CharField(_("role"), max_length=12, choices=BoardRole.choices)

    class Meta:
        ordering = ["-start"]
        constraints = [_dates("board_term")]

    def __str__(self):
        return f"board term #{self.pk}"


class SupervisionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class SupervisionSession(models.Model):
    """Follow-up of the volunteers' assignments (handledning), alone or in a group."""

    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=SupervisionKind.choices)
    supervisor = models.CharField(_("supervisor"), max_length=150)
    participants = models.ManyToManyField(Person, related_name="supervision_sessions", verbose_name=_("participants"))
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        help_text=_("Themes only. Never name or describe a seeker."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"supervision #{self.pk}"


class FollowupReminder(models.Model):
    """That the weekly follow-up reminder went out; one row per ISO week."""

    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    volunteers_lacking = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["iso_year", "iso_week"], name="one_followup_reminder_per_week")]

    def __str__(self):
        return f"follow-up reminder {self.iso_year}-W{self.iso_week:02d}"


class ErasureRecord(models.Model):
    """That a person's data was erased on request: no name, no contact details."""

    erased_at = models.DateTimeField(default=timezone.now)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    former_person_id = models.PositiveIntegerField()

    def __str__(self):
        return f"erasure #{self.pk}"
