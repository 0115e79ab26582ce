"""The way in: password, then a second factor; enrolment; invitation links."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from .. import services
from ..access import may_use_site, password_step, public, requires
from ..forms import CodeForm, EmailLoginForm, EnrolForm, SetPasswordForm
from ..middleware import mark_session_start
from ..models import Invitation, User
from ..otp import (
    base32_secret,
    confirm_pending_device,
    has_confirmed_totp,
    issue_backup_codes,
    match_code,
    pending_totp_device,
    qr_svg,
    record_login,
)
from ..redirects import next_path, requested_next

INVITATION_SESSION_KEY = "jour_invitation_id"


def _next_url(request, default="start"):
    return next_path(request, default)


def _with_next(request, name):
    """The next step's address, carrying `next` along only if it is a path on this site."""
    target = requested_next(request)
    url = reverse(name)
    return f"{url}?{urlencode({'next': target})}" if target else url


@public
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next_url(request))
    form = EmailLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        mark_session_start(request)
        step = "verify" if has_confirmed_totp(form.get_user()) else "enrol"
        return redirect(_with_next(request, step))
    return render(request, "accounts/login.html", {"form": form, "next": requested_next(request)})


def _complete_second_factor(request, device):
    otp_login(request, device)
    record_login(request.user)
    # Privilege goes up with the second factor: a fresh session key, too.
    request.session.cycle_key()


@password_step
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not has_confirmed_totp(user):
        return redirect(_with_next(request, "enrol"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_code(user, form.cleaned_data["code"])
        if device is not None:
            _complete_second_factor(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong, already used or too old. Wait a moment and try again."))
    return render(request, "accounts/verify.html", {"form": form, "next": requested_next(request)})


@password_step
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request):
    user = request.user
    if has_confirmed_totp(user):
        return redirect(_with_next(request, "verify"))
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = confirm_pending_device(request, form.cleaned_data["code"].strip())
        if device is not None:
            codes = issue_backup_codes(user, settings.BACKUP_CODE_COUNT)
            _complete_second_factor(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("code", _("The code did not match. Check the time on your phone and try the next code."))
    device = pending_totp_device(request)
    context = {
        "form": form,
        "qr_svg": qr_svg(device, title=_("QR code with the key for the authenticator app")),
        "secret": base32_secret(device),
        "next": requested_next(request),
    }
    return render(request, "accounts/enrol.html", context)


@requires(may_use_site)
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """New backup codes replace the old ones; they are shown once."""
    if request.method == "POST":
        codes = issue_backup_codes(request.user, settings.BACKUP_CODE_COUNT)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("start")})
    return render(request, "accounts/backup_codes_confirm.html")


@password_step
@require_POST
def logout(request):
    auth_logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("login")


@public
@require_http_methods(["GET"])
def invitation(request, token):
    """Check the link, then move the token out of the address bar into the session."""
    try:
        found = services.invitation_for_token(token)
    except services.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"message": str(error)}, status=410)
    # Someone already logged in on this browser stays so until the new
    # password is saved: a GET must not change who is logged in.
    request.session[INVITATION_SESSION_KEY] = found.pk
    return redirect("invitation_password")


@public
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_password(request):
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    invitation = Invitation.objects.filter(pk=invitation_id).first() if invitation_id else None
    if invitation is None or not invitation.is_usable():
        request.session.pop(INVITATION_SESSION_KEY, None)
        message = _("This link is not valid any more. Ask your coordinator for a new invitation.")
        return render(request, "accounts/invitation_invalid.html", {"message": message}, status=410)
    hint = User(email=invitation.email, name=invitation.name)
    form = SetPasswordForm(request.POST or None, user_hint=hint)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(invitation_id=invitation.pk, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            return render(request, "accounts/invitation_invalid.html", {"message": str(error)}, status=410)
        request.session.pop(INVITATION_SESSION_KEY, None)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        mark_session_start(request)
        messages.success(request, _("Your password is set. Now set up two-factor login."))
        return redirect("enrol")
    return render(request, "accounts/invitation_password.html", {"form": form, "email": invitation.email})
