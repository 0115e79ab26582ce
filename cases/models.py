"""Cases, assignments, contact attempts and deadline notifications."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jour import access

from . import municipalities, rules, search


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    POLICE_REFERRAL = "police_referral", _("Police referral")
    WALK_IN = "walk_in", _("Walk-in")
    OTHER_ORGANISATION = "other_organisation", _("Other organisation")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class CrimeType(models.TextChoices):
    """The crime, fine enough for the federation's statistics. Circumstances
    such as a close relationship are markers beside it (Circumstance), not types."""

    ASSAULT = "assault", _("Assault")
    UNLAWFUL_THREATS = "unlawful_threats", _("Unlawful threats")
    HARASSMENT = "harassment", _("Harassment")
    STALKING = "stalking", _("Stalking")
    VIOLATION_OF_INTEGRITY = "integrity", _("Gross violation of integrity")
    SEXUAL = "sexual", _("Sexual offence")
    HOMICIDE = "homicide", _("Murder, manslaughter or attempt")
    ROBBERY = "robbery", _("Robbery")
    THEFT = "theft", _("Theft")
    BURGLARY = "burglary", _("Burglary")
    FRAUD = "fraud", _("Fraud")
    CRIMINAL_DAMAGE = "damage", _("Criminal damage")
    TRAFFICKING = "trafficking", _("Trafficking or procuring")
    TRAFFIC = "traffic", _("Traffic offence")
    OTHER = "other", _("Other crime")
    UNKNOWN = "unknown", _("Not known")


class FirstContactBy(models.TextChoices):
    """Who made the jour's first contact with the seeker's matter."""

    POLICE = "police", _("The police")
    SEEKER = "seeker", _("The seeker")
    OTHER = "other", _("Someone else")
    UNKNOWN = "unknown", _("Not known")


def first_contact_by_channel(channel: str) -> str:
    """What the channel says, when nobody said otherwise at intake."""
    if channel == Channel.POLICE_REFERRAL:
        return FirstContactBy.POLICE
    if channel == Channel.OTHER_ORGANISATION:
        return FirstContactBy.OTHER
    return FirstContactBy.SEEKER


class CircumstanceQuerySet(models.QuerySet):
    def in_use(self):
        return self.filter(active=True)


class Circumstance(models.Model):
    """A special circumstance, a marker that can sit beside any crime type; a
    case has none, one or several. The federation's four are built in, and a
    jour may add its own."""

    CLOSE_RELATIONSHIP, HONOUR, HATE, SCHOOL = "close_relationship", "honour", "hate", "school"
    BUILT_IN = {
        CLOSE_RELATIONSHIP: _("Close relationship"),
        HONOUR: _("Honour-related"),
        HATE: _("Hate crime"),
        SCHOOL: _("School-related"),
    }

    # The built-in markers' codes; a marker the jour adds has none.
    code = models.CharField(max_length=30, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=60, unique=True)
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = CircumstanceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("special circumstance")
        verbose_name_plural = _("special circumstances")
        constraints = [models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="circumstance_code_once")]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        """A built-in marker in the reader's language; the jour's own as it was typed."""
        return self.BUILT_IN.get(self.code, self.name)


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other or non-binary")
    UNKNOWN = "unknown", _("Not known")


class AgeGroup(models.TextChoices):
    CHILD = "0-11", _("Child (0–11)")
    YOUTH = "12-17", _("Young person (12–17)")
    YOUNG_ADULT = "18-25", _("18–25")
    ADULT = "26-64", _("26–64")
    SENIOR = "65+", _("65 or older")
    UNKNOWN = "unknown", _("Not known")


class SeekerRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    RELATIVE = "relative", _("Relative")


class ContactWay(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class ReferralForm(models.TextChoices):
    """The police's referral form is never kept as a file (seed 001): on paper it
    is in the paper register, and shredded once the first contact attempt is made."""

    NONE = "none", _("No referral form")
    PAPER = "paper", _("On paper")


class Status(models.TextChoices):
    NEW = "new", _("New, not assigned")
    AWAITING_FIRST_CONTACT = "awaiting", _("Awaiting first contact")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ClosingReason(models.TextChoices):
    COMPLETED = "completed", _("Support completed")
    DECLINED = "declined", _("The seeker declined support")
    NOT_REACHED = "not_reached", _("The seeker could not be reached")
    REFERRED = "referred", _("Referred elsewhere")
    OTHER = "other", _("Other")


class CaseNumberSequence(models.Model):
    """The last number used per year; locked while a case is registered."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_value}"


