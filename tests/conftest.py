import os

import pytest
from hypothesis import settings as hypothesis_settings

from .leakguard import LeakGuard, failure_message
from .personas import build_personas

# tests/jour/test_leakguard.py runs the guard in a pytest of its own.
pytest_plugins = ["pytester"]

# CI runs the property and fuzz tests on fixed examples, so that a run can be
# repeated exactly; locally they explore new examples each time.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def no_statistics_kept_from_another_test():
    """The year's counts kept in the cache (stats.year_cache) belong to the test that kept
    them: a database emptied by TRUNCATE after a transactional test says nothing to it."""
    from django.core.cache import caches

    caches["stats"].clear()


@pytest.fixture
def people(db):
    return build_personas()


# -- Issue 6, item 5: no seeded personal data in e-mails, notifications or logs --

LEAK_GUARD = pytest.StashKey[LeakGuard]()
# A test that uses any of these (or the django_db mark) has the database.
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


def _uses_database(item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or not DB_FIXTURES.isdisjoint(fixtures)


@pytest.fixture(autouse=True)
def no_personal_data_in_output(request):
    """Every test: the e-mails it sends, the notifications it makes and what it
    logs at INFO and above carry no seeded personal data (tests/leakguard.py).

    The check runs twice: at the end of the test body (pytest_runtest_call
    below, while the test's database transaction is still open, so that its
    notifications can be read; a leak fails the test), and here after the
    fixtures' teardown for whatever they produced since (a leak is an error in
    teardown)."""
    if request.node.get_closest_marker("allow_personal_data_in_output"):
        yield None
        return
    guard = LeakGuard()
    guard.start()
    request.node.stash[LEAK_GUARD] = guard
    try:
        yield guard
    finally:
        guard.stop()
        del request.node.stash[LEAK_GUARD]
    report = guard.check()
    if report:
        when = "outside the test body (a fixture's teardown, or a test that did not pass)"
        pytest.fail(failure_message(report, when), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # a test that failed is not checked here; the fixture checks it at teardown
    guard = item.stash.get(LEAK_GUARD, None)
    if guard is not None:
        # A real Celery worker (tests/worker.py) writes its e-mails to files in the test's tmp_path.
        mail_dirs = (
            [item.funcargs["tmp_path"]]
            if item.get_closest_marker("worker") and "tmp_path" in getattr(item, "funcargs", {})
            else []
        )
        report = guard.check(notifications=_uses_database(item), mail_dirs=mail_dirs)
        if report:
            pytest.fail(failure_message(report, "of this test"), pytrace=False)
    return result
