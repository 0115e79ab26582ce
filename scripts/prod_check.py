"""`make prod-check`: the production profile as docker-compose.yml runs it, natively on
this machine, and what must survive in it.

Started here, each with the stack's own configuration: gunicorn with
deploy/gunicorn.conf.py, a Celery worker and Celery beat with the compose commands, and
Caddy (Debian's package) with deploy/Caddyfile, terminating TLS for "localhost" on a
loopback port with its local CA, all with JOUR_ENV=production, a SECRET_KEY made for the
run, the machine's PostgreSQL (a database of its own), Redis (broker and cache), and
e-mail written to files. Each process sees only the folders its service mounts in the
compose file: the seal key only the worker, the media web and worker, beat none. Beat's
catch-up sweeps run every few seconds (JOUR_SWEEP_SECONDS) instead of every five minutes,
so that their work is seen within the run.

Checked over HTTPS, trusting only Caddy's local root: the site answers; HSTS, secure
cookies and no Server header; plain HTTP is redirected. Then, in Chromium:

1. the first coordinator, made with the documented createsuperuser command, logs in and
   enrols TOTP by decoding the QR code from a screenshot;
2. the coordinator gives a volunteer login access on her page in the register; the
   invitation e-mail arrives, and the volunteer sets a password, enrols, logs out and logs
   in again with password and code;
3. the coordinator registers a case received ten days ago; the real beat and worker
   escalate it: an alert, a notice in the coordinator's list and one e-mail;
4. fault: beat restarted, several sweeps later still one alert, one notice, one e-mail;
5. fault: Redis stopped for 30 s: every page keeps answering, the coordinator invites an
   auditor meanwhile, and that invitation is sent once Redis is back;
6. two auditors accept their invitations and sign the year (the board's assessment and
   the auditors' verdicts are filled in by a script: their forms have browser tests of
   their own); fault: the worker is killed with SIGKILL with the assurance's PDF stored
   but not recorded, restarted, and makes exactly one PDF, which the auditor downloads
   and the site's verify page accepts;
7. fault: PostgreSQL restarted: the web answers again within seconds, gunicorn not restarted;
8. the stack stopped, a backup encrypted to a key made for the run is restored onto a
   PostgreSQL cluster made with initdb for it: every table's rows, the uploads and the seal
   are identical, and the restored assurance verifies.

The people in the register (step 2 and 6) are made by a script too: those forms are
tested elsewhere, and what is proven here is the invitation's way through the worker.

`--no-faults` leaves the machine's PostgreSQL and Redis alone (steps 5 and 7 are then an
ordinary invitation and nothing). Exit status 0 when every check passed; each check
prints one line.
"""