NOTES_HELP = _(
    "Only what the support needs. Never write who committed the crime or other details "
    "about a suspect: such data is specially protected (GDPR art. 10)."
)


# The fields Case.search_key and Case.phone_digits are made from.
SEARCH_SOURCES = frozenset({"first_name", "last_name", "email", "phone", "anonymous", "anonymised_at"})


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping of cases: every case for a coordinator, a support
        person's own (assigned now), none for anyone else."""
        if access.may_see_every_case(user):
            return self.all()
        if access.may_be_assigned_cases(user):
            # One filter() call: both conditions hold for the same assignment row, and
            # a person has at most one open assignment per case, so no duplicates.
            return self.filter(assignments__person=user, assignments__ended_at__isnull=True)
        return self.none()


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=12, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)

    received_at = models.DateTimeField(
        _("received"), help_text=_("When the case reached the jour. May be earlier than today, never in the future.")
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    crime_type = models.CharField(_("crime type"), max_length=20, choices=CrimeType.choices)
    circumstances = models.ManyToManyField(
        Circumstance,
        verbose_name=_("special circumstances"),
        blank=True,
        related_name="cases",
        help_text=_("Markers beside the crime type; a case can have several, or none."),
    )
    # Set by the migration from the old categories where the crime type was a
    # guess; cleared when a coordinator saves the case.
    crime_type_to_review = models.BooleanField(default=False, editable=False)
    reported_to_police = models.CharField(
        _("reported to the police"), max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )

    # The seeker: only what is needed to reach them; nothing at all for an anonymous contact.
    anonymous = models.BooleanField(
        _("anonymous contact"),
        default=False,
        help_text=_("The seeker stays anonymous: no name, contact details or notes, only statistics."),
    )
    first_name = models.CharField(_("first name"), max_length=60, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_contact = models.CharField(
        _("preferred way of contact"), max_length=10, choices=ContactWay.choices, default=ContactWay.PHONE
    )
    safe_to_leave_message = models.CharField(
        _("safe to leave a message"), max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_(
            "Skyddade personuppgifter: name and contact details are shown only to coordinators and the "
            "assigned support persons."
        ),
    )

    # Statistics that outlive the personal data.
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    # The official four-digit code (cases/municipalities.py); blank: not known.
    municipality = models.CharField(_("municipality"), max_length=4, blank=True, choices=municipalities.choices)
    seeker_role = models.CharField(
        _("kind of seeker"), max_length=10, choices=SeekerRole.choices, default=SeekerRole.VICTIM
    )
    first_contact_by = models.CharField(
        _("first contact made by"),
        max_length=10,
        choices=FirstContactBy.choices,
        help_text=_("Who first contacted the jour about this: the police (a referral), the seeker, or someone else."),
    )

    police_referral_form = models.CharField(
        _("police referral form"),
        max_length=10,
        choices=ReferralForm.choices,
        default=ReferralForm.NONE,
        help_text=_(
            "On paper: the form is entered in the paper register, due for shredding once the first contact "
            "attempt is made. A copy is never kept as a file."
        ),
    )

    # The first-contact deadline, computed once by the working-day engine.
    first_contact_due = models.DateTimeField(_("first contact due"), editable=False)
    first_contact_warn_at = models.DateTimeField(editable=False)
    first_contact_at = models.DateTimeField(_("first contact attempt"), null=True, blank=True, editable=False)
    # Working hours from received_at to the first attempt, for the yearly KPI.
    first_contact_hours = models.FloatField(null=True, blank=True, editable=False)
    # History, not a recomputation: the deadline and priority in force when the
    # first attempt was made. A later priority change moves first_contact_due of
    # an open case, never whether an attempt already made was within its deadline.
    first_contact_due_then = models.DateTimeField(null=True, blank=True, editable=False)
    first_contact_priority = models.CharField(max_length=10, choices=Priority.choices, blank=True, editable=False)
    # The anonymous call or visit was itself the contact (services.ANSWERED_AT_ONCE):
    # there was no deadline to keep, so the KPI counts it on a line of its own.
    first_contact_at_registration = models.BooleanField(default=False, editable=False)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_reason = models.CharField(_("closing reason"), max_length=20, choices=ClosingReason.choices, blank=True)

    # Set when the personal data was removed (retention period passed, or the seeker asked).
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True, editable=False)
    anonymised_rule = models.CharField(max_length=40, blank=True, editable=False)

    # Bumped on every save; an edit based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    # The seeker's names and e-mail folded, and the phone's digits (cases/search.py):
    # written by save(), emptied with the personal data, never shown nor audited.
    search_key = models.CharField(max_length=400, blank=True, default="", editable=False)
    phone_digits = models.CharField(max_length=30, blank=True, default="", editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="case_number_once_per_year"),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) | ~Q(status="closed"),
                name="closed_case_has_closing_date",
            ),
            # Always so (deadlines.set_deadline adds working hours to received_at); the case
            # list relies on it to read cases received since a day in deadline order.
            models.CheckConstraint(
                condition=Q(first_contact_due__gt=models.F("received_at")), name="deadline_after_received"
            ),
        ]
        indexes = [
            # The sweep reads only open cases still waiting for their first attempt.
            models.Index(
                fields=["first_contact_due"],
                name="case_open_due_idx",
                condition=Q(first_contact_at__isnull=True) & ~Q(status="closed"),
            ),
            models.Index(
                fields=["first_contact_warn_at"],
                name="case_open_warn_idx",
                condition=Q(first_contact_at__isnull=True) & ~Q(status="closed"),
            ),
            models.Index(fields=["status", "-registered_at"], name="case_status_idx"),
            models.Index(fields=["-registered_at"], name="case_registered_idx"),
            # The open-case lists' index (waiting first, NULLS FIRST) is created by
            # migration 0002 on PostgreSQL only: SQLite refuses NULLS FIRST in an index.
            # The case list sorted by received or by deadline (selectors.SORTS, with the pk
            # that breaks ties): the open tabs read their own small index, so that a sort
            # does not walk every closed case before the first open one.
            models.Index(fields=["received_at", "id"], name="case_received_idx"),
            models.Index(fields=["first_contact_due", "id"], name="case_due_idx"),
            models.Index(fields=["received_at", "id"], condition=~Q(status="closed"), name="case_open_received_idx"),
            models.Index(
                fields=["first_contact_due", "id"], condition=~Q(status="closed"), name="case_open_by_due_idx"
            ),
            # The coordinator's start page: recently closed cases.
            models.Index(fields=["-closed_at"], condition=Q(status="closed"), name="case_closed_idx"),
            # Closed cases not yet anonymised, the oldest first: the nightly retention run, its
            # preview, and the start page's count of those due.
            models.Index(
                fields=["closed_at", "id"],
                condition=Q(status="closed", anonymised_at__isnull=True),
                name="case_retention_idx",
            ),
            # Cases whose crime type was guessed by migration 0010, counted on the start page.
            models.Index(fields=["id"], condition=Q(crime_type_to_review=True), name="case_type_review_idx"),
            # The municipalities the cases come from, for the statistics form, one index probe each
            # (stats.figures.municipalities) instead of reading every case on every page.
            models.Index(fields=["municipality"], name="case_municipality_idx"),
            # The seeker's other cases, by the same phone number or e-mail address
            # (cases/seeker_data.related_cases): the erase page and the art. 15 export
            # read them by index instead of every case. UPPER is what Django's iexact
            # lookup compares on PostgreSQL.
            models.Index(fields=["phone"], name="case_phone_idx"),
            models.Index(Upper("email"), name="case_email_idx"),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        # Derived columns of this row, kept in step here so that no way of saving
        # a case (services, the admin, a data migration's model) can leave them stale.
        self.search_key, self.phone_digits = search.keys(
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            phone=self.phone,
            anonymous=self.anonymous or bool(self.anonymised_at),
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and SEARCH_SOURCES.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key", "phone_digits"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.anonymised_at:
            return
        if self.anonymous:
            errors = {
                field: _("An anonymous contact has no %(what)s: leave it empty.") % {"what": label}
                for field, label in (
                    ("first_name", _("name")),
                    ("last_name", _("name")),
                    ("phone", _("phone number")),
                    ("email", _("e-mail address")),
                )
                if getattr(self, field)
            }
            if errors:
                raise ValidationError(errors)
        elif not self.first_name.strip():
            raise ValidationError({"first_name": _("Give the seeker's first name, or mark the contact as anonymous.")})

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def waiting_for_first_contact(self) -> bool:
        return self.first_contact_at is None and not self.is_closed


class AssignmentKind(models.TextChoices):
    SUPPORT_PERSON = "support", _("Support person")
    WITNESS_SUPPORTER = "witness", _("Witness supporter")


class Assignment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(_("as"), max_length=10, choices=AssignmentKind.choices)
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("handover note"), max_length=500, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_note = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"], condition=Q(ended_at__isnull=True), name="one_open_assignment_per_person"
            )
        ]
        indexes = [models.Index(fields=["person"], condition=Q(ended_at__isnull=True), name="open_assignment_idx")]

    def __str__(self):
        return f"assignment #{self.pk}"


