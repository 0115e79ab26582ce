"""Typed readers for configuration taken from environment variables."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# SQLite when two processes write to it (make run: the web server and the worker).
# WAL lets readers go on beside the one writer. IMMEDIATE takes the write lock when a
# transaction begins, so one that reads and then writes waits its turn (the busy
# timeout, in seconds) instead of failing with "database is locked" when it tries to
# upgrade its read lock. synchronous=NORMAL is safe with WAL and spares an fsync per commit.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


# PostgreSQL compiles a query to machine code (JIT) once the planner's cost estimate
# passes jit_above_cost, which a scan of a large table does. That pays off for queries
# that run for seconds; ours run for milliseconds, and compiling the deadline sweep's
# statement over 100,000 open cases took 0.4-0.5 s on top of running it (issue 18).
POSTGRESQL_OPTIONS = {"options": "-c jit=off"}


def database(url: str, *, conn_max_age: int) -> dict:
    """One DATABASES entry from a URL; SQLite gets SQLITE_OPTIONS and PostgreSQL
    POSTGRESQL_OPTIONS (any option the URL sets wins), other engines exactly what
    the URL says."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    defaults = {
        "django.db.backends.sqlite3": SQLITE_OPTIONS,
        "django.db.backends.postgresql": POSTGRESQL_OPTIONS,
    }.get(config["ENGINE"], {})
    config["OPTIONS"] = {**defaults, **config.get("OPTIONS", {})}
    return config
