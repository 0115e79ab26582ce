from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import AgeGroup, Case, Gender
from jour import access
from jour.forms import BoundedModelMultipleChoiceField, DateInput
from jour.ids import parse_id
from jour.models import User

from . import participants as who_goes
from .models import (
    CASE_KINDS,
    NO_NAMES_HELP,
    WEEKDAYS,
    AppointmentKind,
    PhoneClosure,
    PhoneHours,
    Place,
    PlaceKind,
    WitnessRole,
    WitnessSupport,
)
from .selectors import combine, court_hearing
from .services import DeleteReason, check_sane_day, check_witness_court, check_witness_day


def visible_case_by_number(user, typed: str) -> Case | None:
    """The case of that number if ``user`` may see it; none for a blank; a form error otherwise."""
    number = typed.strip()
    if not number:
        return None
    case = Case.objects.visible_to(user).filter(number=number).first()
    if case is None:
        raise forms.ValidationError(_("No case of yours has that number."))
    return case


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

    def __init__(self, *args, user, appointment=None, refresh_url: str = "", **kwargs):
        """``refresh_url``: where the participant list is asked for again when the
        case number changes (htmx); ``appointment``: the one being edited."""
        super().__init__(*args, **kwargs)
        self.user, self.appointment = user, appointment
        if access.may_plan_every_appointment(user):
            participants = self.fields["participants"]
            # Any account that may plan is looked up, so that one who cannot see this
            # appointment is refused by name (clean) rather than as "not in the list".
            participants.queryset = access.may_plan_appointments.users().order_by("name", "pk")
            participants.label_from_instance = lambda person: person.name
            offered = who_goes.may_take_part(self._case_for_choices()) | User.objects.filter(pk__in=self._kept_pks())
            participants.widget.choices = [(person.pk, person.name) for person in offered.order_by("name", "pk")]
            if refresh_url:
                self.fields["case_number"].widget.attrs.update(
                    {
                        "hx-post": refresh_url,
                        "hx-trigger": "change",
                        "hx-select": "#participants-field",
                        "hx-target": "#participants-field",
                        "hx-swap": "outerHTML",
                    }
                )
        else:
            # A support person plans their own meetings and hearings and goes themselves.
            self.fields["kind"].choices = [(k, label) for k, label in AppointmentKind.choices if k in CASE_KINDS]
            del self.fields["participants"]

    def _case_for_choices(self) -> Case | None:
        """The case the participant list is offered for: the one typed (or
        prefilled), if the user may see it; no case otherwise."""
        typed = self.data.get(self.add_prefix("case_number"), "") if self.is_bound else self.initial.get("case_number")
        try:
            # Checked as the field checks it (length, no NUL byte) before it meets the database.
            number = self.fields["case_number"].clean(typed or "").strip()
        except ValidationError:
            return None
        if not number:
            return None
        return Case.objects.visible_to(self.user).filter(number=number).first()

    def _kept_pks(self) -> list[int]:
        """Who already goes to the appointment edited, while its case stays the same."""
        if self.appointment is None:
            return []
        case = self._case_for_choices()
        if self.appointment.case_id != (case.pk if case else None):
            return []
        return [person.pk for person in self.appointment.participants.all()]

    def clean_case_number(self):
        return visible_case_by_number(self.user, self.cleaned_data["case_number"])

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
        if "participants" in self.fields and cleaned.get("participants") is not None and "case_number" in cleaned:
            kept = self.appointment.participants.all() if self._kept_pks() else ()
            try:
                who_goes.check(cleaned["case_number"], cleaned["participants"], kept=kept)
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


class WitnessSupportForm(forms.Form):
    """One person supported at court on one day. No name and nothing typed but
    a case number: the record is for the statistics."""

    supported_on = forms.DateField(label=_("Date"), widget=DateInput())
    # Any place is looked up, so that the service can say why one is refused (not a
    # court, or no longer in use); the list offers the courts in use.
    court = forms.ModelChoiceField(label=_("Court"), queryset=Place.objects.all())
    role = forms.ChoiceField(
        label=_("The person's role at the trial"), choices=WitnessRole.choices, widget=forms.RadioSelect
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices, initial=AgeGroup.UNKNOWN)
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=12,
        required=False,
        help_text=_("Only when the person supported is the seeker of a case; leave it empty otherwise."),
    )
    supported_by = forms.ModelChoiceField(label=_("Supported by"), queryset=User.objects.none())
    appointment = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, record: WitnessSupport | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.record = user, record
        courts = Place.objects.filter(kind=PlaceKind.COURT, active=True)
        if record is not None:
            courts = courts | Place.objects.filter(pk=record.court_id)
        self.fields["court"].choices = [("", "---------"), *((place.pk, place.name) for place in courts)]
        if access.may_see_all_witness_support(user):
            people = access.may_record_witness_support.users()
            if record is not None:
                people = people | User.objects.filter(pk=record.supported_by_id)
            self.fields["supported_by"].queryset = people.order_by("name")
            self.fields["supported_by"].label_from_instance = lambda person: person.name
        else:
            del self.fields["supported_by"]  # a support person records the support they gave
        self.hearing = None

    def clean_supported_on(self):
        # Checked here as well as by the service, so that every error shows at once.
        day = self.cleaned_data["supported_on"]
        try:
            check_witness_day(day)
        except ValidationError as error:
            raise ValidationError(error.message_dict["supported_on"]) from error
        return day

    def clean_court(self):
        court = self.cleaned_data["court"]
        try:
            check_witness_court(court, kept=self.record.court if self.record is not None else None)
        except ValidationError as error:
            raise ValidationError(error.message_dict["court"]) from error
        return court

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        if number and self.record is not None and self.record.case_id and self.record.case.number == number:
            return self.record.case  # kept as it was, even if the case is no longer the user's
        return visible_case_by_number(self.user, number)

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("appointment") or ""
        if raw:
            pk = parse_id(raw)
            kept = self.record is not None and self.record.appointment_id == pk
            self.hearing = self.record.appointment if kept else (court_hearing(self.user, pk) if pk else None)
            if self.hearing is None:
                # Hidden field: the message goes above the form.
                self.add_error(None, _("That court hearing is not in your calendar."))
        return cleaned

    def witness_data(self) -> dict:
        data = self.cleaned_data
        return {
            "supported_on": data["supported_on"],
            "court": data["court"],
            "role": data["role"],
            "gender": data["gender"],
            "age_group": data["age_group"],
            "case": data["case_number"],
            "appointment": self.hearing,
            "supported_by": data["supported_by"] if "supported_by" in self.fields else self.user,
        }


class WitnessDeleteForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the record goes"), choices=DeleteReason.choices, widget=forms.RadioSelect)
