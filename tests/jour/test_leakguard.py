"""The suite-wide guard of issue 6, item 5 (tests/leakguard.py) can fail, and lets clean output pass."""

import logging
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.utils import timezone

from cases import deadlines
from tests.cases.factories import SEEKER, make_case
from tests.leakguard import (
    MATCHER,
    SEEDED_VALUES,
    LeakGuard,
    Matcher,
    check_emails,
    filed_emails,
    notification_texts,
    record_text,
    scan,
)

ROOT = Path(__file__).resolve().parents[2]


def found(text):
    return [value for value, _position in MATCHER.find(text)]


def test_every_value_of_the_factory_seeker_is_forbidden():
    assert set(SEEKER.values()) <= set(SEEDED_VALUES)
    assert not [value for value in SEEKER.values() if not found(f"x {value} x")]


@pytest.mark.parametrize(
    "text",
    [
        "Samtal med INGEGERD om ärendet",
        "Ingegerds ärende",  # the Swedish genitive
        "ring 0705550123",
        "ring +46 70-555 01 23",
        "ring 070 555 0123.",
        "skriv till Ingegerd.Fjallbrink@Seeker.Example",
        "note: seedad   anteckning: nyckel under mattan på klövervägen 7",
        "Seedad anteckning: nyckel under mat…",  # a truncated note
    ],
)
def test_a_seeded_value_is_found_however_it_is_written(text):
    assert found(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Case 2026-0001 has passed its first contact deadline without a contact attempt.",
        "http://127.0.0.1:8000/cases/17/",
        "attestation of the minimum requirements",  # "Testa" only as a word
        "phone 070-555 01 234 and 1070-555 01 23",  # other numbers that contain the digits
        "Deadline notification 4705550123 e-mailed",
    ],
)
def test_ordinary_output_is_not_a_leak(text):
    assert found(text) == [], text


def test_values_shorter_than_four_characters_are_ignored():
    assert Matcher(["Siv", "Bo", "Ingegerd"]).values == ["Ingegerd"]


def test_the_longest_value_is_reported_where_several_match():
    assert found("till ingegerd.fjallbrink@seeker.example") == ["ingegerd.fjallbrink@seeker.example"]


def test_an_email_is_checked_everywhere_but_its_recipients():
    message = EmailMultiAlternatives(
        subject="Ärende 2026-0001",
        body="Öppna ärendet: http://127.0.0.1:8000/cases/1/",
        to=["ingegerd.fjallbrink@seeker.example", "Kim Coordinator <kim@jour.test>"],
        cc=["070-555 01 23 <sms@seeker.example>"],
        reply_to=["alex@jour.test"],
        headers={"X-Case": "Ingrid Hemlig", "To": "ingegerd.fjallbrink@seeker.example"},
    )
    message.attach_alternative("<p>Hej &Aring;sa &Ouml;berg-&Auml;rlig</p>", "text/html")
    message.attach("seekers.csv", "namn;telefon\nOttiliana;073-919 44 02\n", "text/csv")
    report = "\n".join(check_emails([(1, message, "tests/jour/test_leakguard.py")]))

    assert "'alex@jour.test' in Reply-To of e-mail #1" in report
    assert "'Ingrid Hemlig' in X-Case of e-mail #1" in report
    assert "'Åsa Öberg-Ärlig' in alternative 0 (text/html) of e-mail #1" in report
    assert "'Ottiliana' in attachment 0 (text/csv)" in report and "'073-919 44 02' in attachment 0" in report
    assert "in To of" not in report and "in body of" not in report and "in subject of" not in report
    assert len([line for line in report.splitlines() if line.startswith("- ")]) == 5


def test_a_clean_email_to_a_seeker_passes():
    message = EmailMessage("Ärende 2026-0001", "Öppna ärendet: http://x/cases/1/", None, [SEEKER["email"]])
    assert check_emails([(1, message, "here")]) == []


def test_emails_a_worker_wrote_to_files_are_checked_but_their_recipients(tmp_path):
    connection = get_connection("django.core.mail.backends.filebased.EmailBackend", file_path=str(tmp_path))
    connection.send_messages(
        [
            EmailMessage("Ärende 2026-0001", "Öppna ärendet.", None, [SEEKER["email"]]),
            EmailMessage("Ärende 2026-0002", f"Ring {SEEKER['phone']}", None, ["kim@jour.test"]),
        ]
    )
    report = scan(filed_emails(tmp_path))
    assert len(report) == 1, report
    assert report[0].startswith("- '070-555 01 23' in text/plain part of e-mail ")
    assert "#2 to kim@jour.test (subject 'Ärende 2026-0002', by a worker)" in report[0]