import base64
import email
import email.policy
import hashlib
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pyrage
import zxingcpp
from django_otp.oath import TOTP
from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "jour_prodcheck"
HTTPS_PORT, HTTP_PORT, WEB_PORT = 18443, 18080, 18000
SITE = f"https://localhost:{HTTPS_PORT}"
SWEEP_SECONDS = 3
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip
# The compose file's commands, word for word (checked against it at the start); here the
# programs come from the virtualenv and beat's schedule lives in the run's folder.
COMMANDS = {
    "web": ["gunicorn", "--config", "deploy/gunicorn.conf.py", "jour.wsgi:application"],
    "worker": ["celery", "-A", "jour", "worker", "-l", "INFO"],
    "beat": ["celery", "-A", "jour", "beat", "-l", "INFO", "--schedule", "/app/var/beat/celerybeat-schedule"],
    "proxy": ["caddy", "run", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"],
}
# The compose file's volumes, by the setting that points into each: a process sees only what
# its service mounts (only the worker holds the seal key; beat holds nothing of the jour's).
MOUNTS = {
    "web": {"MEDIA_ROOT", "JOUR_SEAL_CERT_FILE"},
    "worker": {"MEDIA_ROOT", "JOUR_SEAL_KEY_FILE", "JOUR_SEAL_CERT_FILE", "JOUR_BACKUP_DIR"},
    "beat": set(),
    "proxy": set(),
}
VOLUMES = {"MEDIA_ROOT", "JOUR_SEAL_KEY_FILE", "JOUR_SEAL_CERT_FILE", "JOUR_BACKUP_DIR"}
STOCKHOLM = ZoneInfo("Europe/Stockholm")
COORDINATOR = "samordnare@prodcheck.example"
VOLUNTEER = ("Vera Volontär", "vera@prodcheck.example")
AUDITORS = [("Rut Revisor", "rut@prodcheck.example"), ("Ove Revisor", "ove@prodcheck.example")]
# The register as a coordinator would have filled it in: a trained volunteer with a
# signed pledge, and two auditors elected by the annual meeting.
REGISTER = f"""
from datetime import date
from members.models import ConfidentialityPledge, Person, VolunteerAssignment
vera = Person.objects.create(name={VOLUNTEER[0]!r}, email={VOLUNTEER[1]!r})
VolunteerAssignment.objects.create(person=vera, start=date(2025, 1, 1), basic_training_on=date(2025, 2, 1))
ConfidentialityPledge.objects.create(person=vera, signed_on=date(2025, 1, 1))
for name, address in {AUDITORS!r}:
    Person.objects.create(name=name, email=address)
"""
# The year's 38 assessments by the board and the first auditor's verdicts.
READY_YEAR = f"""
from django.utils import timezone
from jour.models import User
from tests.compliance.cycle import ready_year
ready_year(timezone.localdate().year, User.objects.get(email={COORDINATOR!r}))
"""
FAILED: list[str] = []


def check(ok: bool, what: str) -> bool:
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        FAILED.append(what)
    return ok


def environment(work: Path) -> dict:
    return {
        **os.environ,
        "JOUR_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost",
        "JOUR_BASE_URL": SITE,
        "CSRF_TRUSTED_ORIGINS": SITE,
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/4",
        "CACHE_URL": "redis://127.0.0.1:6379/5",
        "JOUR_TRUSTED_PROXY_COUNT": "1",
        "JOUR_SWEEP_SECONDS": str(SWEEP_SECONDS),
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "JOUR_SEAL_KEY_FILE": str(work / "seal-key" / "seal-key.pem"),
        "JOUR_SEAL_CERT_FILE": str(work / "seal-cert" / "seal-cert.pem"),
        "JOUR_BACKUP_DIR": str(work / "backups"),
        "JOUR_GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(work / "mail"),
        # Caddy's storage (its local CA among it), and the proxy's addresses.
        "XDG_DATA_HOME": str(work / "caddy-data"),
        "XDG_CONFIG_HOME": str(work / "caddy-config"),
        "JOUR_DOMAIN": f"localhost:{HTTPS_PORT}",
        "JOUR_HTTP_PORT": str(HTTP_PORT),
        "JOUR_HTTPS_PORT": str(HTTPS_PORT),
        "JOUR_UPSTREAM": f"127.0.0.1:{WEB_PORT}",
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }


def manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def psql(sql: str, database: str = "postgres", port: int = 5432) -> str:
    done = subprocess.run(
        ["psql", "-qtA", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database, "-c", sql],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip()


def count(sql: str) -> int:
    """A count in the check's database; the queries are this script's own, with ids it read itself."""
    return int(psql(sql, DATABASE))


class Stack:
    """The stack's long-running processes, each in a session of its own (so that a signal
    reaches a process and its children) and logging to one file across restarts."""

    def __init__(self, env: dict, work: Path):
        self.env, self.work, self.processes = env, work, {}

    def start(self, name: str) -> subprocess.Popen:
        program, *arguments = COMMANDS[name]
        if (BIN / program).exists():
            program = str(BIN / program)
        command = [program, *(part.replace("/app/var/beat", str(self.work)) for part in arguments)]
        log = self.log(name).open("a")
        unmounted = {
            setting: str(self.work / "not-mounted" / Path(self.env[setting]).name) for setting in VOLUMES - MOUNTS[name]
        }
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **unmounted},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self.processes[name]

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def log(self, name: str) -> Path:
        return self.work / f"{name}.log"

    def log_text(self, name: str) -> str:
        return self.log(name).read_text(errors="replace") if self.log(name).exists() else ""

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)


