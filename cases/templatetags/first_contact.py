"""The first-contact rule's numbers for templates and e-mails (cases/rules.py):
{% load first_contact %}{% allowance_hours "urgent" as urgent %}."""

from django import template

from cases import rules

register = template.Library()


@register.simple_tag
def allowance_hours(priority: str = "normal") -> int:
    return rules.ALLOWANCE_HOURS[priority]


@register.simple_tag
def warning_hours() -> int:
    return rules.WARNING_HOURS
