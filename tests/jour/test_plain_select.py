"""jour.forms.PlainSelect writes the same select as Django's template-rendered one."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from jour.forms import PlainSelect

CHOICES = [("", "Any"), ("1", "Alex <Berg>"), ("2", "Bo & Co"), ("3", 'Say "hi"')]
GROUPED = [("", "Any"), ("People", [("1", "Alex"), ("2", "Bo")]), ("Others", [("x", "Ö")])]


def _same(html) -> str:
    return re.sub(r"\s+", " ", str(html)).replace("> <", "><").strip()


@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []])
@pytest.mark.parametrize("value", ["", "2", "x", "9", None])
@pytest.mark.parametrize("attrs", [None, {"id": "id_person", "required": True, "aria-describedby": "h"}])
def test_plain_select_writes_what_djangos_select_writes(choices, value, attrs):
    ours = PlainSelect(choices=choices).render("person", value, attrs)
    # Django's own Django-template rendering (the site draws other widgets with Jinja2, which
    # spells a quote &#34;, not &quot;).
    django = forms.Select(choices=choices).render("person", value, attrs, renderer=DjangoTemplates())
    assert _same(ours) == _same(django)
    assert "<option" in ours or not choices
