"""SECURITY.md figure 4 for the governance side: crawl every page a board member
and an auditor can reach, with seeded seeker data in the database, and show that
none of it appears: not in HTML, htmx partials, the assurance PDF (its text and
its embedded JSON), the JSON record or the evidence download.

The crawl is generic: it starts at the start page and follows every same-site
`href` and `hx-get` it finds, so a page added later is covered without naming it.
The pages the cycle is about are also fetched by name, in case no link leads there.
"""

import html
import io
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urldefrag, urlsplit

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calendars.models import Appointment
from cases import deadlines, services
from cases.models import Case
from compliance import services as compliance_services
from compliance.models import (
    ActionItem,
    ActionPlan,
    AssessmentState,
    Assurance,
    EvidenceRevision,
    ReportSubmission,
)
from members.models import BoardRole, BoardTerm, Membership, Person, VolunteerAssignment
from tests.cases.factories import SEEKER, make_case
from tests.personas import login_verified

from .cycle import assess_all, chair_person, give_verdicts, second_auditor, sign_as

pytestmark = pytest.mark.django_db(transaction=False)

MAX_PAGES = 400
# From the start page the crawl reaches 91-92 distinct pages per persona (two
# versions of a year, 38 requirements each); far fewer means it got lost.
MIN_PAGES = 80
MIN_CHARS = 4

# One seeker per case, each with values that cannot appear by coincidence.
SEEKERS = [
    dict(SEEKER),
    {
        "first_name": "Ottiliana",
        "last_name": "Brännvinsdotter",
        "phone": "073-919 44 02",
        "email": "ottiliana.b@seeker.example",
        "notes": "Seedad anteckning: bor tillfälligt hos systern på Granstigen 12",
    },
    {
        "first_name": "Rigmorsdotter",
        "last_name": "Kvarnhjulsberg",
        "phone": "+46 8 555 019 87",
        "email": "rigmor@kvarnhjul.example",
        "notes": "Seedad anteckning: portkod 4471 till Tallbacksgränd 3",
    },
    {
        "first_name": "Wilhelmina",
        "last_name": "Östergyllenhielm",
        "phone": "076-222 90 31",
        "email": "wilma.ostergyllen@seeker.example",
        "notes": "Seedad anteckning: skyddad adress, ring aldrig hem till Lönnvägen 88",
    },
]
# Address fragments inside the notes, checked on their own as well.
ADDRESSES = ["Klövervägen 7", "Granstigen 12", "Tallbacksgränd 3", "Lönnvägen 88", "portkod 4471"]
ATTEMPT_NOTES = [
    "Försöksanteckning: mannen svarade, lade på direkt",
    "Försöksanteckning: lämnade inget meddelande enligt önskemål",
]
HANDOVER_NOTES = ["Överlämning: Ottiliana vill ha en kvinnlig stödperson"]
# Volunteers who are not on the board: the board and auditors never see them either.
VOLUNTEERS = [
    {
        "name": "Torvald Lingonbacke",
        "phone": "076-404 88 17",
        "email": "torvald@volontar.example",
        "address": "Blåbärsstigen 19",
        "town": "Mossaby",
    },
    {
        "name": "Henrika Sjöberglund",
        "phone": "070-313 62 45",
        "email": "henrika.sjoberg@volontar.example",
        "address": "Hjortronvägen 2B",
        "town": "Myrhult",
    },
]


