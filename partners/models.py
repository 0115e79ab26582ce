"""Partner organisations, referrals in and out of a case, and case routines.

A referral is a record that the jour referred the seeker (or was referred
to), why and with what consent: nothing about the seeker goes to the partner
through the system. Routines are versioned: editing one makes a new version,
and a case keeps the version it started with.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Circumstance, CrimeType


class PartnerKind(models.TextChoices):
    POLICE = "police", _("Police")
    POLICE_VICTIM_UNIT = "police_victim", _("Police: victim and personal-safety unit")
    SOCIAL_SERVICES = "social", _("Social services")
    WOMENS_SHELTER = "shelter", _("Women's shelter")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    HEALTHCARE = "health", _("Healthcare")
    CENTRE_AGAINST_VIOLENCE = "cmv", _("Centrum mot våld")
    NGO = "ngo", _("Other voluntary organisation")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other")


class Partner(models.Model):
    name = models.CharField(_("organisation"), max_length=150)
    kind = models.CharField(_("type"), max_length=15, choices=PartnerKind.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_details = models.CharField(
        _("how to reach the contact person"), max_length=200, blank=True, help_text=_("Work phone or e-mail.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        # An organisation, not a person: its name is what every list of partners shows.
        return self.name


class Direction(models.TextChoices):
    OUT = "out", _("Referred to the partner")
    IN = "in", _("Referred to us by the partner")


class ConsentWay(models.TextChoices):
    ORAL = "oral", _("Orally")
    WRITTEN = "written", _("In writing")


class ReferralReason(models.TextChoices):
    PROTECTION = "protection", _("Protection and safety")
    SHELTER = "shelter", _("Shelter or housing")
    COUNSELLING = "counselling", _("Counselling or treatment")
    LEGAL = "legal", _("Legal matters")
    HEALTH = "health", _("Health")
    FINANCIAL = "financial", _("Financial support")
    POLICE_REFERRAL = "police_referral", _("Police referral with consent")
    OTHER = "other", _("Other")


class Referral(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner"))
    reason = models.CharField(_("why"), max_length=20, choices=ReferralReason.choices)
    made_on = models.DateField(_("when"), default=timezone.localdate)
    consent = models.BooleanField(_("the seeker consented"), default=False)
    consent_way = models.CharField(_("consent given"), max_length=10, choices=ConsentWay.choices, blank=True)
    note = models.CharField(
        _("how it was done"),
        max_length=300,
        blank=True,
        help_text=_("For example: gave the seeker the phone number. No names, no details of the crime."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["made_on", "pk"]
        constraints = [
            # The seeker's consent is the condition of every referral out.
            models.CheckConstraint(
                condition=Q(direction="in") | (Q(consent=True) & ~Q(consent_way="")),
                name="referral_out_needs_consent",
            )
        ]

    def __str__(self):
        return f"referral #{self.pk}"


class Routine(models.Model):
    """What the jour does in cases of one crime type, or with one special
    circumstance (a routine for close-relationship cases is about the marker,
    whatever the crime)."""

    name = models.CharField(_("name"), max_length=150)
    crime_type = models.CharField(
        _("for cases of"), max_length=20, choices=CrimeType.choices, unique=True, null=True, blank=True
    )
    circumstance = models.OneToOneField(
        Circumstance,
        verbose_name=_("or for cases marked"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routine",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(crime_type__isnull=True) | Q(circumstance__isnull=True),
                name="routine_for_a_type_or_a_marker",
            )
        ]

    def __str__(self):
        return f"routine #{self.pk}"

    def current(self):
        return self.versions.order_by("-number").first()


class RoutineVersion(models.Model):
    """Never changed once made: cases point at the version they started with."""

    routine = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    goal = models.TextField(_("goal"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["routine", "number"]
        constraints = [models.UniqueConstraint(fields=["routine", "number"], name="routine_version_once")]

    def __str__(self):
        return f"routine version #{self.pk}"


class RoutineStep(models.Model):
    version = models.ForeignKey(RoutineVersion, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("step"), max_length=200)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("responsible")
    )
    how_to_reach = models.CharField(_("how to reach them"), max_length=300, blank=True)
    tip = models.CharField(_("tip"), max_length=500, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="routine_step_position")]

    def __str__(self):
        return f"routine step #{self.pk}"


class RoutineConfirmation(models.Model):
    """A partner organisation's decision to follow the routine (the template's signature page)."""

    version = models.ForeignKey(RoutineVersion, on_delete=models.PROTECT, related_name="confirmations")
    organisation = models.CharField(_("organisation"), max_length=150)
    representative = models.CharField(_("representative"), max_length=150)
    confirmed_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["confirmed_on", "pk"]

    def __str__(self):
        return f"routine confirmation #{self.pk}"


class CaseRoutine(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="routine")
    version = models.ForeignKey(RoutineVersion, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"case routine #{self.pk}"


class StepCheck(models.Model):
    case_routine = models.ForeignKey(CaseRoutine, on_delete=models.CASCADE, related_name="checks")
    step = models.ForeignKey(RoutineStep, on_delete=models.PROTECT, related_name="+")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case_routine", "step"], name="step_checked_once")]

    def __str__(self):
        return f"step check #{self.pk}"
