"""Recording a signed confidentiality pledge on the person's page, with an
optional scan: checked by content and size, stored under a generated name."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jour import uploads
from jour.forms import DateInput

from ..models import ConfidentialityPledge
from .volunteers import not_in_future

PLEDGE_SCAN_KINDS = ("pdf", "png", "jpeg")
PLEDGE_SCAN_MAX_BYTES = uploads.DEFAULT_MAX_BYTES


class PledgeForm(forms.ModelForm):
    """A pledge the person has signed: the date, the template's version and,
    optionally, a scan. The view saves through members.services.record_pledge."""

    scan = forms.FileField(
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

    class Meta:
        model = ConfidentialityPledge
        fields = ["signed_on", "template_version"]
        widgets = {"signed_on": DateInput(), "template_version": forms.TextInput(attrs={"autocomplete": "off"})}
        help_texts = {
            "signed_on": _(
                "A pledge already recorded for this date is updated: its scan is replaced when you choose a file."
            ),
        }

    def clean_signed_on(self):
        return not_in_future(self.cleaned_data.get("signed_on"), _("The pledge cannot be signed in the future."))

    def clean_template_version(self):
        return " ".join(self.cleaned_data["template_version"].split())

    def clean_scan(self):
        upload = self.cleaned_data.get("scan")
        if upload:
            uploads.validate_upload(upload, allowed=PLEDGE_SCAN_KINDS, max_bytes=PLEDGE_SCAN_MAX_BYTES)
        return upload
