"""Decide which database and Redis the test suite uses; print shell exports.

`make test` uses the machine's PostgreSQL and Redis when they answer, and an
SQLite file and no Redis when they do not. With CI=true or
JOUR_REQUIRE_SERVICES=1 a missing service is an error, never a skip.
"""

import os
import socket
import sys
from urllib.parse import urlparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jour"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    required = os.environ.get("CI") == "true" or os.environ.get("JOUR_REQUIRE_SERVICES") == "1"
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("JOUR_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    exports = {}
    missing = []
    if database_url.startswith("sqlite") or reachable(database_url):
        exports["DATABASE_URL"] = database_url
    else:
        missing.append(f"PostgreSQL at {database_url}")
        exports["DATABASE_URL"] = "sqlite:///var/test.sqlite3"
    if reachable(redis_url):
        exports["JOUR_TEST_REDIS_URL"] = redis_url
    else:
        missing.append(f"Redis at {redis_url}")
        exports["JOUR_TEST_REDIS_URL"] = ""
    for what in missing:
        print(f"test_services: {what} is not reachable", file=sys.stderr)
    if missing and required:
        print("test_services: CI requires PostgreSQL and Redis; refusing to run without them", file=sys.stderr)
        return 1
    for name, value in exports.items():
        print(f"export {name}='{value}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
