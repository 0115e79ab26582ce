"""Accounts: users with one role each, invitations and hashed backup codes."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    SUPPORT_PERSON = "support_person", _("Support person")
    BOARD_MEMBER = "board_member", _("Board member")
    AUDITOR = "auditor", _("Auditor")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.COORDINATOR)
        return self.create_user(email, password, **fields)


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("technical administrator"),
        default=False,
        help_text=_("May use the technical admin site (after two-factor login)."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    # Bumped to end every open session of the account (deactivation, reset).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name"]

    def __str__(self):
        # Identifies nothing on its own: audit entries store str(obj).
        return f"user #{self.pk}"

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def _get_session_auth_hash(self, secret=None):
        # Django ends sessions whose stored hash no longer matches; mixing in the
        # epoch lets us end them without touching the password.
        key_salt = "jour.User.session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def first_name(self):
        return self.name.split(" ")[0] if self.name else ""


class Invitation(models.Model):
    """A one-time link to set a password and enrol two-factor login.

    Only the SHA-256 of the token is stored. The token is made when the e-mail
    is sent, so a resend invalidates the previous link.
    """

    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("Set when the invitation resets access for an existing account."),
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address: a resend reuses it.
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"invitation #{self.pk}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def issue_token(self) -> str:
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        self.token_hash = self.hash_token(token)
        self.sent_at = now
        self.expires_at = now + timedelta(hours=settings.INVITATION_VALID_HOURS)
        return token

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.used_at is None and self.revoked_at is None and self.expires_at is not None and now < self.expires_at
        )


class BackupCodeDevice(ThrottlingMixin, Device):
    """Single-use backup codes, stored hashed.

    django-otp's own static device keeps its codes in plaintext; these are
    hashed with the project's password hasher and each works once.
    """

    def get_throttle_factor(self):
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def __str__(self):
        return f"backup codes #{self.pk}"

    def replace_codes(self, count: int) -> list[str]:
        self.codes.all().delete()
        codes = [_new_backup_code() for _ in range(count)]
        BackupCode.objects.bulk_create(BackupCode(device=self, code_hash=make_password(_canonical(c))) for c in codes)
        return codes

    def verify_token(self, token):
        verify_allowed, _data = self.verify_is_allowed()
        if not verify_allowed:
            return False
        candidate = _canonical(token)
        if len(candidate) != BACKUP_CODE_LENGTH:
            self.throttle_increment()
            return False
        for code in self.codes.all():
            if check_password(candidate, code.code_hash):
                code.delete()
                self.throttle_reset()
                return True
        self.throttle_increment()
        return False


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=255)

    def __str__(self):
        return f"backup code #{self.pk}"


BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_CODE_LENGTH = 12  # about 59 bits


def _new_backup_code() -> str:
    raw = "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _canonical(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


class DataBackup(models.Model):
    """An encrypted backup the nightly task wrote (jour.backups): what the start page's
    warning is judged from. Not the 2FA backup codes above."""

    made_at = models.DateTimeField(db_index=True)
    name = models.CharField(max_length=100)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self):
        return self.name
