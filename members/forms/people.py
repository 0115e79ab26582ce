"""Forms of the people register: a person's contact details, their engagements,
the search box, login access, ending an engagement and confirming an erasure.

The forms only validate; the views save through members.services where a
service exists.
"""

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jour.forms import DateInput
from jour.models import Role, User, normalise_email

from ..models import Membership, MembershipKind, Person
from ..services import EMPLOYMENT

# What a coordinator may add on the people pages. Volunteer assignments and
# board terms have pages of their own.
ENGAGEMENT_CHOICES = [
    (MembershipKind.MEMBER, MembershipKind.MEMBER.label),
    (MembershipKind.SUPPORTING, MembershipKind.SUPPORTING.label),
    (EMPLOYMENT, _("Employee")),
]
FIRST_ENGAGEMENT_CHOICES = [
    ("", _("None yet")),
    (MembershipKind.MEMBER, MembershipKind.MEMBER.label),
    (MembershipKind.SUPPORTING, MembershipKind.SUPPORTING.label),
]

PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-/]+$")
POSTCODE = re.compile(r"^(\d{3}) ?(\d{2})$")


def _off(widget_class, **attrs):
    """A widget the browser does not fill in with the coordinator's own details."""
    return widget_class(attrs={"autocomplete": "off", **attrs})


def phone_digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _fee_year_field():
    return forms.IntegerField(
        label=_("Fee paid for year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("The latest year whose membership fee is paid. Leave empty if not paid yet."),
    )


def _start_field(**kwargs):
    return forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate, **kwargs)


def membership_requirement_errors(kind: str, *, email: str, address: str, postcode: str, town: str) -> dict:
    """What a membership of `kind` needs of the person's contact details, as
    errors per field: a supporting member an e-mail address, a member an
    e-mail address or a postal address (for the notice of the annual meeting)."""
    if kind == MembershipKind.SUPPORTING and not email:
        return {"email": _("A supporting member needs an e-mail address.")}
    if kind == MembershipKind.MEMBER and not email and not (address and postcode and town):
        return {
            "email": _(
                "A member needs an e-mail address or a postal address, so that the notice of the "
                "annual meeting reaches them."
            )
        }
    return {}


