"""Issue 6, item 5: no seeded personal data in any e-mail, notification or log line.

Every test of the suite runs under the guard (the autouse fixture and the
`pytest_runtest_call` wrapper in tests/conftest.py). During the test it

- records every e-mail handed to Django's locmem backend (the test backend; the
  outbox itself may be cleared by a test, the record is not) and checks the
  subject, body, HTML and other alternatives, text attachments and every header
  except To/Cc/Bcc: sending *to* an address is fine, quoting one is not;
- renders the in-app notifications (cases.models.Notification rows) the way the
  inbox shows them and checks that text. Their e-mails go through send_mail, so
  they are covered by the e-mail check whenever a test sends them;
- captures every log record at INFO and above from every logger (a handler on
  the root logger and on each logger that does not propagate) and checks
  record.getMessage() with its exception text and stack;
- for the tests that run a real Celery worker (mark `worker`), reads the
  e-mails the worker's file-based backend wrote into the test's tmp_path.
  The worker's own log lines stay in its process, out of reach.

and fails the test if any of them contains a value in SEEDED_VALUES.
"""

from __future__ import annotations

import email
import email.policy
import functools
import html
import logging
import re
import sysconfig
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_LENGTH = 4  # shorter values ("Siv", "Bo", "N") would match ordinary words
EXCERPT = 200