# Long enough for a meeting's account, short enough that a pasted document is refused.
JOURNAL_TEXT_MAX = 4000


class JournalEntry(models.Model):
    """A dated entry in the case's journal: who wrote what, and when. Entries
    are added, not rewritten: the author may correct a slip for a short while
    (cases/journal.py), and the audit log keeps that it happened."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal")
    written_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    # None only for the text carried over from the case's old notes field: nobody knows who wrote it.
    # PROTECT as everywhere else: accounts are deactivated, never deleted, so the name stays readable.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("written by"),
    )
    text = models.TextField(_("entry"), max_length=JOURNAL_TEXT_MAX, help_text=NOTES_HELP)
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [models.Index(fields=["case", "-written_at"], name="journal_case_idx")]

    def __str__(self):
        return f"journal entry #{self.pk}"


class AttemptMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    MEETING = "meeting", _("Meeting")


class AttemptOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    MESSAGE_LEFT = "message_left", _("Message left")
    WRONG_NUMBER = "wrong_number", _("Wrong number or address")
    DECLINED = "declined", _("Declined support")


class ContactAttempt(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attempts")
    made_at = models.DateTimeField(_("when"))
    method = models.CharField(_("how"), max_length=10, choices=AttemptMethod.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=AttemptOutcome.choices)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=NOTES_HELP)

    class Meta:
        ordering = ["made_at", "pk"]
        indexes = [
            models.Index(fields=["case", "made_at"], name="attempt_case_idx"),
            # Statistics count a period's attempts. On PostgreSQL it also holds the case
            # and the maker (migration 0020), for index-only scans.
            models.Index(fields=["made_at"], name="attempt_made_idx"),
        ]

    def __str__(self):
        return f"contact attempt #{self.pk}"


class ActionKind(models.TextChoices):
    """What was done for the seeker besides contact attempts, meetings, court
    hearings and referrals (those have records of their own)."""

    ACCOMPANIED_POLICE = "accompanied_police", _("Went with the seeker to the police")
    COMPENSATION_HELP = "compensation_help", _("Help applying for compensation")
    LEGAL_INFORMATION = "legal_information", _("Information about the legal process")
    ACCOMPANIED_OTHER = "accompanied_other", _("Went with the seeker to healthcare or an authority")
    PRACTICAL_HELP = "practical_help", _("Practical help")
    OTHER = "other", _("Other action")


class Action(models.Model):
    """An action taken for the seeker ("insats"), counted for the federation
    (cases/contacts_actions.py). No free text: the kind says what was done, and
    nothing more about the seeker needs to be written down."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    done_on = models.DateField(_("date"))
    kind = models.CharField(_("action"), max_length=20, choices=ActionKind.choices)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["done_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["case", "done_on"], name="action_case_idx"),
            # Statistics count a period's actions.
            models.Index(fields=["done_on"], name="action_done_idx"),
        ]

    def __str__(self):
        return f"action #{self.pk}"


