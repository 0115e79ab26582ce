from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .figures import Period, municipalities
from .selection import QUARTERS, YEAR, Selection

# Calendar periods only: two custom periods a day apart could be subtracted to
# single out the people of that day (stats/selection.py).
KINDS = [("year", _("Year")), ("quarter", _("Quarter")), ("month", _("Month"))]
MONTHS = [(n, date(2000, n, 1).strftime("%m")) for n in range(1, 13)]
CUSTOM_GONE = _(
    "Statistics are shown for a month, a quarter or a year; a period from one date to another is no longer offered."
)


class YearForm(forms.Form):
    """The year of the federation's statistics."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        error_messages={"min_value": _("Choose a year from 2000 on."), "invalid": _("Give the year as a number.")},
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("That year has not begun: choose this year or an earlier one."))
        return year


class KindField(forms.ChoiceField):
    """The kind of period; an old link to a custom period gets its own message."""

    def validate(self, value):
        if value == "custom":
            raise ValidationError(CUSTOM_GONE, code="custom")
        super().validate(value)


class PeriodForm(forms.Form):
    """The period of a report, from the query string (no personal data in it)."""

    kind = KindField(label=_("Period"), choices=KINDS, initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(n, f"Q{n}") for n in range(1, 5)], coerce=int, required=False
    )
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int, required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        if not data or "kind" not in data:  # the first visit: this year
            data = {"kind": "year", "year": today.year, "municipality": (data or {}).get("municipality", "")}
        super().__init__(data, **kwargs)
        # By code in the query string, shown by name.
        self.fields["municipality"].choices = [("", _("All municipalities")), *municipalities()]
        # Only the fields of the chosen kind of period are shown and sent; static/js/forms.js
        # switches them when the kind changes, and without it the next page shows the right ones.
        for name, kind in self.KIND_OF_FIELD.items():
            if kind != self.chosen_kind:
                self.fields[name].widget.attrs["disabled"] = True

    # Fields that belong to one kind of period; the others belong to every kind.
    KIND_OF_FIELD = {"quarter": "quarter", "month": "month"}

    @property
    def chosen_kind(self) -> str:
        kind = self.data.get("kind")
        return kind if kind in dict(KINDS) else "year"

    def rows(self):
        """(field, the kind of period it belongs to or "", whether it is shown) in order."""
        for field in self.visible_fields():
            kind = self.KIND_OF_FIELD.get(field.name, "")
            yield field, kind, kind in ("", self.chosen_kind)

    def clean(self):
        cleaned = super().clean()
        kind, year = cleaned.get("kind"), cleaned.get("year")
        if kind == "quarter" and not cleaned.get("quarter"):
            self.add_error("quarter", _("Choose a quarter."))
        if kind == "month" and not cleaned.get("month"):
            self.add_error("month", _("Choose a month."))
        if kind and not year:
            self.add_error("year", _("Give a year."))
        return cleaned

    def selection(self) -> Selection:
        data = self.cleaned_data
        months = {"year": YEAR, "quarter": QUARTERS[(data.get("quarter") or 1) - 1]}.get(
            data["kind"], (data.get("month"),)
        )
        return Selection(data["year"], months, data.get("municipality", ""))

    def period(self) -> Period:
        selection = self.selection()
        first = date(selection.year, selection.months[0], 1)
        last = selection.months[-1]
        after = date(selection.year + 1, 1, 1) if last == 12 else date(selection.year, last + 1, 1)
        return Period(first, after, selection.municipality)