# Every seeded value of a seeker, member, volunteer or account holder that the
# suite's factories and fixtures put into the database, one list. Values that
# look like phone numbers are compared digits only (see Matcher).
#
# Deliberately left out:
# - one-word notes that are ordinary Swedish words the application may well
#   use itself ("Ringde", "Ring", "Överlämnat"); names shorter than four
#   characters; bare first names ("Kim", "Alex", "Vera", "Astrid");
# - member "names" that are Swedish phrases chosen to describe a date in
#   tests/members (test_supervision_followup, test_people_list, test_volunteer_list:
#   "Slutat Igår", "På Dagen", "Dagen Före", "Länge Sedan", "Sen Start" ...);
# - the association's own details (JOUR_NAME "Brottsofferjouren Exempelstad",
#   JOUR_PHONE "010-123 45 67", info@jour.example, "Storgatan 1" which is also
#   JOUR_ADDRESS in test_federation_export), municipalities and real towns:
#   they describe the jour or feed statistics, and may legitimately appear;
# - values that Hypothesis generates (tests/jour/test_forms_fuzz.py,
#   tests/members/test_people_fuzz.py): they cannot be listed.
#
# Staff names (the personas "Kim Coordinator" etc., the demo accounts) ARE
# included: no e-mail greets its recipient by name (templates/**/email/*.txt,
# members.services._tell_coordinators and members.followup say "Hello," or
# nothing, and carry a number and a link only), so any person's name in a
# message or log line would be someone else's data, not a greeting.
SEEDED_VALUES = [
    # tests/cases/factories.py SEEKER, the seeker of nearly every case test.
    "Ingegerd",
    "Fjällbrinkström",
    "070-555 01 23",
    "ingegerd.fjallbrink@seeker.example",
    "Seedad anteckning: nyckel under mattan på Klövervägen 7",
    # tests/compliance/test_no_seeker_data_crawl.py: SEEKERS (the other three),
    # ADDRESSES, ATTEMPT_NOTES, HANDOVER_NOTES, VOLUNTEERS and a former board member.
    "Ottiliana",
    "Brännvinsdotter",
    "073-919 44 02",
    "ottiliana.b@seeker.example",
    "Seedad anteckning: bor tillfälligt hos systern på Granstigen 12",
    "Rigmorsdotter",
    "Kvarnhjulsberg",
    "+46 8 555 019 87",
    "rigmor@kvarnhjul.example",
    "Seedad anteckning: portkod 4471 till Tallbacksgränd 3",
    "Wilhelmina",
    "Östergyllenhielm",
    "076-222 90 31",
    "wilma.ostergyllen@seeker.example",
    "Seedad anteckning: skyddad adress, ring aldrig hem till Lönnvägen 88",
    "Klövervägen 7",
    "Granstigen 12",
    "Tallbacksgränd 3",
    "Lönnvägen 88",
    "portkod 4471",
    "Försöksanteckning: mannen svarade, lade på direkt",
    "Försöksanteckning: lämnade inget meddelande enligt önskemål",
    "Överlämning: Ottiliana vill ha en kvinnlig stödperson",
    "Torvald Lingonbacke",
    "076-404 88 17",
    "torvald@volontar.example",
    "Blåbärsstigen 19",
    "Mossaby",
    "Henrika Sjöberglund",
    "070-313 62 45",
    "henrika.sjoberg@volontar.example",
    "Hjortronvägen 2B",
    "Myrhult",
    "Gunnel Förrförra",
    # The beginnings of the seeded notes, so that a truncated note is caught too.
    "Seedad anteckning",
    "Försöksanteckning",
    "Överlämning: Ottiliana",
    # Other seekers in tests/cases: test_deadline_sweep.py and test_sweep_worker.py
    # (SEEKER there), test_smoke_flow.py, test_edit_conflict.py, test_register_case.py,
    # test_case_scope.py, test_dashboards.py; tests/urlwalk.py; tests/e2e/test_case_flow_browser.py.
    "Wahlqvistsson",
    "070-555 12 34",
    "ingegerd.w@example.se",
    "Ring helst efter lunch, inte till arbetet",
    "Testsson",
    "070-123 45 67",
    "Birgitta",
    "Förstas anteckning",
    "Andras anteckning",
    "Skrivet före felet",
    "Hackad",
    "Slutar som stödperson",
    "Alex slutar",
    "Handover to Sam",
    "Walkie",
    "Walkie Person",
    "walkie@jour.test",
    "Testa",
    "070-000 00 00",
    # home/demo/: the demo seekers, people and accounts (tests/e2e logs in as them).
    "Demo-Anna",
    "Demo-Bo",
    "Demo-Cecilia",
    "Stina Stödmedlem",
    "Handledare Demo",
    "010-000 00 00",
    "Kim Lindqvist",
    "Alex Berg",
    "Maria Holm",
    "Johan Ek",
    "Eva Sund",
    "samordnare@demo.example",
    "stodperson@demo.example",
    "styrelse@demo.example",
    "revisor@demo.example",
    "revisor2@demo.example",
    "stina@demo.example",
    # tests/personas.py (no persona has a phone number) and the other accounts the
    # tests create: tests/compliance/cycle.py, tests/jour (invitations, enrolment,
    # audit, CSRF, security headers), tests/cases/test_deadline_sweep.py,
    # tests/members/test_supervision_followup.py, tests/compliance/test_signing.py.
    "Kim Coordinator",
    "Alex Support",
    "Sam Support",
    "Maria Board",
    "Johan Auditor",
    "kim@jour.test",
    "alex@jour.test",
    "sam@jour.test",
    "maria@jour.test",
    "johan@jour.test",
    "Eva Auditor",
    "eva@jour.test",
    # tests/stats/dataset.py
    "Vera Volunteer",
    "vera.volunteer@jour.test",
    "Ulf Volunteer",
    "ulf.volunteer@jour.test",
    "Lo Coordinator",
    "lo@jour.test",
    "Lena Samordnare",
    "lena@jour.test",
    "Leaving Coordinator",
    "leaving@jour.test",
    "Gone Coordinator",
    "gone@jour.test",
    "Former Coordinator",
    "former@jour.test",
    "Root Admin",
    "root@jour.test",
    "Nora Newcomer",
    "nora@jour.test",
    "new.volunteer@jour.test",
    "New Person",
    "new@jour.test",
    "New Two",
    "new2@jour.test",
    "Eli Enrolling",
    "enrolling@jour.test",
    "Ingrid Hemlig",
    "ingrid.secret@jour.test",
    "Invited Person",
    "invited@jour.test",
    "Alexandra Newname",
    "alexandra@jour.test",
    "Alex Changed",
    # Any address at the suite's made-up domains, whoever it belongs to.
    "@jour.test",
    "@seeker.example",
    "@people.example",
    "@seed.example",
    "@medlem.example",
    "@volontar.example",
    "@home.example",
    # tests/members: the register's people, their phones, addresses and e-mails.
    "Zlatana Örnqvist-Bergsjö",
    "Zlatana",
    "Örnqvist",
    "zlatana.ornqvist@bergsjo.example",
    "zlatana@example.se",
    "070-919 29 39",
    "Bergsjövägen 9",
    "Hjördis Hemligsdotter",
    "hjordis@hemlig.example",
    "070-808 08 08",
    "Zebulon Söksträng",
    "Refused Ragnhild",
    "Changed Name",
    "changed@example.se",
    "Åsa Öberg-Ärlig",
    "asa.oberg@medlem.example",
    "070-101 01 01",
    "Göte Medlemsson",
    "gote@medlem.example",
    "070-202 02 02",
    "Vilma Volontär",
    "vilma@volontar.example",
    "070-303 03 03",
    "Eskil Anställd",
    "eskil@anstalld.example",
    "070-404 04 04",
    "Mia Medlemsson",
    "mia@medlem.example",
    "070-111 11 11",
    "Sune Stödström",
    "sune@stod.example",
    "070-222 22 22",
    "Eva Anställdsdotter",
    "eva@anstalld.example",
    "+46 70 333 33 33",
    "Vera Volontärsson",
    "vera@volontar.example",
    "070-444 44 44",
    "Bo Styrelsesson",
    "bo@styrelse.example",
    "070-555 55 55",
    "Lars Lämnadsson",
    "lars@lamnat.example",
    "070-666 66 66",
    "Frida Framtidsdotter",
    "frida@framtid.example",
    "070-777 77 77",
    "Nils Nyregistrerad",
    "nils@ny.example",
    "Ylva Nyström",
    "Ylva.Nystrom@Example.SE",
    "070-987 65 43",
    "Kvarngatan 3",
    "Stina Stöd",
    "stina@example.se",
    "070-555 66 77",
    "+46 70 111 22 33",
    "Ågatan 2",
    "070-000 00 01",
    "Gunnel Gästrikesson",
    "gunnel@gastrike.example",
    "070-313 13 13",
    "kim.private@home.example",
    "maria.private@home.example",
    "070-121 21 21",
    "+46 70 505 05 05",
    "Olle Former",
    "Vera Left",
    "Fiona Future",
    "Erik Exit",
    "Sven Supporter",
    "Lars Lapsed",
    "Åsa Medlem",
    "Erik Employed",
    "Ella Economist",
    "Erik Medlem",
    "Olle Ordinarie",
    "olle@example.se",
    "Other Person",
    "Fuzz Person",
    "fuzz@example.se",
    "Fia Fuzz",
    "fia@example.se",
    "Seed Person",
    "Vera Volontär",
    "vera@example.test",
    "vera@jour.test",
    "Veronika Volontärsdotter",
    "veronika@jour.test",
    "Viktoria Ansvarig",
    "Nora Namngiven",
    "Fri Person",
    "fri@jour.test",
    "Ulla Uppföljd",
    "ulla@example.test",
    "Greta Glömd",
    "greta@example.test",
    "Vilma Utan",
    "Ville Med",
    "Bara Medlem",
    "Alex Volontär",
    "Sam Volontär",
    "Annan Volontär",
    "Loggad Volontär",
    "Hemlig Volontär",
    "Aldrig Uppföljd",
    "Handledare Hanna",
    "Gränssättning och egen återhämtning.",
]


