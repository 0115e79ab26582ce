"""The retention page says what the nightly run will do and when, read from the
beat schedule; it names no command for a coordinator to run."""

from datetime import datetime

from celery.schedules import crontab
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cases import retention
from cases.models import Case, Status
from jour import formatting
from jour.workdays import STOCKHOLM
from tests.personas import client_for

from .factories import make_case


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


def test_the_next_run_is_the_schedules_next_hour():
    # jour/settings.py: anonymise-expired-cases at 02:40, Stockholm time.
    assert retention.next_run(_at(2026, 12, 2, 1, 0)) == _at(2026, 12, 2, 2, 40)
    assert retention.next_run(_at(2026, 12, 2, 2, 40)) == _at(2026, 12, 3, 2, 40)
    assert retention.next_run(_at(2026, 12, 31, 23, 0)) == _at(2027, 1, 1, 2, 40)


def test_the_page_follows_the_schedule(settings):
    schedule = {**settings.CELERY_BEAT_SCHEDULE}
    schedule["anonymise-expired-cases"] = {**schedule["anonymise-expired-cases"], "schedule": crontab(minute=5, hour=4)}
    settings.CELERY_BEAT_SCHEDULE = schedule
    assert retention.next_run(_at(2026, 12, 2, 3, 0)) == _at(2026, 12, 2, 4, 5)


def test_the_page_says_when_and_names_no_command(people):
    html = client_for(people.coordinator).get(reverse("retention_preview")).content.decode()
    assert "manage.py" not in html and "--dry-run" not in html and "anonymise" not in html
    assert "every night at 02:40" in html
    run = retention.next_run()
    with override("en"):
        assert f"The next run is on {formatting.day(run)} " in html


def test_it_lists_what_that_run_will_take(people):
    """A case that passes the period between now and the run is listed: the page counts at the run's hour."""
    run = retention.next_run()
    case = make_case(people.coordinator, now=run - relativedelta(months=14))
    closed = run - relativedelta(months=retention.retention_months()) - relativedelta(minutes=1)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=closed)
    assert not retention.due().filter(pk=case.pk).exists()  # not yet past the period now
    html = client_for(people.coordinator).get(reverse("retention_preview")).content.decode()
    assert case.number in html


def _closed_long_ago(people, n) -> list[str]:
    long_ago = timezone.now() - relativedelta(months=retention.retention_months() + 2)
    cases = [make_case(people.coordinator, now=long_ago) for _ in range(n)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(status=Status.CLOSED, closed_at=long_ago)
    return [c.number for c in cases]


def _due_on_page(client, page=1):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("retention_preview"), {"page": page})
    html = response.content.decode()
    return html.split('id="due-title"')[1].split('id="held-title"')[0], len(queries)


def test_the_due_cases_come_a_page_at_a_time_for_the_same_queries(people, monkeypatch):
    """A jour whose nightly run stopped for a while has thousands due: the page
    lists one page of them (the oldest first) and says how many there are in all."""
    monkeypatch.setattr(retention, "PREVIEW_PAGE_SIZE", 5)
    client = client_for(people.coordinator)
    first = _closed_long_ago(people, 5)
    html, few = _due_on_page(client)
    assert all(number in html for number in first) and 'class="pager"' not in html
    rest = _closed_long_ago(people, 25)
    html, many = _due_on_page(client)
    assert many == few
    assert "removes the personal data of 30 cases" in html
    assert html.count("<li>") == 5 and "Page 1 of 6" in html
    last, _queries = _due_on_page(client, 6)
    assert [number for number in first + rest if number in last] == rest[-5:]
