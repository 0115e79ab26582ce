"""The case list stops counting past jour.paging.CAP matches: it says "more than", pages on,
and its access entry records the count it made."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from cases.views import cases as case_views
from jour import paging
from tests.personas import client_for

from .factories import make_case


@pytest.fixture
def seven(people, monkeypatch):
    monkeypatch.setattr(paging, "CAP", 4)
    monkeypatch.setattr(case_views, "LIST_PAGE_SIZE", 2)
    return [make_case(people.coordinator) for _n in range(7)]


def test_the_first_page_says_more_than_the_cap(people, seven):
    client = client_for(people.coordinator)
    response = client.get(reverse("case_list"), {"view": "all", "priority": "normal"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "More than 4 cases match the filters." in html
    assert "Page 1 of more than 2" in html
    assert LogEntry.objects.filter(object_repr="case list").latest("pk").changes["rows"] == ["", "4+"]


def test_a_page_past_the_cap_counts_to_the_end(people, seven):
    client = client_for(people.coordinator)
    response = client.get(reverse("case_list"), {"view": "all", "priority": "normal", "page": "3"})
    html = response.content.decode()
    assert "7 cases match the filters." in html and "More than" not in html
    assert "Page 3 of 4" in html
    assert len(response.context["rows"]) == 2
    assert LogEntry.objects.filter(object_repr="case list").latest("pk").changes["rows"] == ["", "7"]