def _is_phone(value: str) -> bool:
    return bool(re.fullmatch(r"\+?[\d\s\-()]+", value)) and sum(c.isdigit() for c in value) >= 7


def _phone_forms(value: str) -> list[str]:
    """The digits of a number in its national (0…) and international (46…) form."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("46"):
        return [digits, "0" + digits[2:]]
    if digits.startswith("0"):
        return [digits, "46" + digits[1:]]
    return [digits]


def _phone_pattern(forms: list[str]) -> str:
    """The digits, with any spaces, dashes, dots or brackets between them, and no digit either side."""
    separated = [r"[\s\-./()]*".join(form) for form in forms]
    return r"(?<!\d)(?:" + "|".join(separated) + r")(?!\d)"


def _text_pattern(value: str) -> str:
    """The value as a whole word (so that "Testa" does not match "attestation"),
    any run of white space for a space, and a Swedish genitive -s allowed."""
    body = r"\s+".join(re.escape(part) for part in value.split())
    before = r"(?<!\w)" if value[0].isalnum() else ""
    after = r"s?(?!\w)" if value[-1].isalnum() else ""
    return before + body + after


@dataclass
class _Value:
    value: str
    phone: bool
    keys: list[str]  # one of them (at most two) is in the flattened text, or its digits, wherever the value is
    regex: re.Pattern


class Matcher:
    """Finds seeded values in a text: case-insensitively, digits only for phone numbers.

    A plain substring test on the lower-cased text (on its digits, for phone
    numbers) picks the candidates; only those are matched exactly. One big
    regular expression of every value is a hundred times slower."""

    def __init__(self, values=SEEDED_VALUES):
        values = [value.strip() for value in dict.fromkeys(values) if len(value.strip()) >= MIN_LENGTH]
        # Longest first: where an e-mail address is found, the first name inside it is not reported as well.
        self.values = sorted(values, key=len, reverse=True)
        self._entries = []
        for value in self.values:
            if _is_phone(value):
                forms = _phone_forms(value)
                self._entries.append(_Value(value, True, forms, re.compile(_phone_pattern(forms))))
            else:
                key = " ".join(value.split()).lower()
                self._entries.append(_Value(value, False, [key], re.compile(_text_pattern(value), re.IGNORECASE)))

    def find(self, text: str) -> list[tuple[str, int]]:
        """(value, position of its first match) of each seeded value in the text."""
        flat = " ".join(text.split()).lower()
        digits = re.sub(r"\D", "", text)
        found, spans = [], []
        for entry in self._entries:
            if entry.phone:
                if entry.keys[0] not in digits and entry.keys[-1] not in digits:
                    continue
            elif entry.keys[0] not in flat:
                continue
            matches = [m.span() for m in entry.regex.finditer(text)]
            outside = [(a, b) for a, b in matches if not any(c <= a and b <= d for c, d in spans)]
            if outside:
                found.append((entry.value, outside[0][0]))
            spans += matches
        return found


MATCHER = Matcher()


@dataclass
class Finding:
    value: str
    source: str  # which e-mail, notification or log record, and where it was produced
    text: str

    def describe(self, position: int) -> str:
        excerpt = self.text[:EXCERPT].replace("\n", "⏎")
        line = f"- {self.value!r} in {self.source}\n    first {EXCERPT} chars: {excerpt!r}"
        if position >= EXCERPT - len(self.value):
            around = self.text[max(0, position - 60) : position + len(self.value) + 60].replace("\n", "⏎")
            line += f"\n    around the value: {around!r}"
        return line


def scan(texts, matcher: Matcher = MATCHER) -> list[str]:
    """Check (source, text) pairs; a line per seeded value found."""
    report = []
    for source, text in texts:
        if not text:
            continue
        for value, position in matcher.find(text):
            report.append(Finding(value, source, text).describe(position))
    return report


# -- what an e-mail says ----------------------------------------------------

RECIPIENT_HEADERS = {"to", "cc", "bcc"}


def _as_text(content, mimetype: str | None) -> str:
    if isinstance(content, bytes):
        if mimetype and not mimetype.startswith("text/"):
            return ""
        content = content.decode("utf-8", "replace")
    if not isinstance(content, str):
        return ""
    return html.unescape(content) if mimetype == "text/html" else content


def email_texts(message) -> list[tuple[str, str]]:
    """(part, text) of everything an EmailMessage says, except its recipients."""
    parts = [("subject", message.subject), ("body", message.body), ("From", message.from_email)]
    parts += [("Reply-To", address) for address in message.reply_to]
    parts += [
        (name, str(value)) for name, value in message.extra_headers.items() if name.lower() not in RECIPIENT_HEADERS
    ]
    for n, alternative in enumerate(getattr(message, "alternatives", [])):
        content, mimetype = alternative[0], alternative[1]
        parts.append((f"alternative {n} ({mimetype})", _as_text(content, mimetype)))
    for n, attachment in enumerate(message.attachments):
        if isinstance(attachment, tuple):  # (filename, content, mimetype), or EmailAttachment
            filename, content, mimetype = attachment
            parts.append((f"attachment {n} name", filename or ""))
            parts.append((f"attachment {n} ({mimetype})", _as_text(content, mimetype)))
        else:  # a MIMEBase part
            payload = attachment.get_payload(decode=True)
            parts.append((f"attachment {n}", _as_text(payload, attachment.get_content_type())))
    return parts


def email_source(message, n: int, where: str) -> str:
    return f"e-mail #{n} to {', '.join(message.to)} (subject {message.subject[:80]!r}, sent from {where})"


def check_emails(sent, matcher: Matcher = MATCHER) -> list[str]:
    """sent: (number, message, where it was sent from)."""
    report = []
    for n, message, where in sent:
        source = email_source(message, n, where)
        report += scan(((f"{part} of {source}", text) for part, text in email_texts(message)), matcher)
    return report


def filed_emails(directory: Path) -> list[tuple[str, str]]:
    """(part, text) of the e-mails Django's file-based backend wrote under a
    directory: a worker process's (tests/worker.py), out of reach of the locmem
    record. Every header but To/Cc/Bcc, and every text part."""
    texts = []
    for path in sorted(directory.rglob("*.log")):
        chunks = path.read_text(errors="replace").split("\n" + "-" * 79 + "\n")
        for n, chunk in enumerate(chunk for chunk in chunks if chunk.strip()):
            message = email.message_from_string(chunk, policy=email.policy.default)
            source = f"e-mail {path.name} #{n + 1} to {message['To']} (subject {message['Subject']!r}, by a worker)"
            texts += [
                (f"{name} of {source}", str(value))
                for name, value in message.items()
                if name.lower() not in RECIPIENT_HEADERS
            ]
            for part in message.walk():
                if part.get_content_maintype() == "text":
                    texts.append(
                        (
                            f"{part.get_content_type()} part of {source}",
                            _as_text(part.get_content(), part.get_content_type()),
                        )
                    )
    return texts


# -- what a log record says ----------------------------------------------------

_formatter = logging.Formatter()


def record_text(record: logging.LogRecord) -> str:
    """The message with its arguments, then the exception and stack, as a handler would write them."""
    try:
        text = record.getMessage()
    except Exception:  # a broken format string is logged as it stands
        text = f"{record.msg} {record.args}"
    if record.exc_info:
        text += "\n" + _formatter.formatException(record.exc_info)
    elif record.exc_text:
        text += "\n" + record.exc_text
    if record.stack_info:
        text += "\n" + record.stack_info
    return text


def record_source(record: logging.LogRecord) -> str:
    where = f"{_relative(record.pathname)}:{record.lineno} {record.funcName}"
    return f"log record {record.levelname} {record.name} ({where})"


class RecordingHandler(logging.Handler):
    """Keeps (source, text) of every record at INFO and above, formatted as it is emitted."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines: list[tuple[str, str]] = []

    def emit(self, record):
        try:
            self.lines.append((record_source(record), record_text(record)))
        except Exception:
            self.handleError(record)


