"""Two-factor helpers shared by the login views, the middleware and seed_demo."""

import base64
import enum
from dataclasses import dataclass
from datetime import datetime

import segno
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import BackupCodeDevice


def record_login(user) -> None:
    """ "Last login" is when someone got in: with the second factor, not at the
    password step (an invitee who never enrolled has not logged in)."""
    update_last_login(None, user)


def last_login_with_second_factor(sender, request, user, **kwargs) -> None:
    """Replaces Django's update_last_login on user_logged_in. A login that
    carries its verified device (the admin's OTP login form) is complete; the
    site's own password step is not, and the code step calls record_login."""
    if getattr(user, "otp_device", None) is not None:
        record_login(user)


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


PENDING_KEY_SESSION_KEY = "jour_pending_totp_key"


def pending_totp_device(request) -> TOTPDevice:
    """The device an enrolling user scans. Unsaved: its key waits in the
    session, so that opening the page writes nothing to the database."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[PENDING_KEY_SESSION_KEY] = key
    return TOTPDevice(user=request.user, name="app", key=key, confirmed=False)


def confirm_pending_device(request, code: str) -> TOTPDevice | None:
    """Save the pending device if the code matches; None otherwise."""
    device = pending_totp_device(request)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(int(code), tolerance=device.tolerance):
        return None
    device.confirmed = True
    device.last_t = totp.t()  # this code is now used
    device.save()
    del request.session[PENDING_KEY_SESSION_KEY]
    return device


# Modules of blank margin around the code: the QR standard's minimum, what scanners expect.
QR_QUIET_ZONE = 4


def qr_svg(device: TOTPDevice, title: str = "") -> str:
    """The key as a QR code that scales to its box: a viewBox and no fixed size
    (a fixed 305 px drawing in a smaller box was clipped to one corner and did not
    scan), a white quiet zone of four modules that phone cameras need, and the
    size left to the stylesheet."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        omitsize=True, border=QR_QUIET_ZONE, light="#fff", svgclass="qr-code", title=title or None
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def issue_backup_codes(user, count: int) -> list[str]:
    device, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": "backup", "confirmed": True})
    return device.replace_codes(count)


def match_code(user, code: str):
    """The confirmed device that accepts this code, or None. Each code works once:
    TOTP remembers the last time step used, backup codes are deleted on use."""
    code = "".join((code or "").split())
    if not code:
        return None
    # A six-digit code is for the app; anything else can only be a backup code.
    # Asking only the matching kind keeps each kind's throttle honest.
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else BackupCodeDevice
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, kind) and device.verify_token(code):
            return device
    return None


class CodeCheck(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class CodeResult:
    outcome: CodeCheck
    locked_until: datetime | None = None


def check_totp_code(user, code: str) -> CodeResult:
    """Check a code from the user's authenticator app in a transaction of its own.

    For a step inside a larger transaction (signing): there a refusal rolls back
    whatever the step wrote, django-otp's failure count included, and an attacker
    could guess without limit. Here the outcome is committed before the caller
    goes on: a wrong code counts, a right one is spent, even if the caller then
    refuses. The device's row lock keeps two requests from spending one code.
    After repeated failures django-otp's throttle refuses even the right code
    until the wait is over (the same counter as the login's second step).
    Call it outside any transaction.atomic() block, or its commit is not one.
    """
    code = "".join((code or "").split())
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return CodeResult(CodeCheck.WRONG)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return CodeResult(CodeCheck.THROTTLED, (details or {}).get("locked_until"))
        if not (code.isascii() and code.isdigit() and len(code) == device.digits):
            # Not an app code at all (a backup code, say): refused, and not a guess at one.
            return CodeResult(CodeCheck.WRONG)
        accepted = device.verify_token(code)  # saves the spent step, or the failure count
    return CodeResult(CodeCheck.ACCEPTED if accepted else CodeCheck.WRONG)


def remove_all_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.filter(user=user).delete()
