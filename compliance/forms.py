"""Forms of the yearly cycle. The rules themselves live in compliance.services."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jour import uploads
from jour.forms import DateInput
from members.board import VOTING_ROLES
from members.models import BoardTerm, Employment, Person

from . import by_hand
from .contradictions import contradicts
from .evidence import MANUAL
from .evidence import label as evidence_label
from .models import (
    ActionItem,
    ActionPlan,
    AnnualMeeting,
    Answer,
    AssuranceSending,
    FederationSending,
    ReportSubmission,
)


def board_members(year: int, *, voting_only: bool = False):
    """People who sat on the board at some time in the year. ``voting_only``: the
    board members proper, not the co-opted coordinator (no vote, not a member:
    members.board), as the responsible board member must be."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    sat = BoardTerm.objects.filter(Q(end__isnull=True) | Q(end__gt=start), start__lt=end)
    if voting_only:
        sat = sat.filter(role__in=VOTING_ROLES)
    return Person.objects.filter(pk__in=sat.values("person")).order_by("name", "pk")


FILE_HELP = format_lazy(_("PDF, PNG or JPEG, at most {mb} MB."), mb=uploads.DEFAULT_MAX_MB)


class StartYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    from_previous = forms.BooleanField(
        label=_("Start from last year's answers"),
        required=False,
        initial=True,
        help_text=_("Comments, responsible persons and evidence documents are copied; every status starts unassessed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class BoardAnswerForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Answer
        fields = ["status", "comment", "justification", "responsible", "evidence_note", "evidence_date", "review_date"]
        widgets = {
            "evidence_date": DateInput(),
            "review_date": DateInput(),
            "comment": forms.Textarea(attrs={"rows": 3}),
            "justification": forms.Textarea(attrs={"rows": 3}),
            "evidence_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "evidence_note": _("What shows the requirement is met: a decision, a log, a document (no seeker's data)."),
            "evidence_date": _("The date of that decision or document."),
            "justification": _(
                "Needed when the status says met and the data says not ok, or the reverse: what the board knows "
                "that the data does not show. The auditors and the assurance show it."
            ),
        }

    def __init__(self, *args, year: int, live=None, **kwargs):
        """``live``: the requirement's evidence from the data, to check the status against."""
        super().__init__(*args, **kwargs)
        self.live = live
        if (live is None or live.state == MANUAL) and not self.instance.justification:
            # Nothing in the data for the status to differ from: the comment says how the board knows.
            del self.fields["justification"]
        responsible = self.fields["responsible"]
        choices = board_members(year, voting_only=True)
        if self.instance.responsible_id:  # keep a past choice even if the term has ended
            choices = Person.objects.filter(Q(pk__in=choices) | Q(pk=self.instance.responsible_id)).order_by("name")
        responsible.queryset = choices
        responsible.label_from_instance = lambda p: p.name
        self.fields["lock_version"].initial = self.instance.lock_version

    def clean(self):
        cleaned = super().clean()
        justification = " ".join((cleaned.get("justification") or "").split())
        answer = self.instance
        status, comment = cleaned.get("status"), cleaned.get("comment") or ""
        if by_hand.needs_comment(answer.code, answer.signal, status, comment):
            self.add_error(
                "comment",
                _("Assessed by hand: %(why)s Write how the board knows.")
                % {"why": by_hand.reason(answer.code, answer.signal)},
            )
        if contradicts(cleaned.get("status"), self.live) and not justification:
            self.add_error(
                "justification",
                _("%(state)s: %(summary)s Write why the board's status is different.")
                % {"state": evidence_label(self.live.state), "summary": self.live.summary},
            )
        return cleaned


class AuditorAnswerForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Answer
        fields = ["auditor_verdict", "auditor_comment"]
        widgets = {"auditor_comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.lock_version


class EvidenceUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example: Board minutes 2026-03-12 §4."))
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)


class EvidenceRevisionForm(forms.Form):
    file = forms.FileField(label=_("New version of the file"), help_text=FILE_HELP)


class LinkDocumentForm(forms.Form):
    document = forms.ModelChoiceField(label=_("Existing document"), queryset=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = queryset
        self.fields["document"].label_from_instance = lambda d: d.title


class SignForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits your authenticator app shows now.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("A fresh code is needed to sign, even though you are logged in; backup codes do not work here."),
    )
    confirm = forms.BooleanField(
        label=_("I have reviewed the year's assessment and evidence and sign the assurance."), required=True
    )


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["federation_contacted_on", "note"]
        widgets = {"federation_contacted_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["requirement_code", "what", "owner", "due_on", "done_on"]
        widgets = {"due_on": DateInput(), "done_on": DateInput(), "what": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, year: int, codes, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        # The board and the jour's employees: the people register itself is the coordinator's.
        employed = Employment.objects.filter(
            Q(end__isnull=True) | Q(end__gt=date(year, 1, 1)), start__lt=date(year + 2, 1, 1)
        ).values("person")
        owner.queryset = Person.objects.filter(
            Q(pk__in=board_members(year)) | Q(pk__in=employed) | Q(pk=self.instance.owner_id or 0)
        ).order_by("name", "pk")
        owner.label_from_instance = lambda p: p.name
        self.fields["requirement_code"] = forms.ChoiceField(
            label=_("Requirement"), choices=[("", "—")] + [(c, c) for c in codes], required=False
        )

    def clean(self):
        cleaned = super().clean()
        done = cleaned.get("done_on")
        if done and done > timezone.localdate():
            self.add_error("done_on", _("The done date cannot be in the future."))
        return cleaned


def _not_in_the_future(day: date) -> date:
    if day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


YEAR_HELP = _("The year the report is for: the annual meeting in the spring closes the year before.")


class ReportForm(forms.ModelForm):
    class Meta:
        model = ReportSubmission
        fields = ["kind", "year", "sent_on", "recipient", "note"]
        widgets = {"sent_on": DateInput()}
        help_texts = {"year": YEAR_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["sent_on"].initial = timezone.localdate()

    def clean_sent_on(self):
        sent = self.cleaned_data["sent_on"]
        if sent > timezone.localdate():
            raise forms.ValidationError(_("The date a report was sent cannot be in the future."))
        return sent


class AnnualMeetingForm(forms.ModelForm):
    class Meta:
        model = AnnualMeeting
        fields = ["year", "held_on", "note"]
        widgets = {"held_on": DateInput()}
        help_texts = {"year": _("The year the meeting closes: the meeting in the spring of 2026 is the one for 2025.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1

    def clean_held_on(self):
        return _not_in_the_future(self.cleaned_data["held_on"])

    def clean(self):
        cleaned = super().clean()
        year, held = cleaned.get("year"), cleaned.get("held_on")
        if year and held and held.year <= year:
            self.add_error("held_on", _("The annual meeting for a year is held after that year has ended."))
        return cleaned


class _SendingForm(forms.ModelForm):
    """Something sent to the federation: sent today unless changed, never in the future."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()

    def clean_sent_on(self):
        return _not_in_the_future(self.cleaned_data["sent_on"])


class FederationSendingForm(_SendingForm):
    class Meta:
        model = FederationSending
        fields = ["sent_on", "method", "changes"]
        widgets = {"sent_on": DateInput()}


class AssuranceSendingForm(_SendingForm):
    class Meta:
        model = AssuranceSending
        fields = ["sent_on", "method", "note"]
        widgets = {"sent_on": DateInput()}