# -- in-app notifications -------------------------------------------------------


def notification_texts() -> list[tuple[str, str]]:
    """The inbox page as it shows every Notification row there is now.

    Run while the test's transaction is still open: every row was made by this
    test or its fixtures."""
    from django.db import DatabaseError, connection
    from django.template.loader import render_to_string
    from django.utils.html import strip_tags

    from cases.models import Notification

    if connection.needs_rollback:  # the test left its transaction broken; there is nothing to read
        return []
    try:  # one query; no savepoint around it, it would cost two more
        notices = list(Notification.objects.select_related("case").order_by("pk"))
    except DatabaseError:  # the transaction was broken by raw SQL; a failed read leaves it as it was
        return []
    if not notices:
        return []
    page = render_to_string("cases/notifications.html", {"page": notices})
    pks = ", ".join(f"#{notice.pk}" for notice in notices)
    return [(f"in-app notifications {pks} (templates/cases/notifications.html)", html.unescape(strip_tags(page)))]


# -- the guard --------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _relative(filename: str) -> str:
    try:
        return str(Path(filename).resolve().relative_to(ROOT))
    except (ValueError, OSError):
        return filename


_LIBRARIES = (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], "<")


def _sent_from() -> str:
    """The frames that sent an e-mail, innermost first: the project's (or a
    test's), not Django's, the standard library's or the guard's."""
    ours = []
    for frame in traceback.extract_stack()[:-2]:
        if frame.filename.startswith(_LIBRARIES) or "/site-packages/" in frame.filename:
            continue
        name = _relative(frame.filename)
        if name != "tests/leakguard.py":
            ours.append(f"{name}:{frame.lineno} {frame.name}")
    return " <- ".join(reversed(ours[-4:])) or "unknown"


