"""The site's formats in templates: {% load formatting %}, then
``{{ n|as_number }}``, ``{{ share|as_percent }}``, ``{{ kept|percent_of:decided }}``,
``{{ when|as_day }}`` (``as_day:"year"`` to always show the year), ``{{ when|as_time }}``
and ``{{ when|as_moment }}``. Each calls jour.formatting, which e-mails, PDFs and
exports call too. (Not named "time": that would hide Django's own filter.)"""

from decimal import Decimal

from django import template

from jour import formatting

register = template.Library()


@register.filter
def as_number(value, decimals=0):
    return formatting.number(value, int(decimals))


@register.filter
def as_figure(value):
    return formatting.figure(value)


@register.filter
def as_percent(share):
    return formatting.percent(share)


@register.filter
def percent_of(part, whole):
    return formatting.percent_of(part, whole)


@register.filter
def per_mille(value):
    """A share stored in thousandths (900) as a percentage."""
    return formatting.percent(None if value is None else Decimal(value) / 1000)


def _year(arg) -> bool | None:
    return True if arg == "year" else None


@register.filter
def as_day(value, arg=None):
    return formatting.day(value, year=_year(arg))


@register.filter
def as_time(value):
    return formatting.time(value)


@register.filter
def as_stamp(value):
    return formatting.stamp(value)


@register.filter
def as_moment(value, arg=None):
    return formatting.moment(value, year=_year(arg))