class Client:
    """HTTPS that trusts Caddy's local root only; cookies kept; redirects not followed."""

    def __init__(self, root_cert: Path):
        self.context = ssl.create_default_context(cafile=str(root_cert))
        self.cookies = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self.context),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirect,
        )

    def get(self, url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 10):
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - our own https/http URLs
        try:
            response = self.opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        body = response.read()
        return response.status, response.headers, body

    def cookie(self, name: str):
        return next((c for c in self.cookies if c.name == name), None)


def wait_for(what: str, probe, seconds: float):
    """Seconds until probe() is true, or None after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if probe():
                return time.monotonic() - started
        except (OSError, urllib.error.URLError, ssl.SSLError):
            pass
        time.sleep(0.5)
    print(f"      (waited {seconds} s for {what})")
    return None


def healthy(client: Client) -> bool:
    return client.get(f"{SITE}/healthz", timeout=5)[0] == 200


def csrf_from(body: bytes) -> str:
    marker = b'name="csrfmiddlewaretoken" value="'
    start = body.index(marker) + len(marker)
    return body[start : body.index(b'"', start)].decode()


def worker_answers(env: dict) -> bool:
    done = subprocess.run(
        [str(BIN / "celery"), "-A", "jour", "inspect", "ping", "--timeout", "5"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.returncode == 0 and "pong" in done.stdout


def mails(work: Path) -> list[email.message.Message]:
    """What the file e-mail backend wrote: one file per connection, messages separated by a rule."""
    found = []
    for path in sorted((work / "mail").glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk.strip(), policy=email.policy.default))
    return found


def text(message: email.message.EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    return body.get_content() if body is not None else ""


def mails_to(work: Path, address: str) -> list[email.message.Message]:
    return [message for message in mails(work) if message["To"] == address]


class Authenticator:
    """The app on a person's phone: the key scanned from the enrolment QR, and the last
    time step a code was given for (a code is accepted once, and signing needs a fresh one)."""

    def __init__(self, uri: str):
        secret = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query).get("secret", [""])[0]
        self.totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
        self.last_step = 0

    def code(self) -> str:
        step = max(int(time.time()) // 30, self.last_step + 1)  # the server accepts the next step too
        while step > int(time.time()) // 30 + 1:
            time.sleep(1)
        self.totp.time, self.last_step = step * 30 + 1, step
        return f"{self.totp.token():06d}"


def scan_and_enrol(page, work: Path, name: str) -> Authenticator | None:
    """On the enrolment page: decode the QR from a screenshot, enter the app's code."""
    page.wait_for_url("**/accounts/enrol/**")
    shot = Image.open(io.BytesIO(page.screenshot(path=str(work / f"enrol-{name}.png"))))
    # QR codes only, as the app reads: some keys' patterns hold a row zxing also reads as an ITF barcode.
    found = zxingcpp.read_barcodes(shot, formats=zxingcpp.BarcodeFormat.QRCode)
    uri = found[0].text if len(found) == 1 else ""
    if not check(uri.startswith("otpauth://totp/"), f"{name}: the enrolment QR decodes from the screenshot"):
        return None
    app = Authenticator(uri)
    page.locator("#id_code").fill(app.code())
    page.locator("#id_code").press("Enter")
    page.wait_for_load_state()
    page.goto(f"{SITE}/")
    heading = page.locator("h1").inner_text()
    check(page.url == f"{SITE}/" and heading.startswith("Välkommen"), f"{name}: enrolled, the start page ({heading})")
    return app


def same_as_the_image() -> None:
    """What runs here is what the image and the compose file run."""
    compose = (ROOT / "docker-compose.yml").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    for name in ("web", "worker", "beat"):
        check(f"command: {json.dumps(COMMANDS[name])}" in compose, f"{name}: the compose file's command")
    check(f"CMD {json.dumps(COMMANDS['web'])}" in dockerfile, "web: the Dockerfile's CMD")
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    check(f"FROM python:{python}-" in dockerfile, f"Python {python}, as in the Dockerfile")
    check("deploy/Caddyfile:/etc/caddy/Caddyfile" in compose, "proxy: the compose file's Caddyfile")


