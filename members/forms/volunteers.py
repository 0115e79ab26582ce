"""Forms for volunteer assignments and supervision sessions. The confidentiality
pledge is the person's: its form is in forms/pledges.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jour import formatting
from jour.forms import BoundedModelMultipleChoiceField, DateInput

from .. import followup
from ..models import SupervisionKind, SupervisionSession, VolunteerAssignment


def not_in_future(value, message):
    if value and value > timezone.localdate():
        raise ValidationError(message, code="future")
    return value


class VolunteerForm(forms.ModelForm):
    """A volunteer assignment: roles, training and capacity. The end date is
    not here: ending goes through members.services.end_engagement, which also
    takes the person off their cases and closes their account. Nor is the
    confidentiality pledge: it is the person's, recorded on the person's page."""

    class Meta:
        model = VolunteerAssignment
        fields = ["start", "support_person", "witness_supporter", "basic_training_on", "capacity"]
        widgets = {"start": DateInput(), "basic_training_on": DateInput()}
        help_texts = {"capacity": _("How many cases the volunteer can have at a time.")}

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if self.instance.pk is None and not self.initial.get("start"):
            self.initial["start"] = timezone.localdate()

    def clean_basic_training_on(self):
        return not_in_future(
            self.cleaned_data.get("basic_training_on"), _("The basic training date cannot be in the future.")
        )

    def clean(self):
        data = super().clean()
        if "support_person" in data and not (data.get("support_person") or data.get("witness_supporter")):
            self.add_error("support_person", _("Choose at least one: support person or witness supporter (or both)."))
        start = data.get("start")
        if start and self.instance.end and start > self.instance.end:
            self.add_error("start", _("The start cannot be after the assignment's end date."))
        if start and self.instance.pk is None:
            current = (
                VolunteerAssignment.objects.filter(person=self.person)
                .filter(Q(end__isnull=True) | Q(end__gt=start))
                .order_by("start")
                .first()
            )
            if current is not None:
                self.add_error(
                    None,
                    _(
                        "This person already has a volunteer assignment from %(start)s that has not ended by then: "
                        "edit that one instead."
                    )
                    % {"start": formatting.day(current.start)},
                )
        return data


class SupervisionForm(forms.ModelForm):
    """A supervision session that was held, with the volunteers who took part."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionKind.choices, widget=forms.RadioSelect)

    class Meta:
        model = SupervisionSession
        fields = ["held_on", "kind", "supervisor", "participants", "note"]
        field_classes = {"participants": BoundedModelMultipleChoiceField}
        widgets = {
            "held_on": DateInput(),
            "participants": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        }
        help_texts = {
            "supervisor": _("Who led the session."),
            "participants": _("Volunteers with an active assignment."),
            "note": _("Themes only, in a few words. Never name or describe a seeker, and no case details."),
        }

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        day = day or timezone.localdate()
        participants = self.fields["participants"]
        participants.queryset = followup.active_volunteers(day).order_by("name", "pk")
        participants.label_from_instance = lambda person: person.name
        self.fields["held_on"].initial = day

    def clean_held_on(self):
        return not_in_future(
            self.cleaned_data.get("held_on"), _("Record a session once it has been held: the date is in the future.")
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") and "participants" in data:
            try:
                followup.check_participants(data["kind"], data["participants"])
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
        return data
