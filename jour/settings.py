"""Settings for jour, read from the environment.

JOUR_ENV chooses the profile: "production" (the default, so a forgotten variable
never weakens a real deployment), "development" (what `make run` uses) or "test".
Every other value has a default that is safe for production or for a local run.
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import database, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("JOUR_VAR_DIR", str(BASE_DIR / "var")))

JOUR_ENV = env_str("JOUR_ENV", "production")
if JOUR_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured("JOUR_ENV must be production, development or test")
PRODUCTION = JOUR_ENV == "production"

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-5c1f0e4b9a2d7e6f8a1b"  # noqa: S105 - refused in production below
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "Production needs SECRET_KEY: at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
JOUR_BASE_URL = env_str("JOUR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [JOUR_BASE_URL])
JOUR_NAME = env_str("JOUR_NAME", "Brottsofferjouren")
# The jour's own contact details, for the federation export.
JOUR_ADDRESS = env_str("JOUR_ADDRESS", "")
JOUR_EMAIL = env_str("JOUR_EMAIL", "")
JOUR_PHONE = env_str("JOUR_PHONE", "")
# The share of cases whose first attempt must come within the deadline (compliance evidence).
JOUR_FIRST_CONTACT_TARGET = env_int("JOUR_FIRST_CONTACT_TARGET_PERCENT", 90) / 100
# A volunteer without supervision for longer than this is flagged.
JOUR_FOLLOWUP_MONTHS = env_int("JOUR_FOLLOWUP_MONTHS", 3)
# The jour's own minimum of active volunteers in each role (the checklist's S1); 0 leaves a role uncounted.
JOUR_MIN_SUPPORT_PERSONS = env_int("JOUR_MIN_SUPPORT_PERSONS", 5)
JOUR_MIN_WITNESS_SUPPORTERS = env_int("JOUR_MIN_WITNESS_SUPPORTERS", 2)
# Personal data of a closed case is removed this many months after closing.
JOUR_RETENTION_MONTHS = env_int("JOUR_RETENTION_MONTHS", 12)
# Paper still unshredded this many days after it became due (closing; a referral form:
# the first attempt) fails the checklist.
JOUR_SHRED_WITHIN_DAYS = env_int("JOUR_SHRED_WITHIN_DAYS", 7)
# Statistics: a table cell counting fewer people than this is hidden from the board and in exports.
JOUR_STATS_MINIMUM = env_int("JOUR_STATS_MINIMUM", 3)
# Statistics: a selection (period, municipality) of fewer seekers than this is not shown to the board or exported.
JOUR_STATS_MIN_SEEKERS = env_int("JOUR_STATS_MIN_SEEKERS", 10)
# The yearly assurance: how many auditors sign, the jour's own deadline for sending
# it to the federation (month-day of the year after the assessed one), how many
# weeks ahead the board is reminded, and the jour's own deadline for the yearly
# reports. The federation sets its dates each year; these are the jour's choice.
JOUR_ASSURANCE_SIGNATURES = env_int("JOUR_ASSURANCE_SIGNATURES", 2)
JOUR_FEDERATION_DEADLINE = env_str("JOUR_FEDERATION_DEADLINE", "04-30")
JOUR_REPORTS_DEADLINE = env_str("JOUR_REPORTS_DEADLINE", "05-31")
JOUR_REMINDER_WEEKS = env_int("JOUR_REMINDER_WEEKS", 4)
# How many reverse proxies we deploy in front of the app (Caddy in docker-compose: 1).
# The client address is read from X-Forwarded-For only that many hops deep.
JOUR_TRUSTED_PROXY_COUNT = env_int("JOUR_TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's form templates, for the widgets jour.forms.FormRenderer draws from them
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "django_htmx",
    "csp",
    "jour",
    "cases",
    "members",
    "compliance",
    "calendars",
    "stats",
    "partners",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jour.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jour.middleware.SessionLifetimeMiddleware",
    "members.middleware.EngagementEndMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "jour.middleware.NoStoreMiddleware",
    "jour.audit.AuditlogMiddleware",
    "jour.middleware.AccessMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jour.urls"
WSGI_APPLICATION = "jour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "home.context_processors.navigation",
            ],
        },
    },
    # Parts of pages drawn many times over (jour/templating.py says which and why).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "jour.templating.environment"},
    },
]

# Form fields rendered by the site's own field template (jour/forms.py says why).
FORM_RENDERER = "jour.forms.FormRenderer"

DATABASES = {
    "default": database(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jour.sqlite3'}"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The year's statistics counts are kept between requests (stats.year_cache) only in a
# cache every process shares: each web worker must see another's "out of date".
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "stats": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "jour",
            # A cache that does not answer must not hold a page: the counts are made afresh.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    ),
}

AUTH_USER_MODEL = "jour.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
INVITATION_VALID_HOURS = env_int("JOUR_INVITATION_VALID_HOURS", 72)
BACKUP_CODE_COUNT = 10

# Sessions: 30 idle minutes, 12 hours at most, stored server side so that they can be ended.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("JOUR_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_SECONDS = env_int("JOUR_SESSION_ABSOLUTE_HOURS", 12) * 3600
# The idle expiry is renewed by activity, written at most once a minute
# (jour.middleware.SessionLifetimeMiddleware) rather than on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "jour.views.system.csrf_failure"
CSRF_COOKIE_SAMESITE = "Lax"

# Two-factor login (django-otp).
OTP_TOTP_ISSUER = JOUR_NAME
OTP_TOTP_THROTTLE_FACTOR = 1

# Lockout (django-axes), for one hour: 5 failures lock the pair e-mail + client address
# (an IPv6 client is its /64), 20 for one e-mail from any addresses lock the account for
# everyone and tell the coordinators. jour/lockout.py explains the callables.
LOCKOUT_PAIR_FAILURES = 5
LOCKOUT_ACCOUNT_FAILURES = 20
AXES_FAILURE_LIMIT = "jour.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
# The login form's field, not USERNAME_FIELD: axes must read the same key everywhere.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "jour.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "jour.lockout.lockout_address"
AXES_LOCKOUT_CALLABLE = "jour.lockout.locked_out"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "token"]

# Audit (django-auditlog): masked values are replaced entirely.
AUDITLOG_MASK_CALLABLE = "jour.audit.mask"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Stockholm"
# English with 24 h and unambiguous dates; see jour/formats/.
FORMAT_MODULE_PATH = ["jour.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Uploaded files are private: they live outside the static root and no URL serves
# them directly; only permission-checked views read them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The jour's seal for the auditors' assurance (python manage.py create_seal_key):
# kept out of the repository, the database and the media folder.
JOUR_SEAL_KEY_FILE = env_str("JOUR_SEAL_KEY_FILE", str(VAR_DIR / "seal" / "seal-key.pem"))
JOUR_SEAL_CERT_FILE = env_str("JOUR_SEAL_CERT_FILE", str(VAR_DIR / "seal" / "seal-cert.pem"))
# Encrypted backups (jour.backups): age public keys of the jour's offline key(s), comma-separated.
JOUR_BACKUP_RECIPIENTS = [key.strip() for key in env_str("JOUR_BACKUP_RECIPIENTS", "").split(",") if key.strip()]
JOUR_BACKUP_DIR = env_str("JOUR_BACKUP_DIR", str(VAR_DIR / "backups"))
JOUR_BACKUP_KEEP = env_int("JOUR_BACKUP_KEEP", 14)
JOUR_BACKUP_WARN_DAYS = env_int("JOUR_BACKUP_WARN_DAYS", 2)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail: printed to the console locally, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (make prod-check).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jour@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: an embedded file-system broker unless CELERY_BROKER_URL names a real one.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):  # kombu creates none of them with their parents
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Without it kombu writes its exchange table to ./control in whatever directory the process started in.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hold a request for long: the periodic sweeps
# pick up whatever could not be queued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# How often the sweeps that catch up on anything a message did not carry run: deadlines,
# unsent invitations, unrendered assurances. make prod-check shortens it to see them act.
_sweep_seconds = env_int("JOUR_SWEEP_SECONDS", 300)
if _sweep_seconds < 1:
    raise ImproperlyConfigured("JOUR_SWEEP_SECONDS must be at least 1")
JOUR_SWEEP_INTERVAL = timedelta(seconds=_sweep_seconds)
CELERY_BEAT_SCHEDULE = {
    "sweep-first-contact-deadlines": {
        "task": "cases.tasks.sweep_deadlines",
        "schedule": JOUR_SWEEP_INTERVAL,
    },
    "send-pending-invitations": {
        "task": "jour.tasks.send_pending_invitations",
        "schedule": JOUR_SWEEP_INTERVAL,
    },
    "purge-expired-invitations": {
        "task": "jour.tasks.purge_expired_invitations",
        "schedule": crontab(minute=15, hour=3),
    },
    "close-leavers-accounts": {
        "task": "members.tasks.close_leavers_accounts",
        "schedule": crontab(minute=5, hour=0),
    },
    # Daily on purpose: the weekly row makes only the week's first run send.
    "volunteer-followup-reminder": {
        "task": "members.tasks.send_followup_reminder",
        "schedule": crontab(minute=0, hour=7),
    },
    "back-up-nightly": {
        "task": "jour.tasks.back_up",
        "schedule": crontab(minute=30, hour=2),
    },
    "render-pending-assurances": {
        "task": "compliance.tasks.render_pending_assurances",
        "schedule": JOUR_SWEEP_INTERVAL,
    },
    "yearly-compliance-reminders": {
        "task": "compliance.tasks.send_reminders",
        "schedule": crontab(minute=10, hour=7),
    },
    "anonymise-expired-cases": {
        "task": "cases.tasks.anonymise_expired_cases",
        "schedule": crontab(minute=40, hour=2),
    },
    "shredding-reminders": {
        "task": "cases.tasks.send_shredding_reminders",
        "schedule": crontab(minute=30, hour=8),
    },
    # Hourly through the day, every day, so that an appointment booked late is
    # still reminded of before it starts; each reminder is sent once.
    "appointment-reminders": {
        "task": "calendars.tasks.send_appointment_reminders",
        "schedule": crontab(minute=20, hour="7-19"),
    },
    "clear-expired-sessions": {
        "task": "jour.tasks.clear_expired_sessions",
        "schedule": crontab(minute=30, hour=3),
    },
}

# Security headers and cookies.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Permissions-Policy (jour.middleware.PermissionsPolicyMiddleware): browser features the site
# never uses, denied to every origin. Only features current browsers recognise (no
# interest-cohort: FLoC is gone, browsing-topics replaced it); sync-xhr stays allowed.
PERMISSIONS_POLICY_DENY = [
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "clipboard-read",
    "clipboard-write",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "join-ad-interest-group",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "run-ad-auction",
    "screen-wake-lock",
    "serial",
    "usb",
    "web-share",
    "window-management",
    "xr-spatial-tracking",
]
if JOUR_TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, on this host, for every path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every handler filters: a feed's or an invitation's token never reaches a log (jour/logfilters.py).
    "filters": {"tokens": {"()": "jour.logfilters.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Drop Django's own handlers (its DEBUG console has no filter): django.* goes to the
        # root handler, so that a token in a path is redacted whatever the settings.
        "django": {"handlers": [], "level": "INFO"},
        # Request lines carry paths only, but quieten them all the same. Django's defaults
        # stop this logger propagating; without a handler of its own its warnings (a 410 for
        # an invitation link, a 404 for a feed) would reach Python's unfiltered last resort.
        "django.server": {"level": "WARNING", "propagate": True},
        "axes": {"level": "WARNING"},
        # Its progress lines ("Step 5 - Creating layout") say nothing worth keeping.
        "weasyprint": {"level": "WARNING"},
    },
}

if JOUR_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
    EMAIL_BACKEND = env_str("JOUR_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    EMAIL_FILE_PATH = env_str("JOUR_TEST_EMAIL_DIR", str(VAR_DIR / "test-mail"))
    CELERY_BROKER_URL = env_str("JOUR_TEST_BROKER_URL", "memory://")
    CELERY_TASK_ALWAYS_EAGER = True
    # One process: its own memory is shared enough, and the cached path is what the tests run.
    if not CACHE_URL:
        CACHES["stats"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "stats"}
    CELERY_TASK_EAGER_PROPAGATES = True
    # Tests compare the queries of two requests; a session renewal falling between
    # them on a slow machine would make one of them a write more (test_sessions
    # sets the real interval where renewal itself is tested).
    SESSION_RENEW_SECONDS = 3600