def _evidence_pdf() -> bytes:
    """A small valid PDF (one blank page), as a board's minutes would be uploaded."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(b"%PDF-1.")
    return out.getvalue()


# -- seeding -----------------------------------------------------------------


def _seed_cases(people) -> list:
    coordinator = people.coordinator
    now = timezone.now()
    cases = []
    for n, seeker in enumerate(SEEKERS):
        extra = {"protected_identity": True} if n == 3 else {}
        priority = "urgent" if n == 1 else "normal"
        received_at = now - timedelta(hours=30 - 6 * n)
        case = make_case(coordinator, received_at=received_at, priority=priority, **seeker, **extra)
        cases.append(case)
    first, second, third, fourth = cases
    services.assign(case=first, person=people.alex, kind="support", by=coordinator)
    services.log_attempt(
        case=first,
        made_at=first.received_at + timedelta(hours=1),
        method="phone",
        outcome="no_answer",
        note=ATTEMPT_NOTES[0],
        by=people.alex,
    )
    ended = services.assign(case=second, person=people.sam, kind="support", by=coordinator)
    services.end_assignment(assignment=ended, note=HANDOVER_NOTES[0], by=coordinator)
    services.assign(case=third, person=people.alex, kind="support", note=HANDOVER_NOTES[0], by=coordinator)
    services.log_attempt(
        case=third,
        made_at=third.received_at + timedelta(minutes=20),
        method="phone",
        outcome="reached",
        note=ATTEMPT_NOTES[1],
        by=people.alex,
    )
    services.close_case(case=third, reason="completed", by=coordinator)
    services.assign(case=fourth, person=people.sam, kind="support", by=coordinator)
    # Deadline warnings and notifications exist for the overdue ones.
    deadlines.sweep(now=now + timedelta(days=7))
    # The calendar: a seeker meeting and a hearing this week, beside a board meeting the board sees.
    for kind, case, days in (("meeting", first, 0), ("court", fourth, 1), ("board", None, 2)):
        start = now + timedelta(days=days, hours=1)
        appointment = Appointment.objects.create(
            kind=kind,
            case=case,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            place=ADDRESSES[0] if case else "Jourens lokal",
            created_by=coordinator,
        )
        if case:
            appointment.participants.add(people.alex)
    return [Case.objects.get(pk=case.pk) for case in cases]


def _seed_people() -> None:
    since = timezone.localdate() - timedelta(days=400)
    for volunteer in VOLUNTEERS:
        person = Person.objects.create(**volunteer)
        Membership.objects.create(person=person, kind="member", start=since)
        VolunteerAssignment.objects.create(person=person, start=since)


def _seed_year(people, year: int, django_capture_on_commit_callbacks) -> SimpleNamespace:
    """A year assessed, with a plan item and an evidence document, marked ready,
    signed by two auditors and rendered; then a second version in draft, so that
    both the frozen pages and the edit forms are there to crawl."""
    coordinator = people.coordinator
    assessment = compliance_services.start_year(year=year, by=coordinator)
    chair = chair_person(people.board)
    assess_all(assessment, coordinator, responsible=chair)
    first = assessment.answers.order_by("position").first()
    compliance_services.add_evidence_file(
        answer=first,
        upload=SimpleUploadedFile("minutes.pdf", _evidence_pdf(), content_type="application/pdf"),
        title="Styrelseprotokoll 2026-03-12 §4",
        by=coordinator,
    )
    plan = ActionPlan.objects.create(year=year)
    ActionItem.objects.create(
        plan=plan, requirement_code=first.code, what="Anta en ny rutin för nycklar", owner=chair, due_on=f"{year}-12-31"
    )
    ReportSubmission.objects.create(
        kind="annual",
        year=year - 1,
        sent_on=timezone.localdate() - timedelta(days=30),
        recipient="Brottsofferjourernas förbund",
        note="Verksamhetsberättelse",
        recorded_by=coordinator,
    )
    with django_capture_on_commit_callbacks(execute=True):
        compliance_services.mark_ready(assessment=assessment, by=coordinator)
    give_verdicts(assessment, people.auditor)
    eva = second_auditor()
    for auditor in (people.auditor, eva):
        with django_capture_on_commit_callbacks(execute=True):
            sign_as(assessment, auditor)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED
    assert Assurance.objects.filter(assessment=assessment).exclude(pdf="").exists()
    compliance_services.new_version(assessment=assessment, by=coordinator)
    # A board member with an ended term: a name that legitimately shows on the board page.
    former = Person.objects.create(name="Gunnel Förrförra")
    BoardTerm.objects.create(person=former, role=BoardRole.MEMBER, start="2019-01-01", end="2021-01-01")
    return SimpleNamespace(year=year, codes=[a.code for a in assessment.answers.order_by("position")])


@pytest.fixture
def seeded(people):
    cases = _seed_cases(people)
    _seed_people()
    return SimpleNamespace(people=people, cases=cases)


@pytest.fixture
def world(seeded, people, django_capture_on_commit_callbacks):
    year = _seed_year(people, timezone.localdate().year, django_capture_on_commit_callbacks)
    return SimpleNamespace(people=people, cases=seeded.cases, year=year)


def _phone_digits(phones) -> list[str]:
    return ["".join(ch for ch in phone if ch.isdigit()) for phone in phones]  # tel: links, exports


def forbidden_values(cases) -> list[str]:
    """Every seeded value about a seeker, and the numbers of their cases."""
    values = [v for seeker in SEEKERS for v in seeker.values() if isinstance(v, str)]
    values += ADDRESSES + ATTEMPT_NOTES + HANDOVER_NOTES
    values += _phone_digits(seeker["phone"] for seeker in SEEKERS)
    values += [case.number for case in cases]
    return sorted({v for v in values if len(v) >= MIN_CHARS})


def register_values() -> list[str]:
    """What the people register holds about volunteers who are not on the board."""
    values = [v for volunteer in VOLUNTEERS for v in volunteer.values()]
    values += _phone_digits(volunteer["phone"] for volunteer in VOLUNTEERS)
    return sorted({v for v in values if len(v) >= MIN_CHARS})


# -- the crawl ---------------------------------------------------------------

SKIP_PREFIXES = ("/static/", "/media/")
NON_GET = ("hx-post", "hx-put", "hx-patch", "hx-delete", "data-method")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if any(name in attrs for name in NON_GET):
            return
        if attrs.get("rel") in ("prev", "next"):
            return  # the calendar's previous/next month and week go on for ever
        if attrs.get("href"):
            self.found.append((attrs["href"], False))
        if attrs.get("hx-get"):
            self.found.append((attrs["hx-get"], True))


def same_site(url: str) -> str | None:
    url = urldefrag(html.unescape(url.strip()))[0]
    if url.startswith("http://testserver/"):
        url = url[len("http://testserver") :]
    if not url.startswith("/") or url.startswith("//"):
        return None
    path = urlsplit(url).path
    if path.startswith(SKIP_PREFIXES) or path in (reverse("logout"), reverse("set_language")):
        return None
    return url


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    texts: list[str] = field(default_factory=list)


def _pdf_texts(data: bytes) -> list[str]:
    texts = [data.decode("latin-1")]
    reader = pypdf.PdfReader(io.BytesIO(data))
    texts += [page.extract_text() or "" for page in reader.pages]
    texts.append(repr(reader.metadata or {}))
    for name, contents in reader.attachments.items():
        texts.append(name)
        texts += [content.decode("utf-8", errors="replace") for content in contents]
    return texts


def fetch(client: Client, url: str, *, htmx: bool = False) -> tuple[Page, list[tuple[str, bool]]]:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(url, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    page = Page(url, response.status_code, content_type)
    page.texts.append(" ".join(f"{k}: {v}" for k, v in response.items()))
    links: list[tuple[str, bool]] = []
    if response.status_code in (301, 302, 303, 307, 308):
        links.append((response["Location"], False))
    elif content_type == "application/pdf":
        page.texts += _pdf_texts(body)
    else:
        text = body.decode(response.charset or "utf-8", errors="replace")
        page.texts.append(text)
        if content_type == "text/html":
            parser = _Links()
            parser.feed(text)
            links += parser.found
    return page, links


def crawl(client: Client, seeds: list[str], *, limit: int = MAX_PAGES) -> dict[tuple[str, bool], Page]:
    seen: dict[tuple[str, bool], Page] = {}
    queue: deque[tuple[str, bool]] = deque((url, False) for url in seeds)
    queued = set(queue)
    while queue and len(seen) < limit:
        url, htmx = queue.popleft()
        page, links = fetch(client, url, htmx=htmx)
        seen[url, htmx] = page
        for raw, is_htmx in links:
            target = same_site(raw)
            if target is not None and (target, is_htmx) not in queued:
                queued.add((target, is_htmx))
                queue.append((target, is_htmx))
    return seen


def leaks(pages, values: list[str]) -> list[tuple[str, str]]:
    """(url, value) for every forbidden value found, case-insensitively, also
    with the white space taken out (PDF text extraction drops or adds spaces)."""
    found = []
    wanted = [(v, v.lower(), re.sub(r"\s+", "", v.lower())) for v in values]
    for page in pages:
        body = html.unescape("\n".join(page.texts)).lower()
        flat = re.sub(r"\s+", "", body)
        for value, lower, squeezed in wanted:
            if lower in body or squeezed in flat:
                found.append((page.url, value))
    return found


def named_pages(world) -> list[str]:
    year = world.year.year
    revision = EvidenceRevision.objects.get()
    urls = [
        reverse("start"),
        reverse("requirement_list"),
        reverse("assessment_list"),
        reverse("assessment_detail", args=[year]),
        reverse("assessment_detail", args=[year]) + "?version=1",
        reverse("action_plan", args=[year]),
        reverse("report_list"),
        reverse("assurance_verify"),
        reverse("assurance_status", args=[year, 1]),
        reverse("assurance_status", args=[year, 2]),
        reverse("assurance_pdf", args=[year, 1]),
        reverse("assurance_json", args=[year, 1]),
        reverse("evidence_download", args=[revision.pk]),
        reverse("kpi"),
        reverse("board"),
    ]
    urls += [f"{reverse('kpi')}?year={year}&granularity={g}" for g in ("month", "quarter", "year")]
    for code in world.year.codes:
        urls.append(reverse("answer_edit", args=[year, code]))
        urls.append(reverse("answer_edit", args=[year, code]) + "?version=1")
    return urls


# -- the tests ---------------------------------------------------------------


def test_the_seeded_values_are_really_rendered_where_they_belong(seeded, people):
    """The check can fail: the coordinator's pages show the seeker and the
    volunteer, and `leaks` finds them there."""
    client = Client()
    login_verified(client, people.coordinator)
    case = seeded.cases[0]
    page, _links = fetch(client, reverse("case_detail", args=[case.pk]))
    assert page.status == 200
    assert SEEKER["first_name"] in page.texts[-1]
    found = {value for _url, value in leaks([page], forbidden_values(seeded.cases))}
    assert {SEEKER["first_name"], SEEKER["last_name"], SEEKER["email"], SEEKER["notes"], case.number} <= found
    assert ATTEMPT_NOTES[0] in found

    volunteer = Person.objects.get(name=VOLUNTEERS[0]["name"])
    page, _links = fetch(client, reverse("person_detail", args=[volunteer.pk]))
    assert page.status == 200
    found = {value for _url, value in leaks([page], register_values())}
    assert {VOLUNTEERS[0]["name"], VOLUNTEERS[0]["phone"], VOLUNTEERS[0]["email"]} <= found


@pytest.mark.parametrize("persona", ["board", "auditor"])
def test_no_seeker_data_on_any_page_a_board_member_or_auditor_reaches(world, persona):
    client = Client()
    login_verified(client, getattr(world.people, persona))
    pages = crawl(client, [reverse("start")])
    from_start = {url for (url, _htmx), page in pages.items() if page.status == 200}
    for url in named_pages(world):
        if (url, False) not in pages:
            pages[url, False] = fetch(client, url)[0]

    ok = {url for (url, _htmx), page in pages.items() if page.status == 200}
    assert len(from_start) >= MIN_PAGES, sorted(from_start)
    assert len(ok) >= MIN_PAGES
    assert len(pages) < MAX_PAGES, "the crawl hit its limit: raise it or find the loop"
    kinds = {page.content_type for page in pages.values() if page.status == 200}
    assert {"text/html", "application/pdf", "application/json"} <= kinds
    errors = {url: page.status for (url, _htmx), page in pages.items() if page.status >= 500}
    assert not errors
    missing = [url for url in named_pages(world) if pages[url, False].status != 200]
    assert not missing, missing

    found = leaks(pages.values(), forbidden_values(world.cases))
    assert not found, found

    # Not a seeker's data, but the same figure: volunteers' names and contact
    # details stay in the coordinator's people register.
    assert not leaks(pages.values(), register_values())
