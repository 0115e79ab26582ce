"""The demo jour's accounts: one per role (two auditors), with known passwords and
TOTP keys. Never in production."""

import hashlib

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jour.models import Role, User

DEMO_PASSWORD = "demo-jour-2026"  # noqa: S105 - demo only, refused in production
DEMO_DOMAIN = "demo.example"
DEMO_DEVICE_NAME = "demo"

# One account per role (two auditors: a year is signed by two).
DEMO_ACCOUNTS = [
    ("samordnare@demo.example", "Kim Lindqvist", Role.COORDINATOR),
    ("stodperson@demo.example", "Alex Berg", Role.SUPPORT_PERSON),
    ("styrelse@demo.example", "Maria Holm", Role.BOARD_MEMBER),
    ("revisor@demo.example", "Johan Ek", Role.AUDITOR),
    ("revisor2@demo.example", "Eva Sund", Role.AUDITOR),
]


def refuse_in_production() -> None:
    if settings.JOUR_ENV == "production":
        raise CommandError("Demo data and demo codes exist only outside production (JOUR_ENV).")


def demo_key(email: str) -> str:
    # Deterministic so that reseeding keeps the phone app working; public, so demo only.
    return hashlib.sha256(f"jour-demo-totp:{email}".encode()).hexdigest()[:40]


@transaction.atomic
def seed_accounts() -> list[User]:
    users = []
    for email, name, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(email=email, defaults={"name": name, "role": role})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        TOTPDevice.objects.get_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": demo_key(email), "confirmed": True},
        )
        users.append(user)
    return users


def by_role() -> dict[str, list[User]]:
    """The seeded demo accounts, grouped by role in the order of DEMO_ACCOUNTS."""
    users = {u.email: u for u in User.objects.filter(email__in=[email for email, _n, _r in DEMO_ACCOUNTS])}
    grouped: dict[str, list[User]] = {}
    for email, _name, role in DEMO_ACCOUNTS:
        if email in users:
            grouped.setdefault(role, []).append(users[email])
    return grouped


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, name=DEMO_DEVICE_NAME)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
