"""How the live evidence of a requirement shows: {% load evidence %}."""

from django import template

from compliance import evidence

register = template.Library()


@register.filter
def evidence_label(state) -> str:
    return evidence.label(state)
