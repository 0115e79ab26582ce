"""The site's form renderer (jour.forms.FormRenderer, Django's Jinja2 form
templates) writes what Django's own Django-template renderer does: on single
forms, unbound, empty and refused, and on every page each role can open."""

import re

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import Client

from cases.forms import AttemptForm, CloseForm, RiskCheckForm
from jour.forms import FormRenderer
from jour.models import Role
from tests.personas import login_verified
from tests.urlwalk import path_of, real_url_kwargs, site_views


class Mixed(forms.Form):
    name = forms.CharField(help_text="As the person wants to be called")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    when = forms.DateField(required=False)


def _normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html)).replace("> <", "><").replace("> ", ">").replace(" <", "<").strip()
    # The one difference in markup: Jinja2 (MarkupSafe) spells an escaped quote and apostrophe
    # &#34; and &#39;, Django &quot; and &#x27;.
    return html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


# What differs between two requests for the same page: the CSRF token and a form's "now".
VARYING = re.compile(r'(value="|"X-CSRFToken": ")([A-Za-z0-9]{64}|\d{4}-\d\d-\d\dT\d\d:\d\d)')


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


def _page(client, path) -> str | None:
    response = client.get(path)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return None
    return VARYING.sub(r"\1…", _normalised(response.content.decode()))


@pytest.mark.parametrize("role", list(Role))
def test_every_page_is_the_same_with_djangos_renderer(people, settings, role):
    kwargs = real_url_kwargs(people)
    client = Client()
    login_verified(client, people.by_role()[role])
    compared, differing = 0, []
    for name, route, _callback, _access in site_views():
        path = path_of(name, route, kwargs)
        settings.FORM_RENDERER = "jour.forms.FormRenderer"
        ours = _page(client, path)
        if ours is None or "<form" not in ours:
            continue
        settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
        django = _page(client, path)
        compared += 1
        if ours != django:
            differing.append(name)
    assert compared >= 10
    assert differing == []
