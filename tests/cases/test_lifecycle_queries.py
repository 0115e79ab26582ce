"""The shredding list, the retention preview and the start page cost the same
number of queries for 1 paper/case as for 30."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import paper, services
from cases.models import Case
from tests.personas import login_verified

from .factories import make_case


def _add(people, n):
    long_ago = timezone.now() - timedelta(days=500)
    for _ in range(n):
        case = make_case(people.coordinator, received_at=long_ago)
        paper.file_paper(case=case, kind="notes", description="", filed_on=long_ago.date(), by=people.coordinator)
        services.close_case(case=case, reason="completed", by=people.coordinator)
        Case.objects.filter(pk=case.pk).update(closed_at=long_ago + timedelta(days=1))


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_constant_queries(client, people):
    login_verified(client, people.coordinator)
    pages = [reverse("shredding_list"), reverse("retention_preview"), reverse("start")]
    _add(people, 1)
    small = [_count(client, url) for url in pages]
    _add(people, 30)
    large = [_count(client, url) for url in pages]
    assert small == large
    html = client.get(reverse("shredding_list")).content.decode()
    assert html.count('value="shredding_list"') == 31  # every paper is really on the page
