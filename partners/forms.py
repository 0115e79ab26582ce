from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import OwnIds
from jour.forms import DateInput

from .models import Partner, Referral, Routine, RoutineConfirmation


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "phone",
            "email",
            "address",
            "website",
            "opening_hours",
            "contact_person",
            "contact_details",
            "active",
        ]


class ReferralForm(OwnIds, forms.ModelForm):
    id_prefix = "referral"  # on the case page, beside cases' own forms

    class Meta:
        model = Referral
        fields = ["direction", "partner", "reason", "made_on", "consent", "consent_way", "note"]
        widgets = {"made_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(active=True)

    def _post_clean(self):
        # The consent rule is the service's (and the database's); refused there with its message.
        pass


class RoutineForm(forms.ModelForm):
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    class Meta:
        model = Routine
        fields = ["name", "crime_type", "circumstance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circumstance"].label_from_instance = lambda marker: marker.label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("crime_type") and cleaned.get("circumstance"):
            raise forms.ValidationError(
                _("A routine is for one crime type or for one special circumstance: choose one of them.")
            )
        return cleaned


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200)
    partner = forms.ModelChoiceField(label=_("Responsible"), queryset=Partner.objects.all(), required=False)
    how_to_reach = forms.CharField(label=_("How to reach them"), max_length=300, required=False)
    tip = forms.CharField(label=_("Tip"), max_length=500, required=False)


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True, max_num=40, validate_max=True)


class ConfirmationForm(forms.ModelForm):
    class Meta:
        model = RoutineConfirmation
        fields = ["organisation", "representative", "confirmed_on"]
        widgets = {"confirmed_on": DateInput()}
