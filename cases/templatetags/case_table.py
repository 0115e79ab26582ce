"""{% load case_table %}{% case_table rows names=True empty=_("…") sorted_by=sorted_by %}:
the table of cases on the case list and the start pages, drawn by Jinja2
(cases/jinja2/cases/case_table.html; jour/templating.py says why)."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def case_table(rows, *, names=False, empty="", sorted_by=None):
    table = engines["jinja2"].get_template("cases/case_table.html")
    # Jinja2 escaped every value it wrote; Django would escape the whole table again.
    return mark_safe(table.render({"rows": rows, "names": names, "empty": empty, "sorted_by": sorted_by}))  # noqa: S308