class AlertKind(models.TextChoices):
    WARNING = "warning", format_lazy(_("Less than {hours} working hours left"), hours=rules.WARNING_HOURS)
    OVERDUE = "overdue", _("First-contact deadline passed")


class DeadlineAlert(models.Model):
    """That a deadline event happened for a case; the unique constraint makes
    each event happen once, however many sweeps or workers see it."""

    # No index of its own: the unique constraint's (case, kind) serves lookups by case.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts", db_index=False)
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="one_alert_per_case_and_kind")]

    def __str__(self):
        return f"{self.kind} for case #{self.case_id}"


class Notification(models.Model):
    """An in-app notice and its e-mail. Carries a case number and a link only."""

    # Kept when a deadline change removes its alert: a notice already seen stays in the inbox.
    # Neither has an index of its own: (alert, recipient) and (recipient, read_at) below
    # serve lookups by either, and the deadline sweep writes a notice per recipient.
    alert = models.ForeignKey(
        DeadlineAlert, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications", db_index=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["alert", "recipient"], name="one_notice_per_recipient")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_inbox_idx"),
            models.Index(fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notice_unsent_idx"),
        ]

    def __str__(self):
        return f"notification #{self.pk}"


# ---------------------------------------------------------------------------
# Paper kept in the locked cabinet, and how long personal data is kept.


