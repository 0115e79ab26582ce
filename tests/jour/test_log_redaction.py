"""Issue 16, item 8: an invitation link and a calendar feed's address are their own
keys, so neither reaches a log line, from whichever logger and through whichever
handler (the configured ones, or Python's last-resort handler for a logger that
has none and does not propagate)."""

import io
import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jour.logfilters import RedactTokens
from jour.models import Invitation, Role

# Loggers that write request paths: Django's request and server lines, and its security notes.
PATH_LOGGERS = ["django.request", "django.server", "django.security.DisallowedHost", "django", "axes", "jour"]


def _ours(handler) -> bool:
    """A handler the settings made; not pytest's capture or the test suite's leak guard."""
    return not type(handler).__module__.startswith(("_pytest", "tests."))


def _handlers_of(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers a record logged on `logger` reaches, as Logger.callHandlers walks them."""
    found, current = [], logger
    while current is not None:
        found += [h for h in current.handlers if _ours(h)]
        current = current.parent if current.propagate else None
    return found


@pytest.fixture
def log_output(monkeypatch):
    """Everything the configured handlers and the last-resort handler write, in one buffer."""
    buffer = io.StringIO()
    seen = {h for name in PATH_LOGGERS for h in _handlers_of(logging.getLogger(name))}
    seen |= {h for h in logging.getLogger().handlers if _ours(h)}
    for handler in seen:
        assert isinstance(handler, logging.StreamHandler), handler
        monkeypatch.setattr(handler, "stream", buffer)
    last_resort = logging.StreamHandler(buffer)
    last_resort.setLevel(logging.WARNING)
    monkeypatch.setattr(logging, "lastResort", last_resort)
    return buffer


def _invitation(people, **extra):
    invitation = Invitation.objects.create(
        email="nora@jour.test", name="Nora Newcomer", role=Role.SUPPORT_PERSON, invited_by=people.coordinator, **extra
    )
    token = invitation.issue_token()
    invitation.save()
    return token


@pytest.mark.parametrize(
    "state",
    [{"used_at": timezone.now()}, {"revoked_at": timezone.now()}, {"expires_at": timezone.now()}],
    ids=["used", "revoked", "expired"],
)
def test_a_refused_invitation_link_is_logged_without_its_token(people, log_output, state):
    token = _invitation(people)
    Invitation.objects.update(**state)
    response = Client().get(reverse("invitation", args=[token]))
    assert response.status_code == 410
    output = log_output.getvalue()
    assert "Gone: /accounts/invitation/[redacted]/" in output  # Django did log the refusal...
    assert token not in output  # ...without the token


def test_an_unknown_invitation_token_is_not_logged_either(db, log_output):
    token = "Q" * 43
    assert Client().get(reverse("invitation", args=[token])).status_code == 410
    output = log_output.getvalue()
    assert "/accounts/invitation/[redacted]/" in output
    assert token not in output


def test_a_wrong_feed_address_is_logged_without_its_token(db, log_output):
    token = "W" * 43
    path = reverse("calendar_feed", args=[token])
    assert Client().get(path).status_code == 404
    assert Client().post(path).status_code == 405
    output = log_output.getvalue()
    assert "/calendar/feed/[redacted]" in output
    assert token not in output


@pytest.mark.parametrize(
    "path", ["/accounts/invitation/s3cr3t-TOKEN_x/", "/calendar/feed/s3cr3t-TOKEN_x.ics"], ids=["invitation", "feed"]
)
def test_the_development_servers_request_line_is_redacted(log_output, path):
    # What runserver logs for a 4xx answer, on a logger Django configures not to propagate.
    logging.getLogger("django.server").warning('"%s" %s %s', f"GET {path} HTTP/1.1", "410", "12")
    output = log_output.getvalue()
    assert "[redacted]" in output
    assert "s3cr3t-TOKEN_x" not in output


@pytest.mark.parametrize("name", PATH_LOGGERS)
def test_every_handler_a_request_line_can_reach_redacts_tokens(name):
    handlers = _handlers_of(logging.getLogger(name))
    assert handlers, f"{name} has no handler: Python's unfiltered last-resort handler would print its warnings"
    for handler in handlers:
        assert any(isinstance(f, RedactTokens) for f in handler.filters), (name, handler)
    for handler_name, handler in settings.LOGGING["handlers"].items():
        assert "tokens" in handler.get("filters", []), handler_name


@pytest.mark.parametrize(
    ("msg", "args", "expected"),
    [
        ("Gone: %s", ("/accounts/invitation/s3cr3t-TOKEN_x/",), "Gone: /accounts/invitation/[redacted]/"),
        (
            '"GET /accounts/invitation/s3cr3t-TOKEN_x/ HTTP/1.1" 410 12',
            (),
            '"GET /accounts/invitation/[redacted]/ HTTP/1.1" 410 12',
        ),
        (
            "Method Not Allowed (%s): %s",
            ("POST", "https://jour.example/accounts/invitation/s3cr3t-TOKEN_x/"),
            "Method Not Allowed (POST): https://jour.example/accounts/invitation/[redacted]/",
        ),
        ("Not Found: %s", ("/calendar/feed/s3cr3t-TOKEN_x.ics",), "Not Found: /calendar/feed/[redacted]"),
        (
            "%s then %s",
            ("/calendar/feed/s3cr3t-TOKEN_x.ics", "/accounts/invitation/s3cr3t-TOKEN_x/"),
            "/calendar/feed/[redacted] then /accounts/invitation/[redacted]/",
        ),
    ],
)
def test_the_filter_redacts_both_kinds_of_token(msg, args, expected):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)
    assert RedactTokens().filter(record) is True  # redacted, not dropped
    assert record.getMessage() == expected


def test_the_invitation_password_page_is_left_alone():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Gone: %s", ("/accounts/invitation/",), None
    )
    assert RedactTokens().filter(record) is True
    assert record.getMessage() == "Gone: /accounts/invitation/"
