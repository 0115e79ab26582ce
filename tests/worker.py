"""Run a real Celery worker process against Redis and the test database."""

import os
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def in_thread(work, errors: list, results: list | None = None) -> threading.Thread:
    """Start `work` on a thread with its own database connection; what it
    returns goes to `results`, what it raises to `errors` for the test to report."""

    def run():
        try:
            value = work()
            if results is not None:
                results.append(value)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def redis_url_or_skip() -> str:
    url = os.environ.get("JOUR_TEST_REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true" or os.environ.get("JOUR_REQUIRE_SERVICES") == "1":
            pytest.fail("Redis is required in CI (JOUR_TEST_REDIS_URL is empty)")
        pytest.skip("Redis is not reachable; run `make test` with Redis up")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs the shared PostgreSQL test database")
    return url


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@contextmanager
def worker_process(redis_url: str, mail_dir: Path, *, beat: bool = False):
    """A worker on its own queue, sharing the test database; stopped on exit."""
    queue = f"jour-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "JOUR_ENV": "test",
        "DATABASE_URL": _database_url(),
        "JOUR_TEST_BROKER_URL": redis_url,
        "JOUR_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "JOUR_TEST_EMAIL_DIR": str(mail_dir),
        "DB_CONN_MAX_AGE": "0",
    }
    command = [sys.executable, "-m", "celery", "-A", "jour", "worker", "--pool", "solo", "-Q", queue]
    command += ["--loglevel", "INFO", "--without-gossip", "--without-mingle", "--hostname", f"{queue}@%h"]
    if beat:
        command.append("--beat")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield queue, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def producer_on(redis_url: str):
    """A Celery client of its own that sends real messages to Redis (the
    project's app runs tasks eagerly in tests)."""
    from celery import Celery

    app = Celery("jour-test-producer", broker=redis_url)
    try:
        yield app
    finally:
        app.close()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return predicate()
