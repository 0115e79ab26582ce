from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from jour import access
from jour.forms import BoundedModelMultipleChoiceField, DateInput
from jour.models import User

from .models import CASE_KINDS, NO_NAMES_HELP, WEEKDAYS, AppointmentKind, PhoneClosure, PhoneHours, Place
from .selectors import combine
from .services import check_sane_day


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AppointmentKind.choices)
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=12,
        required=False,
        help_text=_("For a meeting with a seeker, and for a hearing that belongs to a case."),
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput())
    venue = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.filter(active=True),
        required=False,
        help_text=_("From the jour's register of places: the only place reminders and calendar apps show."),
    )
    place = forms.CharField(
        label=_("Address or directions"),
        max_length=150,
        required=False,
        help_text=_("Shown on this site only, never in e-mails or calendar apps."),
    )
    room = forms.CharField(label=_("Courtroom or room"), max_length=60, required=False)
    title = forms.CharField(label=_("Title"), max_length=120, required=False, help_text=NO_NAMES_HELP)
    participants = BoundedModelMultipleChoiceField(
        label=_("Who goes"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if access.may_plan_every_appointment(user):
            self.fields["participants"].queryset = access.may_plan_appointments.users().order_by("name")
        else:
            # A support person plans their own meetings and hearings and goes themselves.
            self.fields["kind"].choices = [(k, label) for k, label in AppointmentKind.choices if k in CASE_KINDS]
            del self.fields["participants"]

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        if not number:
            return None
        case = Case.objects.visible_to(self.user).filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("No case of yours has that number."))
        return case

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("The appointment must end after it starts."))
        if cleaned.get("day"):
            try:
                check_sane_day(cleaned["day"])  # before the day meets a time zone: 0001-01-01 cannot
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def appointment_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "case": data["case_number"],
            "starts_at": combine(data["day"], data["starts"]),
            "ends_at": combine(data["day"], data["ends"]),
            "venue": data["venue"],
            "place": data["place"],
            "room": data["room"],
            "title": data["title"],
        }


class PhoneHoursForm(forms.Form):
    """The week's staffed hours: a weekday left empty is not staffed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {row.weekday: row for row in PhoneHours.objects.all()}
        for weekday, label in enumerate(WEEKDAYS):
            row = current.get(weekday)
            self.fields[f"opens_{weekday}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": label},
                required=False,
                widget=TimeInput(),
                initial=row.opens if row else None,
            )
            self.fields[f"closes_{weekday}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": label},
                required=False,
                widget=TimeInput(),
                initial=row.closes if row else None,
            )

    def rows(self):
        for weekday, label in enumerate(WEEKDAYS):
            yield label, self[f"opens_{weekday}"], self[f"closes_{weekday}"]

    def clean(self):
        cleaned = super().clean()
        self.hours: dict[int, tuple[time, time]] = {}
        for weekday in range(7):
            opens, closes = cleaned.get(f"opens_{weekday}"), cleaned.get(f"closes_{weekday}")
            if opens is None and closes is None:
                continue
            if opens is None or closes is None:
                self.add_error(f"opens_{weekday}", _("Give both the opening and the closing time, or neither."))
            elif closes <= opens:
                self.add_error(f"closes_{weekday}", _("The phone must close after it opens."))
            else:
                self.hours[weekday] = (opens, closes)
        return cleaned


class PhoneClosureForm(forms.ModelForm):
    class Meta:
        model = PhoneClosure
        fields = ["day", "reason"]
        widgets = {"day": DateInput()}
        error_messages = {"day": {"unique": _("That day is already closed.")}}


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["name", "kind", "address", "active"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it did not take place"),
        max_length=200,
        help_text=_("For example: the seeker cancelled, the hearing was postponed. No names."),
    )
