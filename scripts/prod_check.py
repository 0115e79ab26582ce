"""`make prod-check`: the production profile as docker-compose.yml runs it, natively on
this machine, and what must survive in it.

Started here, each with the stack's own configuration: gunicorn with
deploy/gunicorn.conf.py, a Celery worker and Celery beat with the compose commands, and
Caddy (Debian's package) with deploy/Caddyfile, terminating TLS for "localhost" on a
loopback port with its local CA, all with JOUR_ENV=production, a SECRET_KEY made for the
run, the machine's PostgreSQL (a database of its own) and Redis (broker and cache).

Checked over HTTPS, trusting only Caddy's local root: the site answers; HSTS, secure
cookies and no Server header; plain HTTP is redirected; the first coordinator made with
the documented command can log in and is sent to enrol a second factor; the worker
answers. Then two faults: PostgreSQL restarted (the web answers again within seconds,
gunicorn not restarted) and Redis stopped for 30 seconds (every page keeps answering;
the worker is back when Redis is).

Not yet (issue #20): the browser journey (TOTP enrolment, an invitation, the escalation
of a back-dated case, a year signed by two auditors and its sealed PDF) and the faults of
the worker killed while rendering and of beat restarted.

Exit status 0 when every check passed; each check prints one line.
"""

import http.cookiejar
import os
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "jour_prodcheck"
HTTPS_PORT, HTTP_PORT, WEB_PORT = 18443, 18080, 18000
SITE = f"https://localhost:{HTTPS_PORT}"
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip
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


def psql(sql: str) -> None:
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True)


def start(name: str, command: list[str], env: dict, work: Path) -> subprocess.Popen:
    log = (work / f"{name}.log").open("w")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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


def wait_for(what: str, probe, seconds: float) -> float | None:
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


def the_site(client: Client, env: dict) -> None:
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


def first_coordinator(client: Client, env: dict) -> tuple[str, str]:
    password = secrets.token_urlsafe(16)
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": password},
        "createsuperuser", "--noinput", "--email", "samordnare@prodcheck.example", "--name", "Första Samordnaren",
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    _status, _headers, body = client.get(f"{SITE}/accounts/login/")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf_from(body), "username": "samordnare@prodcheck.example", "password": password}
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
    return "samordnare@prodcheck.example", password


def enrols_in_a_browser(email: str, password: str, work: Path) -> None:
    """The first coordinator in Chromium over HTTPS: logs in, scans the enrolment QR from the
    screenshot, enters the code an authenticator app computes from it, reaches the start page."""
    import base64
    import io

    import zxingcpp
    from django_otp.oath import TOTP
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        # Caddy's local root is trusted for this one origin only.
        context = browser.new_context(ignore_https_errors=True, viewport={"width": 1366, "height": 900}, locale="sv-SE")
        page = context.new_page()
        page.goto(f"{SITE}/accounts/login/")
        page.locator("input[name=username]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/accounts/enrol/**")
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(page.screenshot(path=str(work / "enrol.png")))))
        uri = found[0].text if len(found) == 1 else ""
        check(uri.startswith("otpauth://totp/"), "the enrolment QR decodes from the screenshot")
        secret = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query).get("secret", [""])[0]
        code = f"{TOTP(base64.b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"
        page.locator("#id_code").fill(code)
        page.locator("#id_code").press("Enter")
        page.wait_for_load_state()
        page.goto(f"{SITE}/")
        heading = page.locator("h1").inner_text()
        check(
            page.url == f"{SITE}/" and heading.startswith("Välkommen"),
            f"enrolled, the start page over HTTPS ({heading})",
        )
        browser.close()


def postgres_restarted(client: Client, gunicorn: subprocess.Popen) -> None:
    version = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True, check=True).stdout.split()[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
    took = wait_for("the web after PostgreSQL restarted", lambda: healthy(client), 30)
    check(
        took is not None and took < 15,
        f"after PostgreSQL restarted the web answers again in {took and round(took, 1)} s",
    )
    check(gunicorn.poll() is None, "gunicorn was not restarted")


def redis_stopped(client: Client, env: dict) -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False, capture_output=True)
    try:
        wait_for(
            "Redis to stop", lambda: subprocess.run(["redis-cli", "ping"], capture_output=True).returncode != 0, 10
        )
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
    finally:
        subprocess.run(REDIS_START, check=True)
    took = wait_for("the worker after Redis returned", lambda: worker_answers(env), 60)
    check(took is not None, f"the worker answers again after Redis returned ({took and round(took, 1)} s)")


def main() -> int:
    if shutil.which("caddy") is None:
        sys.exit("prod-check needs Debian's caddy package (make prod-check installs it)")
    work = Path(tempfile.mkdtemp(prefix="jour-prodcheck-"))
    env = environment(work)
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    processes = []
    try:
        # What the one-shot migrate service does, and the image's collectstatic.
        manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage(env, "create_seal_key", "--if-missing", stdout=subprocess.DEVNULL)
        manage(env, "collectstatic", "--noinput", stdout=subprocess.DEVNULL)
        gunicorn = start(
            "web", [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "jour.wsgi:application"], env, work
        )
        processes.append(gunicorn)
        processes.append(start("worker", [str(BIN / "celery"), "-A", "jour", "worker", "-l", "INFO"], env, work))
        processes.append(
            start(
                "beat",
                [
                    str(BIN / "celery"),
                    "-A",
                    "jour",
                    "beat",
                    "-l",
                    "INFO",
                    "--schedule",
                    str(work / "celerybeat-schedule"),
                ],
                env,
                work,
            )
        )
        processes.append(
            start("proxy", ["caddy", "run", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"], env, work)
        )
        root = work / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        check(wait_for("Caddy's local CA", root.exists, 30) is not None, "Caddy made its local CA")
        client = Client(root)
        check(wait_for("the site over HTTPS", lambda: healthy(client), 60) is not None, "the site answers over HTTPS")
        check(wait_for("the worker", lambda: worker_answers(env), 60) is not None, "the worker answers")
        the_site(client, env)
        enrols_in_a_browser(*first_coordinator(client, env), work)
        if "--no-faults" not in sys.argv:  # they restart the machine's PostgreSQL and Redis
            postgres_restarted(client, gunicorn)
            redis_stopped(client, env)
    finally:
        for process in reversed(processes):
            stop(process)
        if FAILED:
            for name in ("web", "worker", "beat", "proxy"):
                log = work / f"{name}.log"
                if log.exists():
                    print(f"--- {name}.log (last lines)")
                    print("\n".join(log.read_text(errors="replace").splitlines()[-15:]))
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)
    print(f"prod-check: {'all checks passed' if not FAILED else f'{len(FAILED)} failed'}")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
