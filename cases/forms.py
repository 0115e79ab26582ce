from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jour import access
from jour.forms import BoundedModelMultipleChoiceField, DateInput
from jour.models import User

from . import assignability, municipalities
from .models import (
    ActionKind,
    AssignmentKind,
    AttemptMethod,
    AttemptOutcome,
    Case,
    Circumstance,
    ClosingReason,
    FirstContactBy,
    PaperKind,
    RiskCheck,
    YesNoUnknown,
)
from .services import ANONYMISED_ON_REQUEST, EDITABLE_FIELDS


class LocalDateTimeInput(forms.DateTimeInput):
    """A phone-friendly date and time picker, in the jour's time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _now_local_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class CaseForm(forms.ModelForm):
    """The coordinator's form: every field a case has."""

    class Meta:
        model = Case
        fields = EDITABLE_FIELDS
        widgets = {
            "received_at": LocalDateTimeInput(),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "circumstances": forms.CheckboxSelectMultiple,
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
            had = self.instance.circumstances.all() if self.instance.pk else Circumstance.objects.none()
            markers.queryset = (Circumstance.objects.in_use() | had).distinct()
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = assignability.assignable(access.may_be_assigned_cases.users(), timezone.localdate())
        self.fields["person"].queryset = users.order_by("name")
        self.fields["person"].label_from_instance = lambda user: user.name


class EndAssignmentForm(forms.Form):
    note = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AttemptForm(forms.Form):
    made_at = forms.DateTimeField(label=_("When"), widget=LocalDateTimeInput(), initial=_now_local_minute)
    method = forms.ChoiceField(label=_("How"), choices=AttemptMethod.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AttemptOutcome.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Optional. Never write who committed the crime."),
    )


class ActionForm(forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(
        label=_("Action"),
        choices=ActionKind.choices,
        help_text=_("Contact attempts, meetings, court hearings and referrals are counted from their own records."),
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Closing reason"), choices=ClosingReason.choices)


class KpiForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    granularity = forms.ChoiceField(
        label=_("Per"),
        choices=[("month", _("month")), ("quarter", _("quarter")), ("year", _("year"))],
        initial="month",
    )


class PaperForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=PaperKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What the paper is, without names (for example: notes from the meeting on 3 May)."),
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput(), initial=timezone.localdate)


class HoldForm(forms.Form):
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


class RiskCheckForm(forms.ModelForm):
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
