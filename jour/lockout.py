"""How django-axes identifies a login attempt and answers a lockout."""

import ipaddress

from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str:
    """The address of the client, as seen by the outermost proxy we deploy.

    With no proxy configured, X-Forwarded-For is ignored entirely: anyone can
    send it. With N proxies, each appends the address it received the request
    from, so the Nth entry from the right is the client; entries further left
    were written by the client and are not trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.JOUR_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_username(request, credentials) -> str:
    """E-mail addresses are case-insensitive: lock the address, not its spelling."""
    raw = ""
    if credentials:
        raw = credentials.get("username", "") or ""
    elif request is not None and request.method == "POST":
        raw = request.POST.get("username", "")
    return raw.strip().lower()


def locked_out(request, *args):
    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    context = {"hours": hours, "attempts": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/locked_out.html", context, status=429)
