"""Two-factor helpers shared by the login views, the middleware and seed_demo."""

import base64

import segno
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import BackupCodeDevice


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device an enrolling user scans, created once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5)


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


def remove_all_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.filter(user=user).delete()
