"""How the live evidence of a requirement shows: {% load evidence %}."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def evidence_label(state) -> str:
    if state == "ok":
        return _("Met in the data")
    if state == "not_ok":
        return _("Not met in the data")
    return _("Assess by hand")
