"""Forms of the board page. The rule itself lives in members.board."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jour.forms import DateInput

from .. import board
from ..models import BoardTerm, Person


class BoardTermForm(forms.ModelForm):
    """A new board term. Refuses the coordinator in a voting seat, and the
    co-opted seat for anyone who is not the coordinator."""

    class Meta:
        model = BoardTerm
        fields = ["person", "role", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {"end": _("The day the term stops. Leave empty until it is known.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = Person.objects.order_by("name", "pk")
        person.label_from_instance = lambda p: p.name
        self.fields["role"].help_text = board.RULE_TEXT
        if not self.is_bound:
            self.fields["start"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        try:
            board.check_term(
                person=cleaned.get("person"),
                role=cleaned.get("role"),
                start=cleaned.get("start"),
                end=cleaned.get("end"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class EndTermForm(forms.Form):
    end = forms.DateField(
        label=_("End on"), widget=DateInput(), help_text=_("The first day without the seat. Access ends that day.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["end"].initial = timezone.localdate()
