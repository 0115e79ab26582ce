"""Every page, timed (issue 18, item 3): the server time of each page of the URL
walk, for each role, on the 50,000-case load.

Run with ``python -m tests.bench.bench_pages [rounds] [name-filter]`` on the bench
database (JOUR_ENV=development, DEBUG off); tests/bench/run.py calls ``run()``.
Not a pytest module.

- One verified session per role (the password step and the second factor done, as
  tests.personas.login_verified makes it), in Django's test Client: the request
  goes through the whole middleware stack, in this process, without a socket.
- The support person is the load's volunteer with the most open cases; the case
  pages show that volunteer's open case with the most contact attempts. The
  board member and the auditor, and the rows the load has none of (an assessment,
  an appointment, a partner, a routine ...), are made here by
  tests.urlwalk.real_url_kwargs, as the access-entry walk makes them.
- A page is every GET of a view the role may open that answers 200 with HTML
  (htmx partials included: a page fetches them). Left out, and listed in the
  result under ``pages_skipped`` with the reason: views that answer a GET with a
  redirect or a 405 (POST-only actions), files (PDF, CSV, JSON, ZIP, scans:
  measured elsewhere) and 404s.
- Each page: one untimed request first (a cold cache is not what a user meets),
  one counted with CaptureQueriesContext, then ``rounds`` timed ones without the
  capture (its debug cursor costs time); median and p95 of those.
- Everything runs in one transaction rolled back at the end: the views' access
  entries, the sessions and the rows made here leave nothing behind.
"""

import os
import statistics
import sys
import time
from types import SimpleNamespace

ROUNDS = 20
TARGET_P95_MS = 150
FILE_TYPES = ("application/", "text/csv", "text/calendar", "image/")


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jour.settings")
    import django

    django.setup()


def _user(role, email, name):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jour.models import User

    user = User.objects.create_user(email=email, name=name, role=role)
    TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def _world():
    """The users of each role and the URL arguments, on the load's own rows where it has them."""
    from django.db.models import Count, Q
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.models import Case, Status
    from jour import access
    from jour.models import Role
    from tests.urlwalk import real_url_kwargs

    coordinator = access.may_manage_cases.users().filter(role=Role.COORDINATOR).order_by("pk").first()
    open_statuses = [s for s in Status.values if s != Status.CLOSED]
    support = (
        access.may_be_assigned_cases.users()
        .filter(role=Role.SUPPORT_PERSON)
        .annotate(
            open_cases=Count(
                "assignments",
                filter=Q(assignments__ended_at__isnull=True, assignments__case__status__in=open_statuses),
            )
        )
        .order_by("-open_cases", "pk")
        .first()
    )
    for user in (coordinator, support):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    users = {
        Role.COORDINATOR: coordinator,
        Role.SUPPORT_PERSON: support,
        Role.BOARD_MEMBER: _user(Role.BOARD_MEMBER, "board@bench.example", "Bench Board"),
        Role.AUDITOR: _user(Role.AUDITOR, "auditor@bench.example", "Bench Auditor"),
    }
    kwargs = real_url_kwargs(SimpleNamespace(coordinator=coordinator, alex=support))
    # The case pages show a real case of the load: the support person's open case with the most attempts.
    walkie = Case.objects.get(first_name="Walkie")
    case = (
        Case.objects.visible_to(support)
        .exclude(pk=walkie.pk)
        .filter(status__in=open_statuses)
        .annotate(attempt_count=Count("attempts"))
        .order_by("-attempt_count", "pk")
        .first()
    )
    for name, value in kwargs.items():
        if value == {"pk": walkie.pk}:
            kwargs[name] = {"pk": case.pk}
    return SimpleNamespace(users=users, kwargs=kwargs, case=case)


def _paths(world, role) -> list[tuple[str, str]]:
    """(pattern, path) of every view the role may open, and a few query strings the pages link to."""
    from django.utils import timezone

    from jour.access import PASSWORD_STEP, PUBLIC
    from tests.urlwalk import path_of, site_views

    paths = []
    for name, route, _callback, access in site_views():
        if access in (PUBLIC, PASSWORD_STEP) or role not in set(access):
            continue
        paths.append(("/" + route, path_of(name, route, world.kwargs)))
    today = timezone.localdate()
    paths.append(("/statistics/?kind=month", f"/statistics/?kind=month&year={today.year}&month={today.month}"))
    return paths


def _login(client, user):
    from tests.personas import login_verified

    login_verified(client, user)


