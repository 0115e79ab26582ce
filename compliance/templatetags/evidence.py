"""How the live evidence of a requirement shows: {% load evidence %}."""

from datetime import date, datetime

from django import template

from compliance import evidence
from jour import formatting

register = template.Library()


@register.filter
def evidence_label(state) -> str:
    return evidence.label(state)


# The assurance PDF is drawn from the sealed content, where days and moments are ISO
# text (that text is what is hashed and signed, so it stays as it is). People read
# the PDF years later: it writes them as the site does, always with the year.


@register.filter
def sealed_day(text):
    return formatting.day(date.fromisoformat(text), year=True) if text else formatting.MISSING


@register.filter
def sealed_moment(text):
    return formatting.moment(datetime.fromisoformat(text), year=True) if text else formatting.MISSING
