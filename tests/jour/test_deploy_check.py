"""Figure 10, part 1: the production profile passes `check --deploy` with no
warnings, refuses to start without a real SECRET_KEY, and sets what
`check --deploy` does not look at (cookie names, HSTS, session lifetime).

Settings are read once per process, so each profile runs in a subprocess."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "JOUR_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
    "ALLOWED_HOSTS": "jour.example.org",
    "JOUR_BASE_URL": "https://jour.example.org",
    # `check` does not open the database; this only keeps the test DB out of it.
    "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
    "JOUR_TRUSTED_PROXY_COUNT": "1",
}


def environment(**overrides):
    """os.environ without anything that could change the profile under test
    (the test run's own DATABASE_URL, DEBUG, JOUR_*, ...), plus the overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JOUR_", "DJANGO_", "SECURE_", "SESSION_", "CSRF_"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    env.update({key: value for key, value in overrides.items() if value is not None})
    return env


def run(args, **overrides):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment(**overrides), capture_output=True, text=True, timeout=120
    )


def read_settings(names, **overrides):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run(["-c", code], DJANGO_SETTINGS_MODULE="jour.settings", **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_finds_no_issues():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


@pytest.mark.parametrize(
    "secret_key",
    [
        None,
        "",
        secrets.token_urlsafe(30),  # 40 characters: too short
        "dev-only-insecure-key-never-use-in-production-5c1f0e4b9a2d7e6f8a1b",  # the development key
    ],
    ids=["missing", "empty", "short", "development-key"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = run(["manage.py", "check"], **{**PRODUCTION, "SECRET_KEY": secret_key})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("profile", ["production", "development", "test"])
def test_debug_is_off_unless_asked_for(profile):
    env = {**PRODUCTION, "JOUR_ENV": profile}
    assert read_settings(["DEBUG"], **env) == {"DEBUG": False}
    assert read_settings(["DEBUG"], **env, DEBUG="1") == {"DEBUG": True}


def test_production_cookies_hsts_and_session_lifetime():
    values = read_settings(
        [
            "SESSION_COOKIE_NAME",
            "CSRF_COOKIE_NAME",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "SECURE_HSTS_SECONDS",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_AGE",
            "SESSION_SAVE_EVERY_REQUEST",
            "SESSION_RENEW_SECONDS",
            "SESSION_ABSOLUTE_SECONDS",
        ],
        **PRODUCTION,
    )
    assert values == {
        # __Host- cookies: HTTPS only, this host only, path /.
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        # 30 idle minutes: the cookie age, renewed by activity at most once a minute...
        "SESSION_COOKIE_AGE": 1800,
        "SESSION_SAVE_EVERY_REQUEST": False,
        "SESSION_RENEW_SECONDS": 60,
        # ...and 12 hours at most, whatever the activity.
        "SESSION_ABSOLUTE_SECONDS": 12 * 3600,
    }
