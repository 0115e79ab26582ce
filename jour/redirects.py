"""Where a `next` parameter may send someone: to a path on this site, nowhere else.

Django's url_has_allowed_host_and_scheme() accepts more than that: a bare word
("x", "start"), which redirect() then tries to reverse as a view name (a server
error when there is no such view, a silent jump when there is), and a full URL
on our own host. Our own pages only ever write an absolute path into `next`
(request.get_full_path()), so that is all we follow; anything else falls back
to a fixed page.
"""

import re

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any address our pages make; a longer one is junk, not a place to go back to.
MAX_LENGTH = 2048
# Backslashes (browsers read "/\evil" as "//evil"), whitespace and control characters
# (a header split, a path that differs from what is shown) never occur in our own paths.
_FORBIDDEN = re.compile(r"[\\\s\x00-\x1f\x7f]")


def safe_path(value) -> str | None:
    """The value if it is an absolute path on this site, else None."""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return None
    if not value.startswith("/") or value.startswith("//") or _FORBIDDEN.search(value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return None
    return value


def requested_next(request) -> str:
    """The request's `next` (form field first, then query string) if it is safe, else ""."""
    return safe_path(request.POST.get("next") or request.GET.get("next")) or ""


def next_path(request, default: str = "start") -> str:
    """Where to go after this request: the safe `next`, or the page named `default`."""
    return requested_next(request) or reverse(default)
