"""The case page shows many forms at once (contact attempt, assignment, risk
check, action, referral, paper, journal, closing, hold); each names its ids
after itself, so no id is repeated and every label points at a field of its
own form."""

from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import journal, services
from tests.personas import client_for

from .factories import assign, make_case


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.label_for: list[str] = []
        self.form_of: dict[str, int] = {}
        self._forms = 0
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._forms += 1
            self._in_form = True
        if attrs.get("id"):
            self.ids.append(attrs["id"])
            if self._in_form:
                self.form_of[attrs["id"]] = self._forms
        if tag == "label" and attrs.get("for"):
            self.label_for.append((attrs["for"], self._forms if self._in_form else 0))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def _parse(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def _assert_ids_unique_and_labels_at_home(html: str):
    page = _parse(html)
    repeated = {id_: n for id_, n in Counter(page.ids).items() if n > 1}
    assert repeated == {}
    for target, form in page.label_for:
        assert target in page.ids, target
        if form:
            assert page.form_of.get(target) == form, target  # the label's field is in its own form


@pytest.fixture
def busy_case(people):
    """A case with every form on its page, and two entries its author may still correct."""
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=2))
    assign(case, people.alex, by=people.coordinator)
    journal.write(case=case, text="Första raden", by=people.coordinator)
    journal.write(case=case, text="Andra raden", by=people.coordinator)
    journal.write(case=case, text="Alex rad", by=people.alex)
    return case


@pytest.mark.parametrize("who", ["coordinator", "alex"])
def test_no_id_is_repeated_on_the_case_page(people, busy_case, who):
    html = client_for(getattr(people, who)).get(reverse("case_detail", args=[busy_case.pk])).content.decode()
    # The forms that used to share ids are all there.
    for field in ("attempt_note", "attempt_method", "action_kind", "paper_kind", "referral_note", "journal_text"):
        assert f'id="{field}"' in html, field
    if who == "coordinator":
        assert 'id="id_note"' in html and 'id="close_reason"' in html  # the assignment's note; the closing reason
    _assert_ids_unique_and_labels_at_home(html)


def test_no_id_is_repeated_on_a_closed_case_with_its_hold_form(people, busy_case):
    services.close_case(case=busy_case, reason="completed", by=people.coordinator)
    html = client_for(people.coordinator).get(reverse("case_detail", args=[busy_case.pk])).content.decode()
    assert 'id="hold_reason"' in html
    _assert_ids_unique_and_labels_at_home(html)


def test_a_refused_form_comes_back_with_its_own_ids(people, busy_case):
    url = reverse("attempt_create", args=[busy_case.pk])
    response = client_for(people.alex).post(url, {"made_at": "", "method": "phone", "outcome": "reached"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="attempt_made_at_error"' in html
    _assert_ids_unique_and_labels_at_home(html)


def test_no_id_is_repeated_on_the_print_view(people, busy_case):
    html = client_for(people.coordinator).get(reverse("case_print", args=[busy_case.pk])).content.decode()
    _assert_ids_unique_and_labels_at_home(html)
