from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jour import access
from jour.forms import BoundedModelMultipleChoiceField, DateInput, PlainSelect
from jour.models import User

from . import assignability, municipalities, services
from .models import (
    ActionKind,
    AssignmentKind,
    AttemptMethod,
    AttemptOutcome,
    Case,
    Channel,
    Circumstance,
    ClosingReason,
    CrimeType,
    FirstContactBy,
    JournalEntry,
    PaperKind,
    Priority,
    RiskCheck,
    Status,
    YesNoUnknown,
)
from .search import TERM_MAX_LENGTH
from .services import ANONYMISED_ON_REQUEST, EARLIEST_RECEIVED, EDITABLE_FIELDS


class LocalDateTimeInput(forms.DateTimeInput):
    """A phone-friendly date and time picker, in the jour's time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _now_local_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class OwnIds:
    """The case page shows several forms at once, and two of them may both have
    a "note" or a "kind": each names its fields' ids after itself, so every id
    on the page is unique and every label points at its own field. The field
    names, and so what the views read from a POST, stay as they are."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class CaseForm(forms.ModelForm):
    """The coordinator's form: every field a case has."""

    class Meta:
        model = Case
        fields = EDITABLE_FIELDS
        widgets = {
            "received_at": LocalDateTimeInput(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "circumstances": forms.CheckboxSelectMultiple,
            # The long lists (290 municipalities): Django's per-option templates
            # made them most of the case form's render time.
            "municipality": PlainSelect,
            "crime_type": PlainSelect,
        }
        field_classes = {"circumstances": BoundedModelMultipleChoiceField}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_anonymous = forms.BooleanField(
        label=_("Yes: remove the seeker's name, contact details and notes from this case now"),
        required=False,
        help_text=_("Needed to make a registered case anonymous. It cannot be undone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The official list by name; blank is "not known", not a dash.
        self.fields["municipality"].choices = [("", _("Not known")), *municipalities.choices()]
        if "circumstances" in self.fields:
            # The markers in use, and any retired one this case already carries.
            markers = self.fields["circumstances"]
            # A subquery on this case's rows: OR-ing the two querysets joined every
            # case's markers (30 ms on 50,000 cases, run twice per render).
            had = Q(pk__in=self.instance.circumstances.values("pk")) if self.instance.pk else Q()
            markers.queryset = Circumstance.objects.filter(Q(active=True) | had)
            markers.label_from_instance = lambda marker: marker.label
        if "first_contact_by" in self.fields:
            field = self.fields["first_contact_by"]
            field.required = False
            field.choices = [("", _("As the channel says")), *FirstContactBy.choices]
            field.help_text = _(
                "Leave it to follow the channel (a police referral: the police; another organisation: someone else; "
                "otherwise the seeker), or choose."
            )
        if not self.instance.pk:
            self.fields["received_at"].initial = _now_local_minute()
        else:
            self.fields["version"].initial = self.instance.version
        if not self.instance.pk or self.instance.anonymous or "anonymous" not in self.fields:
            del self.fields["confirm_anonymous"]

    def clean(self):
        cleaned = super().clean()
        if "confirm_anonymous" in self.fields and cleaned.get("anonymous"):
            if not cleaned.get("confirm_anonymous"):
                self.add_error(
                    "confirm_anonymous",
                    _("Making the case anonymous removes the seeker's name, contact details and notes: confirm it."),
                )
            else:
                for field in ANONYMISED_ON_REQUEST:
                    cleaned[field] = ""
        return cleaned


class CircumstanceForm(forms.ModelForm):
    class Meta:
        model = Circumstance
        fields = ["name", "active", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].help_text = _("Lower numbers come first on the case form and in the statistics.")
        if self.instance.code:
            # The federation's own: its name is the federation's, in the reader's language.
            self.fields["name"].disabled = True
            self.fields["name"].help_text = _("One of the federation's markers: its name cannot be changed.")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Circumstance.objects.exclude(pk=self.instance.pk)
        taken = {str(marker.label).casefold() for marker in others} | {m.name.casefold() for m in others}
        if name.casefold() in taken:
            raise forms.ValidationError(_("There is already a special circumstance with that name."))
        return name


class SupportPersonCaseForm(CaseForm):
    """What a support person keeps up to date on their own case; the deadline
    inputs (received, priority, channel) stay with the coordinator."""

    class Meta(CaseForm.Meta):
        # Whether a seeker stays anonymous is the coordinator's decision: it wipes the name.
        fields = [
            f
            for f in EDITABLE_FIELDS
            if f not in {"received_at", "priority", "channel", "police_referral_form", "anonymous"}
        ]


class AssignForm(forms.Form):
    """Who gets the case, each offered with their load (open cases against what
    they can take); choosing one already full asks for a tick to go ahead."""

    person = forms.ModelChoiceField(
        label=_("Support person"),
        queryset=User.objects.none(),
        error_messages={
            "invalid_choice": _(
                "This person cannot be given a case now: only active support persons with a signed "
                "confidentiality pledge on record can."
            )
        },
    )
    kind = forms.ChoiceField(label=_("As"), choices=AssignmentKind.choices)
    note = forms.CharField(
        label=_("Handover note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the support person needs to know. No details about a suspect."),
    )
    # Hidden until the person chosen is full: then shown, with the warning as its error.
    confirm_over_capacity = forms.BooleanField(
        label=_("Assign anyway, over their capacity"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        day = timezone.localdate()
        users = assignability.assignable(access.may_be_assigned_cases.users(), day)
        self.fields["person"].queryset = assignability.with_load(users, day).order_by("name", "pk")
        self.fields["person"].label_from_instance = _with_load

    def add_error(self, field, error):
        super().add_error(field, error)
        if self._errors and "confirm_over_capacity" in self._errors:
            self.fields["confirm_over_capacity"].widget = forms.CheckboxInput()

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person is not None and not cleaned.get("confirm_over_capacity"):
            load = assignability.Load(person.open_cases, person.capacity)
            if load.full:
                self.add_error("confirm_over_capacity", services.over_capacity_warning(person, load))
        return cleaned


def _with_load(user) -> str:
    """ "Anna Andersson — 3 of 4 cases": the choice, with what the person already has."""
    if user.capacity is None:
        load = ngettext("%(open)s case", "%(open)s cases", user.open_cases) % {"open": user.open_cases}
    else:
        load = ngettext("%(open)s of %(capacity)s case", "%(open)s of %(capacity)s cases", user.capacity) % {
            "open": user.open_cases,
            "capacity": user.capacity,
        }
    return f"{user.name} — {load}"


class EndAssignmentForm(forms.Form):
    note = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AttemptForm(OwnIds, forms.Form):
    id_prefix = "attempt"

    made_at = forms.DateTimeField(label=_("When"), widget=LocalDateTimeInput(), initial=_now_local_minute)
    method = forms.ChoiceField(label=_("How"), choices=AttemptMethod.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AttemptOutcome.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Optional. Never write who committed the crime."),
    )


class ActionForm(OwnIds, forms.Form):
    id_prefix = "action"

    done_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(
        label=_("Action"),
        choices=ActionKind.choices,
        help_text=_("Contact attempts, meetings, court hearings and referrals are counted from their own records."),
    )


class CloseForm(OwnIds, forms.Form):
    id_prefix = "close"

    reason = forms.ChoiceField(label=_("Closing reason"), choices=ClosingReason.choices)


class KpiForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    granularity = forms.ChoiceField(
        label=_("Per"),
        choices=[("month", _("month")), ("quarter", _("quarter")), ("year", _("year"))],
        initial="month",
    )


class PaperForm(OwnIds, forms.Form):
    id_prefix = "paper"

    kind = forms.ChoiceField(label=_("Document"), choices=PaperKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What the paper is, without names (for example: notes from the meeting on 3 May)."),
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput(), initial=timezone.localdate)


class HoldForm(OwnIds, forms.Form):
    id_prefix = "hold"

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("For example: witness support continues, the trial is set for March. No names."),
    )
    until = forms.DateField(label=_("Keep until"), widget=DateInput())


class EraseSeekerForm(forms.Form):
    confirm = forms.CharField(label=_("Type the case number to confirm"), max_length=12)

    def __init__(self, *args, number: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.fields["confirm"].widget.attrs["autocomplete"] = "off"

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"].strip()
        if typed != self.number:
            raise forms.ValidationError(
                _("Type %(number)s to confirm the erasure. Nothing has been erased.") % {"number": self.number}
            )
        return typed


class RiskCheckForm(OwnIds, forms.ModelForm):
    id_prefix = "risk"

    class Meta:
        model = RiskCheck
        fields = ["immediate_danger", "threats_known_person", "children_at_risk", "protected_identity_needed"]
        widgets = dict.fromkeys(fields, forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Three answers and none chosen: a ModelForm's empty "---------" radio came
            # preselected, so a question skipped looked like a question answered.
            field.choices = YesNoUnknown.choices
            field.error_messages["required"] = _("Answer yes, no or not known.")


# --- Finding a case -------------------------------------------------------------


class CaseSearchForm(forms.Form):
    """The case list's search box. Posted, never sent in a query string: the
    term is a name or a phone number (views/cases.py keeps it in the session)."""

    q = forms.CharField(
        label=_("Case number, name, phone or e-mail"),
        max_length=TERM_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


def _any(choices) -> list:
    return [("", _("Any")), *choices]


# A filter's own value is no personal data, so filters travel in the query string.
FILTER_FIELDS = ("status", "priority", "person", "crime_type", "channel", "received_from", "received_to")
CHOOSE_FROM_LIST = {"invalid_choice": _("Choose only from the list.")}
LATEST_YEAR = 2100


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_any(Status.choices),
        error_messages=CHOOSE_FROM_LIST,
        widget=PlainSelect,
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=_any(Priority.choices),
        error_messages=CHOOSE_FROM_LIST,
        widget=PlainSelect,
    )
    person = forms.TypedChoiceField(
        label=_("Support person"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=CHOOSE_FROM_LIST,
        widget=PlainSelect,
    )
    crime_type = forms.ChoiceField(
        label=_("Crime type"),
        required=False,
        choices=_any(CrimeType.choices),
        error_messages=CHOOSE_FROM_LIST,
        widget=PlainSelect,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=_any(Channel.choices),
        error_messages=CHOOSE_FROM_LIST,
        widget=PlainSelect,
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DateInput())
    # Also offered as links in the table's headings; a phone shows no headings.
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        error_messages=CHOOSE_FROM_LIST,
        widget=PlainSelect,
        choices=[
            ("", _("As the tab orders it")),
            ("due", _("Deadline, soonest first")),
            ("-due", _("Deadline, latest first")),
            ("-received", _("Received, newest first")),
            ("received", _("Received, oldest first")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if access.may_see_every_case(user):
            # Offered by name; checked against this list, so no id from the URL reaches a query.
            people = access.may_be_assigned_cases.users().order_by("name").values_list("pk", "name")
            self.fields["person"].choices = _any([(str(pk), name) for pk, name in people])
        else:
            # A support person's list holds only their own cases.
            del self.fields["person"]

    def _clean_day(self, field):
        day = self.cleaned_data[field]
        if day and not (EARLIEST_RECEIVED.date() <= day and day.year <= LATEST_YEAR):
            raise forms.ValidationError(_("Give a date between the year 2000 and %(year)s.") % {"year": LATEST_YEAR})
        return day

    def clean_received_from(self):
        return self._clean_day("received_from")

    def clean_received_to(self):
        return self._clean_day("received_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end of the period comes before its start."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters: a bad one is left out (and shown with its error), the rest still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        chosen = {field: self.cleaned_data.get(field) for field in FILTER_FIELDS}
        return {field: value for field, value in chosen.items() if value not in (None, "")}


class JournalForm(OwnIds, forms.ModelForm):
    id_prefix = "journal"

    class Meta:
        model = JournalEntry
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": _("New entry")}
        error_messages = {
            "text": {
                "required": _("The entry is empty: write what happened before saving."),
                "max_length": _(
                    "An entry can be at most %(limit_value)d characters; this one has %(show_value)d. "
                    "Shorten it, or split it into two entries."
                ),
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength in the page: a browser cuts a long paste off without a word,
        # while the server refuses it with a message and keeps every character typed.
        self.fields["text"].widget.attrs.pop("maxlength", None)
        if self.instance.pk:
            self.fields["text"].label = _("Corrected text")
