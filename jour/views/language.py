"""The language switch: Django's own view, sending the browser only to a path on this site."""

from django.urls import reverse
from django.views import i18n

from ..access import public
from ..redirects import requested_next, safe_path


@public
def set_language(request):
    """Django's view follows `next` (or the Referer) when it names our host or
    no host at all, so "x" becomes a relative redirect and a full URL on our
    host is followed; like every other `next`, only a path is kept (checked as
    sent: the Location header is already percent-encoded)."""
    response = i18n.set_language(request)
    location = response.get("Location")
    if location is not None and not (requested_next(request) and safe_path(location)):
        response["Location"] = reverse("start")
    return response
