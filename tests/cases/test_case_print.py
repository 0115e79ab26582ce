"""The print view of a case: every section the case page shows, framed for
paper with the case number and the printing date as a running head, for whoever
may see the case page (and nobody else); opening it writes an access entry."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from cases import journal, services
from cases.models import Case
from jour import formatting
from tests.personas import client_for

from .factories import SEEKER, assign, make_case

ENTRY = "Pratade om vad som händer vid rättegången"
ATTEMPT_NOTE = "Svarade efter andra signalen"


@pytest.fixture
def case(people):
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=2))
    assign(case, people.alex, by=people.coordinator)
    services.log_attempt(
        case=case,
        made_at=timezone.now() - timedelta(days=1),
        method="phone",
        outcome="reached",
        note=ATTEMPT_NOTE,
        by=people.alex,
    )
    journal.write(case=case, text=ENTRY, by=people.alex)
    return case


def _section_titles(html: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', html)


def _accesses(case) -> int:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk), action=LogEntry.Action.ACCESS
    ).count()


@pytest.mark.parametrize("who", ["coordinator", "alex"])
def test_the_print_view_has_every_section_of_the_case_page(people, case, who):
    client = client_for(getattr(people, who))
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    printed = client.get(reverse("case_print", args=[case.pk])).content.decode()
    assert reverse("case_print", args=[case.pk]) in page  # the case page links to it
    # All but the coordinator's buttons for the seeker's rights and for closing (no hold to print here).
    assert _section_titles(printed) == [t for t in _section_titles(page) if t not in ("data-title", "close-title")]
    assert "journal-title" in _section_titles(printed)
    for value in (case.number, SEEKER["first_name"], SEEKER["last_name"], SEEKER["phone"], ENTRY, ATTEMPT_NOTE):
        assert value in printed, value
    assert SEEKER["notes"] in printed  # the first entry, carried over from the registration


def _fields(html: str) -> list[str]:
    """The case's form fields a person could fill in (not the site's header, nor the forms' CSRF tokens)."""
    case = html[html.index("<main") : html.index("</main>")]
    return [tag for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", case) if 'type="hidden"' not in tag]


def test_the_print_view_renders_no_form_fields(people, case):
    """Paper has no use for the forms (the print page hides them): their fields are
    not rendered at all, which took a third of the page's time."""
    client = client_for(people.coordinator)
    assert len(_fields(client.get(reverse("case_detail", args=[case.pk])).content.decode())) > 20
    assert _fields(client.get(reverse("case_print", args=[case.pk])).content.decode()) == []


def test_the_running_head_carries_the_case_number_and_the_printing_date(people, case):
    html = client_for(people.coordinator).get(reverse("case_print", args=[case.pk])).content.decode()
    head = html[html.index('<p class="running-head">') :]
    head = " ".join(head[: head.index("</p>")].split())
    with override("en"):
        today = formatting.day(timezone.localdate(), year=True)  # paper is read later: with the year
    assert case.number in head and "printed" in head
    assert today in head
    assert 'class="case-print"' in html and 'class="print-frame"' in html


def test_opening_the_print_view_is_an_access_to_the_case(people, case):
    before = _accesses(case)
    client_for(people.alex).get(reverse("case_print", args=[case.pk]))
    entry = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk))
    assert _accesses(case) == before + 1
    assert entry.latest("pk").actor == people.alex


@pytest.mark.parametrize(("who", "status"), [("sam", 404), ("board", 403), ("auditor", 403)])
def test_nobody_else_prints_it(people, case, who, status):
    before = _accesses(case)
    response = client_for(getattr(people, who)).get(reverse("case_print", args=[case.pk]))
    assert response.status_code == status
    body = response.content.decode()
    assert ENTRY not in body and SEEKER["last_name"] not in body
    assert _accesses(case) == before
