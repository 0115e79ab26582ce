"""How django-axes identifies a login attempt and answers a lockout.

Two locks, both django-axes' own (settings.AXES_*):
- the pair e-mail + client address: LOCKOUT_PAIR_FAILURES failures lock it for the
  cool-off time, for that address only (other users there, and this user elsewhere, go on);
  an IPv6 client is its /64 network, which one household or one server holds entirely;
- the e-mail alone: LOCKOUT_ACCOUNT_FAILURES failures within the cool-off time, from any
  addresses, lock the account for everyone. jour/lockout_notice.py tells the coordinators.
"""

import ipaddress

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

# One IPv6 subnet, the least a provider hands a customer: its addresses are one client.
IPV6_CLIENT_PREFIX = 64


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


def lockout_address(request) -> str:
    """The client as the lockout counts it (axes' AXES_CLIENT_IP_CALLABLE).

    An IPv4 address is itself. An IPv6 address stands for its /64 network, written
    as the network's first address (still a valid address for axes' column): a
    client holds a whole /64 and could otherwise try from a new address every time.
    The audit trail keeps the full address (client_ip).
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False).network_address)
    return str(parsed)


def lockout_username(request, credentials) -> str:
    """E-mail addresses are case-insensitive: lock the address, not its spelling."""
    raw = ""
    if credentials:
        raw = credentials.get("username", "") or ""
    elif request is not None and request.method == "POST":
        raw = request.POST.get("username", "")
    return raw.strip().lower()


def recent_failures(request, **lookup) -> int:
    """The failed logins axes holds for `lookup` within the cool-off time (its rows
    are per e-mail, address and browser, each with a running count)."""
    # axes stamps the request it handles; counted the same way (its get_cool_off_threshold) without it.
    attempt_time = getattr(request, "axes_attempt_time", None) or timezone.now()
    rows = AccessAttempt.objects.filter(attempt_time__gte=attempt_time - get_cool_off(request), **lookup)
    return rows.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _pair_failures(request, credentials) -> int:
    address = getattr(request, "axes_ip_address", None) or lockout_address(request)
    return recent_failures(request, username=lockout_username(request, credentials), ip_address=address)


def failure_limit(request, credentials) -> int:
    """axes' AXES_FAILURE_LIMIT, for this request.

    axes counts the failures of each combination in AXES_LOCKOUT_PARAMETERS (the
    pair e-mail + address, and the e-mail alone), takes the largest and compares it
    with one limit. The e-mail's count is never below the pair's, so no fixed number
    locks a pair at 5 and an account at 20. This limit does: the pair's for an
    address that has reached it, the account's for everyone else.
    """
    if _pair_failures(request, credentials) >= settings.LOCKOUT_PAIR_FAILURES:
        return settings.LOCKOUT_PAIR_FAILURES
    return settings.LOCKOUT_ACCOUNT_FAILURES


def locked_out(request, *args):
    """The answer to a locked login. Whether the account is locked for everyone or
    only from this address follows from the counts, whether or not an account has
    the address: the page tells nobody which e-mail addresses have an account."""
    credentials = args[-1] if args else None
    whole_account = _pair_failures(request, credentials) < settings.LOCKOUT_PAIR_FAILURES
    context = {
        "hours": int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600),
        "attempts": settings.LOCKOUT_ACCOUNT_FAILURES if whole_account else settings.LOCKOUT_PAIR_FAILURES,
        "whole_account": whole_account,
    }
    return render(request, "accounts/locked_out.html", context, status=429)