def the_site(client: Client) -> None:
    status, headers, _body = client.get(f"{SITE}/accounts/login/")
    check(status == 200, f"the login page answers over HTTPS ({status})")
    check("max-age=31536000" in (headers.get("Strict-Transport-Security") or ""), "HSTS is sent")
    check(headers.get("Server") is None, "no Server header")
    check(bool(headers.get("Content-Security-Policy")), "a Content-Security-Policy is sent")
    csrf = client.cookie("__Host-csrftoken")
    check(csrf is not None and csrf.secure, "the CSRF cookie is Secure (__Host-)")
    status, headers, _body = client.get(f"http://localhost:{HTTP_PORT}/accounts/login/")
    redirected = headers.get("Location", "")
    check(300 <= status < 400 and redirected.startswith("https://"), f"plain HTTP is sent to HTTPS ({redirected})")


def first_coordinator(client: Client, env: dict) -> str:
    """Made with the documented command; its login over plain HTTPS sets secure cookies."""
    password = secrets.token_urlsafe(16)
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": password},
        "createsuperuser", "--noinput", "--email", COORDINATOR, "--name", "Första Samordnaren",
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    _status, _headers, body = client.get(f"{SITE}/accounts/login/")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf_from(body), "username": COORDINATOR, "password": password}
    ).encode()
    status, headers, _body = client.get(
        f"{SITE}/accounts/login/", data=form, headers={"Referer": f"{SITE}/accounts/login/"}
    )
    location = headers.get("Location", "")
    check(
        status == 302 and location.startswith("/accounts/enrol/"),
        f"the first coordinator logs in and is sent to enrol a second factor ({location})",
    )
    session = client.cookie("__Host-sessionid")
    check(session is not None and session.secure, "the session cookie is Secure (__Host-)")
    return password


def coordinator_enrols(browser, password: str, work: Path):
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1366, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{SITE}/accounts/login/")
    page.locator("input[name=username]").fill(COORDINATOR)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    scan_and_enrol(page, work, "the first coordinator")
    return page


def invite(coordinator, name: str, role: str) -> bool:
    """Give login access on the person's page in the register, as the coordinator does;
    whether the page says the invitation is on its way."""
    coordinator.goto(f"{SITE}/people/")
    coordinator.get_by_role("link", name=name).first.click()
    coordinator.locator("#id_access-role").select_option(role)
    coordinator.get_by_role("button", name="Ge inloggning").click()
    coordinator.wait_for_load_state()
    return coordinator.get_by_text("Inbjudan skickas").count() > 0


def invitation_arrives(work: Path, address: str, seconds: float = 30) -> str | None:
    """The link in the invitation e-mail, once it is there."""
    took = wait_for(f"the invitation to {address}", lambda: mails_to(work, address), seconds)
    if took is None:
        return None
    links = re.findall(rf"{re.escape(SITE)}/accounts/invitation/\S+", text(mails_to(work, address)[0]))
    return links[0] if len(links) == 1 else None


def accepts(browser, link: str, work: Path, name: str, phone: bool = False):
    """The invited person opens the link, chooses a password and enrols; their page and app."""
    size = {"viewport": {"width": 390, "height": 844}, "is_mobile": True} if phone else {}
    page = browser.new_context(ignore_https_errors=True, locale="sv-SE", **size).new_page()
    page.goto(link)
    password = secrets.token_urlsafe(18)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.locator("#id_password2").press("Enter")
    return page, password, scan_and_enrol(page, work, name)