class LeakGuard:
    """Records the e-mails and log lines of one test and reports seeded values in them."""

    def __init__(self, matcher: Matcher = MATCHER):
        self.matcher = matcher
        self.handler = RecordingHandler()
        self.sent: list[tuple[object, str]] = []
        self._seen_emails: set[int] = set()
        self._outbox_copies: list = []  # kept, so that their ids stay theirs
        self._seen_lines = 0
        self._loggers: list[logging.Logger] = []
        self._root_level: int | None = None
        self._send_messages = None

    def start(self) -> None:
        from django.core.mail.backends import locmem

        root = logging.getLogger()
        # Records stop at a logger that does not propagate: listen there too.
        self._loggers = [root] + [
            logger
            for logger in list(logging.Logger.manager.loggerDict.values())
            if isinstance(logger, logging.Logger) and not logger.propagate
        ]
        for logger in self._loggers:
            logger.addHandler(self.handler)
        if root.level > logging.INFO:  # LOG_LEVEL=WARNING would hide what production logs
            self._root_level = root.level
            root.setLevel(logging.INFO)

        original = self._send_messages = locmem.EmailBackend.send_messages
        sent, copies = self.sent, self._outbox_copies

        def send_messages(backend, messages):
            from django.core import mail

            before = len(mail.outbox)
            count = original(backend, messages)
            where = _sent_from()
            sent.extend((message, where) for message in messages)
            copies.extend(mail.outbox[before:])  # what the backend put there, the same messages
            return count

        locmem.EmailBackend.send_messages = send_messages

    def stop(self) -> None:
        from django.core.mail.backends import locmem

        for logger in self._loggers:
            logger.removeHandler(self.handler)
        if self._root_level is not None:
            logging.getLogger().setLevel(self._root_level)
        if self._send_messages is not None:
            locmem.EmailBackend.send_messages = self._send_messages

    def _new_emails(self):
        from django.core import mail

        copies = {id(message) for message in self._outbox_copies}
        recorded = list(self.sent)
        recorded += [
            (message, "unknown: found in mail.outbox")
            for message in getattr(mail, "outbox", [])
            if id(message) not in copies
        ]
        for message, where in recorded:
            if id(message) not in self._seen_emails:
                self._seen_emails.add(id(message))
                yield len(self._seen_emails), message, where

    def check(self, *, notifications: bool = False, mail_dirs=()) -> list[str]:
        """What was produced since the last check; the notifications only on request
        (they need the database, and the test's transaction), and the e-mails
        written to files in mail_dirs."""
        report = check_emails(list(self._new_emails()), self.matcher)
        lines = self.handler.lines[self._seen_lines :]
        self._seen_lines += len(lines)
        report += scan(lines, self.matcher)
        if notifications:
            report += scan(notification_texts(), self.matcher)
        for directory in mail_dirs:
            report += scan(filed_emails(directory), self.matcher)
        return report


def failure_message(report: list[str], when: str) -> str:
    return (
        f"Seeded personal data in the output {when} (issue 6, item 5; values in tests/leakguard.py):\n"
        + "\n".join(report)
        + "\nMark a test that means to produce it with @pytest.mark.allow_personal_data_in_output."
    )
