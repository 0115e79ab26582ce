"""Two writers on one SQLite file, as under `make run`: run by test_sqlite_writers.py
in a process of its own (its DATABASE_URL names the file), never collected by pytest.

The worker holds a transaction open for a while, reading first and writing last, as
rendering the assurance inside one did; meanwhile the web client saves appointments and places, each a
transaction that reads before it writes. Prints one JSON line: the web responses'
status codes and the worker's outcome. With JOUR_SQLITE_PLAIN=1 the database gets
Django's SQLite defaults instead of jour.env.SQLITE_OPTIONS (the control).
"""

import json
import os
import threading
import time
from datetime import timedelta

HOLD_SECONDS = 2.0


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jour.settings")
    if os.environ.get("JOUR_SQLITE_PLAIN"):
        from django.conf import settings

        settings.DATABASES["default"]["OPTIONS"] = {}
    django.setup()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import timezone

    from calendars.models import Place
    from jour.models import Role
    from tests.personas import client_for, make_user

    call_command("migrate", verbosity=0)
    if os.environ.get("JOUR_SQLITE_PLAIN"):
        connection.cursor().execute("PRAGMA journal_mode=DELETE")  # as before: WAL stays in a file once set
    kim = make_user("kim@jour.test", "Kim Coordinator", Role.COORDINATOR)
    client = client_for(kim)
    day = (timezone.localdate() + timedelta(days=7)).isoformat()

    holding, worker_result = threading.Event(), {}

    def worker():
        try:
            # As produce() was: read the signed version, render for a while, then record
            # the file, all in one transaction.
            with transaction.atomic():
                Place.objects.count()
                holding.set()
                time.sleep(HOLD_SECONDS)
                Place.objects.create(name="Arbetarens plats")
            worker_result["outcome"] = "ok"
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
            worker_result["outcome"] = f"{type(error).__name__}: {error}"
        finally:
            holding.set()
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    holding.wait(30)
    statuses = []
    for n in range(3):
        meeting = {"kind": "board", "day": day, "starts": f"1{n}:00", "ends": f"1{n}:30", "title": "Styrelsemöte"}
        statuses.append(_post(client, reverse("appointment_create"), meeting))
        statuses.append(_post(client, reverse("place_list"), {"name": f"Plats {n}", "kind": "other"}))
    thread.join(60)
    counts = {"appointments": _count("calendars_appointment"), "places": Place.objects.count()}
    journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    print(json.dumps({"web": statuses, "worker": worker_result.get("outcome"), "counts": counts, "journal": journal}))


def _post(client, url: str, data: dict):
    try:
        return client.post(url, data).status_code
    except Exception as error:  # noqa: BLE001 - the test client re-raises the view's error: report it
        return f"{type(error).__name__}: {error}"


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - a fixed table name
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
