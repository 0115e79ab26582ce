"""The people every test uses, built the same way each time.

Who may see what:
- coordinator (Kim): everything the jour holds; manages accounts, reads the audit log.
- support person Alex: the cases assigned to Alex only.
- support person Sam: another volunteer; must never see Alex's cases.
- board member (Maria) and auditor (Johan): governance pages, never a seeker's personal data.
"""

import time
from dataclasses import dataclass

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jour.middleware import SESSION_RENEWED_KEY, SESSION_STARTED_KEY
from jour.models import Role, User
from members.middleware import CHECKED_KEY as ENTITLEMENT_CHECKED_KEY

PASSWORD = "correct horse battery staple"


@dataclass
class Personas:
    coordinator: User
    alex: User
    sam: User
    board: User
    auditor: User

    def by_role(self) -> dict[Role, User]:
        return {
            Role.COORDINATOR: self.coordinator,
            Role.SUPPORT_PERSON: self.alex,
            Role.BOARD_MEMBER: self.board,
            Role.AUDITOR: self.auditor,
        }


def make_user(email: str, name: str, role: Role, *, with_totp: bool = True, **extra) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, name=name, role=role, **extra)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def build_personas() -> Personas:
    return Personas(
        coordinator=make_user("kim@jour.test", "Kim Coordinator", Role.COORDINATOR),
        alex=make_user("alex@jour.test", "Alex Support", Role.SUPPORT_PERSON),
        sam=make_user("sam@jour.test", "Sam Support", Role.SUPPORT_PERSON),
        board=make_user("maria@jour.test", "Maria Board", Role.BOARD_MEMBER),
        auditor=make_user("johan@jour.test", "Johan Auditor", Role.AUDITOR),
    )


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def totp_code(user: User, *, at: float | None = None) -> str:
    device = totp_device(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def login_password_only(client, user: User) -> None:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def login_verified(client, user: User) -> None:
    """Log in with password and a verified second factor, as the views would."""
    login_password_only(client, user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    # As after the day's first request (members.middleware): tests of that check clear it.
    session[ENTITLEMENT_CHECKED_KEY] = timezone.localdate().isoformat()
    # As the login view leaves it (jour.middleware.mark_session_start).
    session[SESSION_STARTED_KEY] = session[SESSION_RENEWED_KEY] = time.time()
    session.save()


def client_for(user: User, language: str | None = "en"):
    """A test client logged in as ``user`` with both factors; the UI in
    ``language`` (None: the site's default, Swedish)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    login_verified(client, user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
