"""Deny-by-default access, session lifetime and cache headers."""

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from .access import PASSWORD_STEP, PUBLIC, access_of, allows
from .otp import has_confirmed_totp

logger = logging.getLogger(__name__)

SESSION_STARTED_KEY = "jour_session_started"
SESSION_RENEWED_KEY = "jour_session_renewed"


class AccessMiddleware:
    """Every view needs a logged-in user with a verified second factor and an
    allowed role, unless it declares itself public or part of the login flow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        access = access_of(view_func)
        if access == PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if access == PASSWORD_STEP:
            return None
        if not user.is_verified():
            step = "verify" if has_confirmed_totp(user) else "enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        match = request.resolver_match
        if match is not None and match.namespace == "admin":
            # OTPAdminSite checks the verified device again and admits staff only.
            return None
        if access is None:
            logger.error("View %s declares no access; refused.", getattr(view_func, "__name__", view_func))
            return render(request, "403.html", status=403)
        if not allows(user, access):
            return render(request, "403.html", status=403)
        return None


def mark_session_start(request) -> None:
    # Logging in saves the session, with a fresh expiry: that is its first renewal.
    request.session[SESSION_STARTED_KEY] = request.session[SESSION_RENEWED_KEY] = time.time()


class SessionLifetimeMiddleware:
    """An absolute limit on a session, on top of Django's idle timeout; and the
    idle timeout's renewal. Saving the session on every request (Django's
    SESSION_SAVE_EVERY_REQUEST) cost a database write per page and per htmx
    call; the expiry moves on when the last renewal is a minute old, so a
    session ends 29 to 30 idle minutes after its last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(SESSION_RENEWED_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now  # saved, with a new expiry, after the response
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Browser features the site does not use (camera, microphone, location,
    payment, USB...) are denied to every origin, so that a script that got in
    could not use them either. Before WhiteNoise, so static files carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class NoStoreMiddleware:
    """Pages may hold personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
            response.setdefault("Pragma", "no-cache")
        return response
