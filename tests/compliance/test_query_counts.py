"""The year's page and the start page cost the same number of queries however
many documents, links and action items a year has."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance import services
from compliance.models import ActionItem, ActionPlan, EvidenceDocument, EvidenceLink, EvidenceRevision
from members.models import Person
from tests.personas import login_verified

YEAR = 2025


def _grow(assessment, people, n):
    owner = Person.objects.create(name=f"Ägare {n}")
    plan, _ = ActionPlan.objects.get_or_create(year=YEAR)
    for answer in assessment.answers.order_by("position")[:n]:
        document = EvidenceDocument.objects.create(title=f"Dokument {answer.code}")
        for number in (1, 2):
            EvidenceRevision.objects.create(
                document=document, number=number, file="evidence/x.pdf", kind="pdf", size=1, sha256="0" * 64
            )
        EvidenceLink.objects.create(answer=answer, document=document)
        ActionItem.objects.create(plan=plan, what="Åtgärd", owner=owner, due_on=date(YEAR, 1, 1))


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_constant_queries(client, people):
    assessment = services.start_year(year=YEAR, by=people.coordinator)
    login_verified(client, people.board)
    pages = [reverse("assessment_detail", args=[YEAR]), reverse("start"), reverse("action_plan", args=[YEAR])]
    _grow(assessment, people, 1)
    small = [_count(client, url) for url in pages]
    _grow(assessment, people, 30)
    large = [_count(client, url) for url in pages]
    assert small == large
