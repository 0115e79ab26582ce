"""Forms for volunteer assignments (with the confidentiality pledge) and supervision sessions."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jour import uploads
from jour.forms import DateInput

from .. import followup
from ..models import SupervisionKind, SupervisionSession, VolunteerAssignment

PLEDGE_SCAN_KINDS = ("pdf", "png", "jpeg")
PLEDGE_SCAN_MAX_BYTES = 10 * 1024 * 1024


def _not_in_future(value, message):
    if value and value > timezone.localdate():
        raise ValidationError(message, code="future")
    return value


class VolunteerForm(forms.ModelForm):
    """A volunteer assignment: roles, training, pledge and capacity. The end
    date is not here: ending goes through members.services.end_engagement,
    which also takes the person off their cases and closes their account."""

    pledge_scan = forms.FileField(
        label=_("Scan of the signed pledge"),
        required=False,
        help_text=format_lazy(
            _(
                "A PDF, PNG or JPEG file of at most {mb} MB. It is stored under a generated name and "
                "only coordinators can download it."
            ),
            mb=uploads.DEFAULT_MAX_MB,
        ),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    remove_pledge_scan = forms.BooleanField(
        label=_("Delete the stored scan"),
        required=False,
        help_text=_("For a wrong file. The pledge date stays unless you clear it."),
    )

    class Meta:
        model = VolunteerAssignment
        fields = ["start", "support_person", "witness_supporter", "basic_training_on", "pledge_signed_on", "capacity"]
        widgets = {"start": DateInput(), "basic_training_on": DateInput(), "pledge_signed_on": DateInput()}
        help_texts = {"capacity": _("How many cases the volunteer can have at a time.")}

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if self.instance.pk is None and not self.initial.get("start"):
            self.initial["start"] = timezone.localdate()
        if not self.instance.pledge_scan:
            del self.fields["remove_pledge_scan"]
        else:
            self.fields["pledge_scan"].help_text = _(
                "A scan is stored. Choose a file only to replace it: a PDF, PNG or JPEG file of at most %(mb)s MB."
            ) % {"mb": uploads.DEFAULT_MAX_MB}

    def clean_pledge_scan(self):
        upload = self.cleaned_data.get("pledge_scan")
        if upload:
            uploads.validate_upload(upload, allowed=PLEDGE_SCAN_KINDS, max_bytes=PLEDGE_SCAN_MAX_BYTES)
        return upload

    def clean_basic_training_on(self):
        return _not_in_future(
            self.cleaned_data.get("basic_training_on"), _("The basic training date cannot be in the future.")
        )

    def clean_pledge_signed_on(self):
        return _not_in_future(
            self.cleaned_data.get("pledge_signed_on"), _("The pledge cannot be signed in the future.")
        )

    def clean(self):
        data = super().clean()
        if "support_person" in data and not (data.get("support_person") or data.get("witness_supporter")):
            self.add_error("support_person", _("Choose at least one: support person or witness supporter (or both)."))
        start = data.get("start")
        if start and self.instance.end and start > self.instance.end:
            self.add_error("start", _("The start cannot be after the assignment's end date."))
        keeps_scan = bool(self.instance.pledge_scan) and not data.get("remove_pledge_scan")
        if (data.get("pledge_scan") or keeps_scan) and "pledge_signed_on" in data and not data["pledge_signed_on"]:
            self.add_error("pledge_signed_on", _("Give the date the pledge was signed."))
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
                    % {"start": date_format(current.start, "SHORT_DATE_FORMAT")},
                )
        return data


class SupervisionForm(forms.ModelForm):
    """A supervision session that was held, with the volunteers who took part."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionKind.choices, widget=forms.RadioSelect)

    class Meta:
        model = SupervisionSession
        fields = ["held_on", "kind", "supervisor", "participants", "note"]
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
        return _not_in_future(
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
