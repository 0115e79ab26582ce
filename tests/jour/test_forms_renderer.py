"""The site's form renderer (jour.forms.FormRenderer) writes what Django's own does."""

import re

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates

from cases.forms import AttemptForm, CloseForm, RiskCheckForm
from jour.forms import FormRenderer


class Mixed(forms.Form):
    name = forms.CharField(help_text="As the person wants to be called")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    when = forms.DateField(required=False)


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).replace("> <", "><").strip()


@pytest.mark.parametrize("form_class", [Mixed, AttemptForm, CloseForm, RiskCheckForm])
@pytest.mark.parametrize("data", [None, {}, {"name": "x" * 3, "kind": "c", "when": "not a day"}])
def test_fields_render_as_with_djangos_renderer(form_class, data):
    ours, django = form_class(data=data), form_class(data=data, renderer=DjangoTemplates())
    assert isinstance(ours.renderer, FormRenderer)
    for field in ours:
        assert _normalised(field.as_field_group()) == _normalised(django[field.name].as_field_group()), field.name


def test_an_error_list_is_rendered_only_when_there_are_errors():
    assert settings.FORM_RENDERER == "jour.forms.FormRenderer"
    unbound, refused = Mixed(), Mixed(data={"kind": "c"})
    assert "errorlist" not in unbound["name"].as_field_group()
    assert 'id="id_name_error"' in refused["name"].as_field_group()
    assert 'aria-describedby="id_name_helptext id_name_error"' in refused["name"].as_field_group()