class PaperKind(models.TextChoices):
    POLICE_REFERRAL = "police_referral", _("Police referral form")
    NOTES = "notes", _("Handwritten notes")
    LETTER = "letter", _("Letter or copy of a document")
    OTHER = "other", _("Other paper")


class PaperRecord(models.Model):
    """A paper document about a case in the locked cabinet, until someone confirms it shredded.

    A police referral form is shredded once the first contact attempt is made;
    everything else once the case is closed.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="paper_records")
    kind = models.CharField(_("document"), max_length=20, choices=PaperKind.choices)
    description = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("What the paper is, without names (for example: notes from the meeting on 3 May)."),
    )
    filed_on = models.DateField(_("filed in the cabinet on"), default=timezone.localdate)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shredded_at = models.DateTimeField(_("shredded"), null=True, blank=True)
    shredded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["filed_on", "pk"]
        indexes = [models.Index(fields=["case"], condition=Q(shredded_at__isnull=True), name="paper_unshredded_idx")]

    def __str__(self):
        return f"paper record #{self.pk}"


class RetentionHold(models.Model):
    """Keeps a closed case's personal data past the retention period, with a reason, until a date."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="holds")
    reason = models.CharField(
        _("reason"),
        max_length=300,
        help_text=_("For example: witness support continues, the trial is set for March. No names."),
    )
    until = models.DateField(_("keep until"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"retention hold #{self.pk}"


class ShreddingReminder(models.Model):
    """One row per person and day: the shredding reminder goes out at most once a day."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    records = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="shredding_reminder_once_a_day")]

    def __str__(self):
        return f"shredding reminder #{self.pk}"


class RiskCheck(models.Model):
    """The short risk check at intake; repeated when things change, each kept.
    It records answers, not the story: no field for who threatens whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_checks")
    immediate_danger = models.CharField(
        _("Is the seeker in immediate danger?"), max_length=10, choices=YesNoUnknown.choices
    )
    threats_known_person = models.CharField(
        _("Threats from a person the seeker knows?"), max_length=10, choices=YesNoUnknown.choices
    )
    children_at_risk = models.CharField(_("Children at risk?"), max_length=10, choices=YesNoUnknown.choices)
    protected_identity_needed = models.CharField(
        _("Protected identity, or a need for it?"), max_length=10, choices=YesNoUnknown.choices
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    urgent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    urgent_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"risk check #{self.pk}"

    @property
    def danger(self) -> bool:
        return self.immediate_danger == YesNoUnknown.YES


class SeekerIdentifier(models.Model):
    """A normalised value that identifies a case's seeker: a surname part, a
    phone number's digits or an e-mail address (cases/identifiers.py). Removed
    with the personal data when the case is anonymised."""

    SURNAME, PHONE, EMAIL = "surname", "phone", "email"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)
    value = models.CharField(max_length=254, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind", "value"], name="one_identifier_row")]

    def __str__(self):
        return f"identifier #{self.pk}"