def logs_in_again(page, address: str, password: str, app: Authenticator, name: str) -> None:
    """Logged out, then in with the password and the app's next code, as on any later day."""
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/**")
    page.locator("#id_username").fill(address)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/accounts/verify/**")
    page.locator("#id_code").fill(app.code())
    page.locator("#id_code").press("Enter")
    page.wait_for_load_state()
    check(page.url == f"{SITE}/", f"{name}: logs out and in again with password and code ({page.url})")


def a_volunteer_joins(browser, coordinator, work: Path) -> None:
    name, address = VOLUNTEER
    check(invite(coordinator, name, "support_person"), "the coordinator gives the volunteer login access")
    link = invitation_arrives(work, address)
    if check(link is not None, "the volunteer's invitation e-mail arrives from the worker, with one link"):
        page, password, app = accepts(browser, link, work, "the volunteer", phone=True)
        if app is not None:
            logs_in_again(page, address, password, app, "the volunteer")


def escalations(case_id: int, work: Path, number: str) -> tuple[int, int, int]:
    """(alerts, notices, e-mails) of a case's deadline."""
    return (
        count(f"SELECT count(*) FROM cases_deadlinealert WHERE case_id = {case_id:d}"),  # noqa: S608
        count(f"SELECT count(*) FROM cases_notification WHERE case_id = {case_id:d}"),  # noqa: S608
        # A person's notices of one sweep come in one e-mail, which names the case in its text.
        sum(number in text(message) for message in mails(work)),
    )


def a_late_case_escalates(coordinator, stack: Stack, work: Path) -> tuple[int, str]:
    received = datetime.now(STOCKHOLM) - timedelta(days=10)
    coordinator.goto(f"{SITE}/cases/new/")
    coordinator.locator("#id_received_at").fill(received.strftime("%Y-%m-%dT%H:%M"))
    coordinator.locator("#id_channel").select_option("phone")
    coordinator.locator("#id_crime_type").select_option("unlawful_threats")
    coordinator.locator("#id_first_name").fill("Sen")
    coordinator.locator("#id_phone").fill("070-000 00 00")
    coordinator.get_by_role("button", name="Registrera ärende").click()
    coordinator.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case_id = int(coordinator.url.rstrip("/").rsplit("/", 1)[1])
    number = psql(f"SELECT number FROM cases_case WHERE id = {case_id:d}", DATABASE)  # noqa: S608
    check(bool(number), f"a case received ten days ago is registered in the browser ({number})")
    took = wait_for("the escalation", lambda: escalations(case_id, work, number) == (1, 1, 1), 30)
    check(
        took is not None,
        f"beat and worker escalate it: one alert, one notice, one e-mail ({took and round(took, 1)} s)",
    )
    check(
        re.search(r"sweep_deadlines\[[^]]+\] succeeded[^\n]*'escalations': 1", stack.log_text("worker")) is not None,
        "the escalation was made by the worker's deadline sweep",
    )
    coordinator.goto(f"{SITE}/cases/notifications/")
    check(coordinator.get_by_text(number).count() > 0, "the escalation is in the coordinator's notifications")
    return case_id, number


def sweeps_done(stack: Stack) -> int:
    return len(re.findall(r"sweep_deadlines\[[^]]+\] succeeded", stack.log_text("worker")))


def beat_restarted(stack: Stack, case_id: int, number: str, work: Path) -> None:
    before = escalations(case_id, work, number)
    stack.stop("beat")
    stack.start("beat")
    swept = sweeps_done(stack)
    took = wait_for("three sweeps from the restarted beat", lambda: sweeps_done(stack) >= swept + 3, 60)
    after = escalations(case_id, work, number)
    check(
        took is not None and after == before,
        f"beat restarted, three sweeps later: alerts, notices, e-mails still {after} (before {before})",
    )


def redis_stopped(client: Client, env: dict, meanwhile, at_the_end) -> None:
    """Redis down for 30 s: pages keep answering; `meanwhile` (a browser action that queues
    work) is done while it is down, and `at_the_end` is checked before it comes back."""
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False, capture_output=True)
    try:
        wait_for(
            "Redis to stop", lambda: subprocess.run(["redis-cli", "ping"], capture_output=True).returncode != 0, 10
        )
        meanwhile()
        answers, slowest, started = [], 0.0, time.monotonic()
        while time.monotonic() - started < 30:
            for path in ("/healthz", "/accounts/login/"):
                before = time.monotonic()
                answers.append(client.get(f"{SITE}{path}", timeout=10)[0])
                slowest = max(slowest, time.monotonic() - before)
            time.sleep(1)
        check(
            set(answers) == {200},
            f"with Redis down for 30 s every page answered ({len(answers)} requests, slowest {slowest:.2f} s)",
        )
        at_the_end()
    finally:
        subprocess.run(REDIS_START, check=True)
    took = wait_for("the worker after Redis returned", lambda: worker_answers(env), 60)
    check(took is not None, f"the worker answers again after Redis returned ({took and round(took, 1)} s)")


def assurances_recorded() -> int:
    return count("SELECT count(*) FROM compliance_assurance")


def assurance_files(media: Path) -> list[Path]:
    return sorted((media / "assurances").glob("*.pdf"))


def sign(page, app: Authenticator, year: int) -> None:
    page.goto(f"{SITE}/compliance/years/{year}/")
    page.locator("#id_code").fill(app.code())
    page.locator("#id_confirm").check()
    page.locator("form[action$='/sign/'] button[type=submit]").click()
    page.wait_for_load_state()


def waiting_for_a_lock() -> bool:
    """A session of the check's database waits for a lock (the worker, held by hold_the_record)."""
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    return count(waiting) > 0


def hold_the_record() -> psycopg.Connection:
    """Hold back every new assurance record: SHARE mode lets the site and the worker read the
    table but not write it, so the worker renders, stores the PDF and then waits, in the
    transaction that records it, for as long as this connection's transaction lasts. The
    kill then lands mid-run whatever the machine's speed (with a fixed pause it came after
    the PDF was recorded once rendering took under 0.3 s)."""
    holder = psycopg.connect(host="127.0.0.1", port=5432, user="postgres", dbname=DATABASE)
    holder.execute("LOCK TABLE compliance_assurance IN SHARE MODE")
    return holder


def signed_and_sealed_despite_a_killed_worker(stack: Stack, auditors: list, env: dict, work: Path) -> None:
    """Two auditors sign; the worker is killed (SIGKILL) between storing the PDF and recording it, and restarted."""
    manage(env, "shell", "-c", READY_YEAR)
    year = datetime.now(STOCKHOLM).year
    (first, first_app), (second, second_app) = auditors
    sign(first, first_app, year)
    check(first.get_by_text("Din underskrift är registrerad").count() > 0, "the first auditor signs in the browser")
    holder = hold_the_record()
    try:
        sign(second, second_app, year)
        check(
            second.get_by_text("Din underskrift är registrerad").count() > 0, "the second auditor signs in the browser"
        )
        took = wait_for("the worker to render and wait to record", waiting_for_a_lock, 60)
        check(took is not None, f"the worker rendered the PDF and waits to record it ({took and round(took, 1)} s)")
        stack.stop("worker", signal.SIGKILL)
    finally:
        holder.rollback()
        holder.close()
    # One file per render that reached the lock: the beat's catch-up (render_pending_assurances,
    # every SWEEP_SECONDS) may have rendered the same version beside the queued task.
    made, stored = assurances_recorded(), assurance_files(work / "media")
    check(
        made == 0 and len(stored) >= 1,
        f"the worker was killed (SIGKILL) with its PDF stored, not recorded: {len(stored)} file(s), {made} recorded",
    )
    stack.start("worker")
    took = wait_for("the PDF after the worker's restart", lambda: assurances_recorded() > 0, 90)
    check(took is not None, f"after its restart the worker made the PDF ({took and round(took, 1)} s)")
    time.sleep(2 * SWEEP_SECONDS)  # a sweep more, which must not make another
    files = assurance_files(work / "media")
    records = assurances_recorded()
    check(records == 1 and len(files) == 1, f"exactly one PDF: {records} recorded, {len(files)} file(s)")
    link = second.get_by_role("link", name="Ladda ner PDF-filen")
    link.wait_for(timeout=15_000)  # the status follows by htmx, no reload
    with second.expect_download() as download:
        link.click()
    second.goto(f"{SITE}/compliance/verify/")
    second.locator("#id_file").set_input_files(download.value.path())
    second.locator("main form button[type=submit]").click()
    second.wait_for_load_state()
    check(second.locator("#result-title .tag.ok").count() == 1, "the downloaded PDF verifies on the site's verify page")


def postgres_version() -> str:
    """The machine's PostgreSQL (Debian keeps one folder per installed version)."""
    return sorted(path.name for path in Path("/etc/postgresql").iterdir())[0]


def postgres_restarted(client: Client, gunicorn: subprocess.Popen) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", postgres_version(), "main", "restart"], check=True)
    took = wait_for("the web after PostgreSQL restarted", lambda: healthy(client), 30)
    check(
        took is not None and took < 15,
        f"after PostgreSQL restarted the web answers again in {took and round(took, 1)} s",
    )
    check(gunicorn.poll() is None, "gunicorn was not restarted")


def table_checksums(database: str, port: int) -> dict[str, str]:
    """Each table's row count and the MD5 of its rows in a fixed order (byte order, so that
    two clusters' collations cannot differ)."""
    tables = psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", database, port).split()
    in_order = "string_agg(t::text, E'\\n' ORDER BY t::text COLLATE \"C\")"
    rows = " UNION ALL ".join(
        f"SELECT '{table}', count(*) || ' ' || md5(coalesce({in_order}, '')) FROM {table} t"  # noqa: S608 - the catalogue's names
        for table in tables
    )
    return dict(line.split("|", 1) for line in psql(rows, database, port).splitlines())


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class FreshPostgres:
    """A PostgreSQL cluster made for the restore with the machine's own server binaries
    (initdb), on a loopback port, as a lost disk's replacement would be."""

    PORT = 15432

    def __enter__(self):
        self.bin = Path("/usr/lib/postgresql") / postgres_version() / "bin"
        self.folder = Path(tempfile.mkdtemp(prefix="jour-prodcheck-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.as_postgres(
            self.bin / "initdb", "-D", self.folder, "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8"
        )
        options = f"-p {self.PORT} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.as_postgres(
            self.bin / "pg_ctl", "-D", self.folder, "-o", options, "-l", self.folder / "log", "-w", "start"
        )
        return self

    def as_postgres(self, *command) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, command)], check=True, stdout=subprocess.DEVNULL)

    def __exit__(self, *exc):
        self.as_postgres(self.bin / "pg_ctl", "-D", self.folder, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def restored_on_a_fresh_postgresql(stack: Stack, env: dict, work: Path) -> None:
    """The stack stopped, a backup as the README's upgrade step makes it, restored with the
    jour's offline key onto a freshly made PostgreSQL and empty folders: every table's rows,
    every upload and the seal the same, and the restored assurance verifies there."""
    stack.stop_all()
    identity = pyrage.x25519.Identity.generate()
    key = work / "jour-backup.key"
    key.write_text(f"{identity}\n")
    tables = table_checksums(DATABASE, 5432)
    manage(
        env,
        "backup",
        "--out",
        str(work / "offsite"),
        "--recipient",
        str(identity.to_public()),
        stdout=subprocess.DEVNULL,
    )
    made = sorted((work / "offsite").glob("jour-backup-*.tar.age"))
    if not check(len(made) == 1, "the backup command wrote one encrypted file"):
        return
    restored = work / "restored"
    with FreshPostgres() as fresh:
        psql("CREATE DATABASE jour_restored", port=fresh.PORT)
        elsewhere = {
            **env,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{fresh.PORT}/jour_restored",
            "MEDIA_ROOT": str(restored / "media"),
            "JOUR_SEAL_KEY_FILE": str(restored / "seal-key" / "seal-key.pem"),
            "JOUR_SEAL_CERT_FILE": str(restored / "seal-cert" / "seal-cert.pem"),
        }
        manage(elsewhere, "restore", str(made[0]), "--identity", str(key), stdout=subprocess.DEVNULL)
        again = table_checksums("jour_restored", fresh.PORT)
        differing = sorted(name for name in tables.keys() | again.keys() if tables.get(name) != again.get(name))
        check(
            not differing and len(tables) > 50,
            f"restored on a fresh PostgreSQL: {len(again)} tables, the same rows ({differing or 'none differ'})",
        )
        uploads = file_hashes(work / "media")
        check(uploads == file_hashes(restored / "media"), f"the uploads are identical ({len(uploads)} file(s))")
        seal = [
            Path(env[name]).read_bytes() == Path(elsewhere[name]).read_bytes()
            for name in ("JOUR_SEAL_KEY_FILE", "JOUR_SEAL_CERT_FILE")
        ]
        check(all(seal), "the seal's key and certificate are identical")
        pdfs = assurance_files(restored / "media")
        verified = (
            pdfs
            and subprocess.run(
                [PY, "manage.py", "assurance_verify", str(pdfs[0])],
                cwd=ROOT,
                env=elsewhere,
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )
        check(bool(verified), "the restored assurance PDF verifies against the restored record and seal")


def journey(stack: Stack, client: Client, env: dict, work: Path, faults: bool) -> None:
    password = first_coordinator(client, env)
    manage(env, "shell", "-c", REGISTER)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        coordinator = coordinator_enrols(browser, password, work)
        a_volunteer_joins(browser, coordinator, work)
        case_id, number = a_late_case_escalates(coordinator, stack, work)
        beat_restarted(stack, case_id, number, work)

        check(invite(coordinator, AUDITORS[0][0], "auditor"), "the coordinator invites an auditor")
        if faults:

            def while_redis_is_down():
                check(invite(coordinator, AUDITORS[1][0], "auditor"), "the coordinator invites an auditor meanwhile")
                # The pages a coordinator opens, the statistics among them (counts kept in Redis).
                paths = ("/", "/cases/", f"/cases/{case_id}/", "/cases/notifications/", "/statistics/", "/people/")
                statuses = {path: coordinator.goto(f"{SITE}{path}").status for path in paths}
                check(set(statuses.values()) == {200}, f"her pages answer meanwhile ({statuses})")

            def still_unsent():
                check(not mails_to(work, AUDITORS[1][1]), "at the end of the outage that invitation is not sent yet")

            redis_stopped(client, env, meanwhile=while_redis_is_down, at_the_end=still_unsent)
        else:
            check(invite(coordinator, AUDITORS[1][0], "auditor"), "the coordinator invites a second auditor")
        auditors = []
        for number_of, (_name, address) in enumerate(AUDITORS, start=1):
            link = invitation_arrives(work, address, 60)
            queued = " (queued while Redis was down)" if faults and number_of == 2 else ""
            if check(link is not None, f"auditor {number_of}'s invitation e-mail arrives{queued}"):
                page, _password, app = accepts(browser, link, work, f"auditor {number_of}")
                auditors.append((page, app))
        if len(auditors) == 2 and all(app for _page, app in auditors):
            signed_and_sealed_despite_a_killed_worker(stack, auditors, env, work)
        browser.close()
    if faults:
        postgres_restarted(client, stack.processes["web"])
    restored_on_a_fresh_postgresql(stack, env, work)


def main() -> int:
    if shutil.which("caddy") is None:
        sys.exit("prod-check needs Debian's caddy package (make prod-check installs it)")
    work = Path(tempfile.mkdtemp(prefix="jour-prodcheck-"))
    env = environment(work)
    stack = Stack(env, work)
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    started = time.monotonic()
    try:
        same_as_the_image()
        # What the one-shot migrate service does, and the image's collectstatic.
        manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage(env, "create_seal_key", "--if-missing", stdout=subprocess.DEVNULL)
        manage(env, "collectstatic", "--noinput", stdout=subprocess.DEVNULL)
        for name in COMMANDS:
            stack.start(name)
        root = work / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        check(wait_for("Caddy's local CA", root.exists, 30) is not None, "Caddy made its local CA")
        client = Client(root)
        check(wait_for("the site over HTTPS", lambda: healthy(client), 60) is not None, "the site answers over HTTPS")
        check(wait_for("the worker", lambda: worker_answers(env), 60) is not None, "the worker answers")
        the_site(client)
        journey(stack, client, env, work, faults="--no-faults" not in sys.argv)
    except Exception as error:  # a step that could not go on: reported with the logs, not a bare traceback
        check(False, f"the run stopped: {type(error).__name__}: {error}")
    finally:
        stack.stop_all()
        if FAILED:
            for name in COMMANDS:
                print(f"--- {name}.log (last lines)")
                print("\n".join(stack.log_text(name).splitlines()[-15:]))
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)
    took = time.monotonic() - started
    print(f"prod-check: {'all checks passed' if not FAILED else f'{len(FAILED)} failed'} in {took:.0f} s")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