class PersonForm(forms.ModelForm):
    """A person's contact details and, optionally, the login account that is theirs."""

    class Meta:
        model = Person
        fields = ["name", "email", "phone", "address", "postcode", "town", "account"]
        widgets = {
            "name": _off(forms.TextInput),
            "email": _off(forms.EmailInput),
            "phone": _off(forms.TextInput, type="tel"),
            "address": _off(forms.TextInput),
            "postcode": _off(forms.TextInput, inputmode="numeric"),
            "town": _off(forms.TextInput),
        }
        help_texts = {
            "phone": _("For example 070-123 45 67 or +46 70 123 45 67."),
            "postcode": _("Five digits, for example 123 45."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        account = self.fields["account"]
        free = Q(person__isnull=True, is_active=True)
        if self.instance.account_id:
            free |= Q(pk=self.instance.account_id)
        account.queryset = User.objects.filter(free).order_by("name")
        account.label_from_instance = self._account_label
        account.empty_label = _("No login account")
        account.help_text = _(
            "Only accounts that are not linked to anyone else are offered. Whether the account stays open "
            "follows the person's engagements: a support person needs a volunteer assignment, a coordinator "
            "an employment or volunteer assignment, a board member a board term."
        )

    @staticmethod
    def _account_label(user: User) -> str:
        return f"{user.name} ({user.email}, {user.get_role_display()})"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the person's name."))
        return name

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and (not PHONE_CHARACTERS.match(phone) or len(phone_digits(phone)) < 5):
            raise forms.ValidationError(
                _("Enter a phone number with digits, spaces and dashes only, for example 070-123 45 67.")
            )
        return phone

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if not postcode:
            return ""
        match = POSTCODE.match(postcode)
        if not match:
            raise forms.ValidationError(_("Enter a postcode of five digits, for example 123 45."))
        return f"{match.group(1)} {match.group(2)}"

    def clean_address(self):
        return " ".join(self.cleaned_data["address"].split())

    def clean_town(self):
        return " ".join(self.cleaned_data["town"].split())

    def clean(self):
        cleaned = super().clean()
        parts = ("address", "postcode", "town")
        if any(cleaned.get(part) for part in parts):
            for part in parts:
                if part in cleaned and not cleaned[part]:
                    self.add_error(part, _("Fill in the street address, postcode and town together."))
        if self.instance.pk:
            self._check_memberships(cleaned)
        return cleaned

    def _check_memberships(self, cleaned) -> None:
        """The contact details a current or coming membership needs stay filled in."""
        today = timezone.localdate()
        kinds = set(
            self.instance.memberships.filter(Q(end__isnull=True) | Q(end__gte=today)).values_list("kind", flat=True)
        )
        for kind in sorted(kinds):
            for field, message in membership_requirement_errors(kind, **self.contact()).items():
                if field not in self.errors:
                    self.add_error(field, message)

    FIELDSETS = [
        (_("Contact details"), ["name", "email", "phone", "address", "postcode", "town"]),
        (_("Login account"), ["account"]),
    ]

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def contact(self) -> dict:
        return {key: self.cleaned_data.get(key) or "" for key in ("email", "address", "postcode", "town")}


class PersonCreateForm(PersonForm):
    """A new person, and optionally their membership from the start."""

    first_engagement = forms.ChoiceField(
        label=_("Membership"),
        choices=FIRST_ENGAGEMENT_CHOICES,
        required=False,
        help_text=_("A supporting member needs a name and an e-mail address only."),
    )
    start = _start_field(required=False)
    fee_paid_for = _fee_year_field()

    FIELDSETS = [*PersonForm.FIELDSETS, (_("Membership"), ["first_engagement", "start", "fee_paid_for"])]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("first_engagement")
        if not kind:
            return cleaned
        if not cleaned.get("start") and "start" not in self.errors:
            self.add_error("start", _("Enter the date the membership starts."))
        for field, message in membership_requirement_errors(kind, **self.contact()).items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class EngagementForm(forms.Form):
    """A membership or an employment for a person already in the register."""

    what = forms.ChoiceField(label=_("Engagement"), choices=ENGAGEMENT_CHOICES)
    start = _start_field()
    end = forms.DateField(
        label=_("Until"), widget=DateInput(), required=False, help_text=_("Leave empty if it has no end date yet.")
    )
    title = forms.CharField(
        label=_("Job title"), max_length=100, required=False, help_text=_("Employees only, for example Coordinator.")
    )
    fee_paid_for = _fee_year_field()

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        cleaned = super().clean()
        what, start, end = cleaned.get("what"), cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        if what == EMPLOYMENT:
            if not cleaned.get("title"):
                self.add_error("title", _("Enter the job title."))
            if cleaned.get("fee_paid_for"):
                self.add_error("fee_paid_for", _("Only memberships have a fee. Leave this empty for an employee."))
        elif what in MembershipKind.values:
            if cleaned.get("title"):
                self.add_error("title", _("Only employees have a job title. Leave this empty for a membership."))
            contact = {key: getattr(self.person, key) for key in ("email", "address", "postcode", "town")}
            for message in membership_requirement_errors(what, **contact).values():
                self.add_error("what", _("%(rule)s Add it on the person's edit page first.") % {"rule": message})
            if start and "end" not in self.errors and self._overlapping_membership(start, end):
                self.add_error(
                    "start",
                    _("The person already has a membership during this time. End it first, or choose dates after it."),
                )
        return cleaned

    def _overlapping_membership(self, start, end) -> bool:
        overlapping = Q(end__isnull=True) | Q(end__gte=start)
        if end is not None:
            overlapping &= Q(start__lte=end)
        return Membership.objects.filter(overlapping, person=self.person).exists()


class LoginAccessForm(forms.Form):
    """Give a person in the register login access: the role of the account.
    The name and address come from the register (members.services.invite_person)."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class EndEngagementForm(forms.Form):
    end = forms.DateField(label=_("End on"), widget=DateInput(), initial=timezone.localdate)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, e-mail or phone"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


def erase_word() -> str:
    return str(_("ERASE"))


class EraseForm(forms.Form):
    confirm = forms.CharField(label=_("Type the word shown above to confirm"), max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].widget.attrs["autocomplete"] = "off"

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"].strip()
        if typed.casefold() != erase_word().casefold():
            raise forms.ValidationError(
                _("Type %(word)s to confirm the erasure. Nothing has been erased.") % {"word": erase_word()}
            )
        return typed
