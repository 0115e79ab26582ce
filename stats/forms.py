from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jour.forms import DateInput

from .figures import Period, municipalities

KINDS = [("year", _("Year")), ("quarter", _("Quarter")), ("month", _("Month")), ("custom", _("From – to"))]
MONTHS = [(n, date(2000, n, 1).strftime("%m")) for n in range(1, 13)]
MAX_DAYS = 366 * 5


class PeriodForm(forms.Form):
    """The period of a report, from the query string (no personal data in it)."""

    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(n, f"Q{n}") for n in range(1, 5)], coerce=int, required=False
    )
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int, required=False)
    start = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("To (inclusive)"), widget=DateInput(), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        if not data or "kind" not in data:  # the first visit: this year
            data = {"kind": "year", "year": today.year, "municipality": (data or {}).get("municipality", "")}
        super().__init__(data, **kwargs)
        self.fields["municipality"].choices = [("", _("All municipalities"))] + [(m, m) for m in municipalities()]

    def clean(self):
        cleaned = super().clean()
        kind, year = cleaned.get("kind"), cleaned.get("year")
        if kind == "quarter" and not cleaned.get("quarter"):
            self.add_error("quarter", _("Choose a quarter."))
        if kind == "month" and not cleaned.get("month"):
            self.add_error("month", _("Choose a month."))
        if kind == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start:
                self.add_error("start", _("Give the first day."))
            if not end:
                self.add_error("end", _("Give the last day."))
            if start and end and end < start:
                self.add_error("end", _("The last day cannot come before the first."))
            elif start and end and (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose at most five years."))
        elif kind and not year:
            self.add_error("year", _("Give a year."))
        return cleaned

    def period(self) -> Period:
        data = self.cleaned_data
        kind, year = data["kind"], data.get("year")
        municipality = data.get("municipality", "")
        if kind == "year":
            return Period(date(year, 1, 1), date(year + 1, 1, 1), municipality)
        if kind == "quarter":
            first = date(year, 3 * data["quarter"] - 2, 1)
            after = date(year + 1, 1, 1) if data["quarter"] == 4 else date(year, 3 * data["quarter"] + 1, 1)
            return Period(first, after, municipality)
        if kind == "month":
            month = data["month"]
            after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return Period(date(year, month, 1), after, municipality)

        return Period(data["start"], data["end"] + timedelta(days=1), municipality)