def test_a_log_record_is_checked_with_its_arguments_and_exception():
    try:
        raise ValueError(f"no such seeker: {SEEKER['last_name']}")
    except ValueError:
        record = logging.LogRecord(
            "cases", logging.ERROR, __file__, 1, "Case %s failed", ("2026-0001",), sys.exc_info()
        )
    report = scan([("log record ERROR cases", record_text(record))])
    assert len(report) == 1 and "'Fjällbrinkström' in log record ERROR cases" in report[0]
    assert "first 200 chars: 'Case 2026-0001 failed⏎Traceback" in report[0]


@pytest.mark.allow_personal_data_in_output
def test_the_guard_records_emails_and_log_lines_of_every_logger():
    """In-process: what a test would produce reaches the guard's report, even
    from a logger that does not propagate and after the outbox was cleared."""
    quiet = logging.getLogger("tests.leakguard.quiet")
    quiet.propagate = False
    quiet.setLevel(logging.INFO)
    guard = LeakGuard()
    guard.start()
    try:
        logging.getLogger("cases.anywhere").info("Ringer %s", SEEKER["phone"])
        logging.getLogger("cases.anywhere").debug("Below INFO: %s", SEEKER["first_name"])
        quiet.warning("Utan propagering: %s", SEEKER["email"])
        mail.send_mail("Ärende", f"Ring {SEEKER['first_name']}", None, ["kim@jour.test"])
        mail.outbox.clear()
        mail.send_mail("Ärende 2026-0001", "Öppna ärendet.", None, [SEEKER["email"]])
    finally:
        guard.stop()
        quiet.propagate = True
    report = guard.check()
    assert len(report) == 3, report
    assert "'070-555 01 23' in log record INFO cases.anywhere (tests/jour/test_leakguard.py:" in report[1]
    assert f"{SEEKER['email']!r} in log record WARNING tests.leakguard.quiet" in report[2]
    assert report[0].startswith("- 'Ingegerd' in body of e-mail #1 to kim@jour.test (subject 'Ärende', sent from ")
    assert "tests/jour/test_leakguard.py:" in report[0]
    assert guard.check() == []  # each e-mail and line is reported once


def test_notifications_are_read_as_the_inbox_shows_them(people):
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=30))
    deadlines.sweep()

    texts = notification_texts()
    assert len(texts) == 1 and texts[0][0].startswith("in-app notifications #")
    assert case.number in texts[0][1]
    assert scan(texts) == []
    # Were the case number personal data, the guard would say so.
    assert f"{case.number!r} in in-app notifications #" in scan(texts, Matcher([case.number]))[0]


INNER_TESTS = """
import logging

import pytest
from django.core import mail


def test_logs_a_seekers_phone():
    logging.getLogger("cases.inner").warning("Ringer %s", "070-555 01 23")


def test_quotes_an_address_in_an_email():
    mail.send_mail("Hej", "Svara till ingegerd.fjallbrink@seeker.example", None, ["kim@jour.test"])


def test_sends_a_clean_email_to_a_seeker():
    mail.send_mail("Ärende 2026-0001", "Öppna ärendet: http://x/cases/1/", None, ["ingegerd.fjallbrink@seeker.example"])


@pytest.mark.allow_personal_data_in_output
def test_opted_out():
    logging.getLogger("cases.inner").info("Ingegerd")


@pytest.fixture
def noisy():
    yield
    logging.getLogger("cases.inner").info("Städar efter Fjällbrinkström")


def test_a_fixture_that_logs_at_teardown(noisy):
    pass
"""


def test_the_guard_fails_a_test_that_leaks(pytester, monkeypatch):
    """A pytest run of its own, with the suite's conftest: two tests leak and
    fail, one fixture leaks at teardown, the clean one and the opted-out one pass."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest("from tests.conftest import *  # noqa: F403\n")
    pytester.makepyfile(test_inner=INNER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "ignore::pytest.PytestUnknownMarkWarning")
    result.assert_outcomes(passed=3, failed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*Seeded personal data in the output of this test*",
            "*- '070-555 01 23' in log record WARNING cases.inner (*test_inner.py:* test_logs_a_seekers_phone)",
            "*first 200 chars: 'Ringer 070-555 01 23'",
        ],
        consecutive=False,
    )
    result.stdout.fnmatch_lines(
        ["*- 'ingegerd.fjallbrink@seeker.example' in body of e-mail #1 to kim@jour.test (subject 'Hej', sent from *"]
    )
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_a_fixture_that_logs_at_teardown*",
            "*- 'Fjällbrinkström' in log record INFO cases.inner*",
        ]
    )
