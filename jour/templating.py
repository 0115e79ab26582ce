"""The Jinja2 environment for the few page parts drawn by Jinja2 instead of Django's
template language (settings.TEMPLATES, the engine named "jinja2"): rows repeated
dozens of times a page, where Django's per-variable lookups were most of the page's
rendering (issue 18). Such templates live in an app's jinja2/ directory and are
drawn from a Django template by a tag, as cases/templatetags/case_table.py does.

They translate with ``{{ _("text") }}``, which `make messages` finds as it finds
Django's ``{% translate %}``, and link with ``{{ url("name", pk) }}``."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def environment(**options) -> Environment:
    # Always escaped, whatever the settings say: these templates write seekers' names.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals["url"] = url
    return env