def _skip_reason(response) -> str | None:
    content_type = response.get("Content-Type", "")
    if response.status_code == 405:
        return "POST only (405)"
    if 300 <= response.status_code < 400:
        return f"redirects a GET ({response.status_code})"
    if response.status_code != 200:
        return f"answers {response.status_code}"
    if response.get("Content-Disposition") or content_type.startswith(FILE_TYPES):
        return f"a file ({content_type.split(';')[0]})"
    if not content_type.startswith("text/html"):
        return f"not a page ({content_type.split(';')[0]})"
    return None


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _measure(client, path, rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The log keeps the last 9,000 queries only: a full one would count nothing.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # Counted now: the next request clears the log that the context reads lazily.
    queries = len(captured)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), _p95(times), queries


def _baseline(rounds):
    from django.test import Client

    client = Client()
    client.get("/healthz")
    median, p95, _queries = _measure(client, "/healthz", rounds)
    return median, p95


def run(rounds: int = ROUNDS, only: str = "", *, verbose: bool = False) -> dict:
    """Time every page for every role; the figures, the five slowest and what was left out."""
    _django()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import transaction
    from django.test import Client

    from cases.models import Case
    from stats import year_cache

    if settings.DEBUG:
        raise SystemExit("bench_pages: run with DEBUG off (it times pages as production serves them)")
    pages, skipped = [], []
    before = _baseline(rounds)
    # Nothing kept from another database or run; the year's counts are then kept as
    # production keeps them, the rows made for the walk taken as committed.
    caches["stats"].clear()
    with transaction.atomic():
        world = _world()
        year_cache.settle()
        for role, user in world.users.items():
            client = Client()
            _login(client, user)
            for pattern, path in _paths(world, role):
                if only and only not in path and only not in pattern:
                    continue
                response = client.get(path)  # warm-up, and what kind of answer it is
                reason = _skip_reason(response)
                if reason:
                    skipped.append({"role": role.value, "pattern": pattern, "path": path, "reason": reason})
                    _login(client, user)  # a GET that redirected may have ended the session
                    continue
                median, p95, queries = _measure(client, path, rounds)
                if verbose:
                    print(f"{role.value:<15} {pattern:<62} {median:7.1f} {p95:7.1f} {queries:5}", file=sys.stderr)
                pages.append(
                    {
                        "role": role.value,
                        "pattern": pattern,
                        "path": path,
                        "median_ms": round(median, 1),
                        "p95_ms": round(p95, 1),
                        "queries": queries,
                    }
                )
        # The floor: the trivial view through the same stack, at the end of the run as at its
        # start (the machine is shared: its load can change during the run).
        baseline_median, baseline_p95 = (max(pair) for pair in zip(before, _baseline(rounds), strict=True))
        case_count = Case.objects.count()
        transaction.set_rollback(True)
    slowest = sorted(pages, key=lambda page: page["p95_ms"], reverse=True)
    return {
        "pages_count": len(pages),
        "pages_p95_ms_max": slowest[0]["p95_ms"] if slowest else None,
        "pages_slowest": [
            {key: page[key] for key in ("role", "pattern", "median_ms", "p95_ms", "queries")} for page in slowest[:5]
        ],
        "pages_over_target": sum(page["p95_ms"] > TARGET_P95_MS for page in pages),
        "pages_rounds": rounds,
        "pages_baseline_median_ms": round(baseline_median, 1),
        "pages_baseline_p95_ms": round(baseline_p95, 1),
        "pages_cases": case_count,
        "pages": pages,
        "pages_skipped": skipped,
    }


def _table(result) -> str:
    lines = [f"{'role':<15} {'pattern':<62} {'median':>7} {'p95':>7} {'queries':>7}"]
    for page in sorted(result["pages"], key=lambda p: p["p95_ms"], reverse=True):
        flag = " *" if page["p95_ms"] > TARGET_P95_MS else ""
        lines.append(
            f"{page['role']:<15} {page['pattern']:<62} {page['median_ms']:>7} {page['p95_ms']:>7}"
            f" {page['queries']:>7}{flag}"
        )
    lines.append("")
    lines.append("skipped:")
    lines += [f"  {s['role']:<15} {s['pattern']:<62} {s['reason']}" for s in result["pages_skipped"]]
    lines.append("")
    lines.append(
        f"{result['pages_count']} pages over {result['pages_cases']} cases, {result['pages_rounds']} requests each; "
        f"worst p95 {result['pages_p95_ms_max']} ms; {result['pages_over_target']} over {TARGET_P95_MS} ms; "
        f"/healthz: median {result['pages_baseline_median_ms']} ms, p95 {result['pages_baseline_p95_ms']} ms"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    import json

    result = run(
        int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS, sys.argv[2] if len(sys.argv) > 2 else "", verbose=True
    )
    print(_table(result))
    if os.environ.get("BENCH_PAGES_JSON"):
        with open(os.environ["BENCH_PAGES_JSON"], "w") as out:
            json.dump(result, out, indent=2)
