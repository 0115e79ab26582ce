"""The table of cases that the case list and the start pages share, drawn by Jinja2
(cases/jinja2/cases/case_table.html): it escapes what a seeker's name holds, speaks
the UI's language, and shows on each page what that page showed before."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.personas import client_for

from .factories import assign, make_case

LIST = reverse("case_list")
START = reverse("start")


def test_a_name_is_written_as_text_never_as_markup(people):
    case = make_case(people.coordinator, first_name='<img src=x onerror="alert(1)">Åsa')
    body = client_for(people.coordinator).get(LIST).content.decode()
    assert '<img src=x onerror="alert(1)">' not in body
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Åsa" in body
    assert f'<a href="{reverse("case_detail", args=[case.pk])}">{case.number}</a>' in body


def test_headings_and_words_in_the_ui_language(people):
    make_case(people.coordinator, first_name="Åsa")
    english = client_for(people.coordinator).get(LIST).content.decode()
    swedish = client_for(people.coordinator, language=None).get(LIST).content.decode()
    assert '<th scope="col">Support persons</th>' in english and "<em>nobody</em>" in english
    assert '<th scope="col">Stödpersoner</th>' in swedish and "<em>ingen</em>" in swedish


def test_the_list_names_the_seeker_and_sorts_while_a_panel_does_neither(people):
    case = make_case(people.coordinator, first_name="Åsa", received_at=timezone.now() - timedelta(days=5))
    assign(case, people.alex, by=people.coordinator)
    client = client_for(people.coordinator)
    listed = client.get(LIST, {"view": "all", "sort": "due"}).content.decode()
    assert '<th scope="col">First name</th>' in listed and "<td>Åsa</td>" in listed
    assert '<th scope="col" aria-sort="ascending">' in listed
    assert '<span aria-hidden="true"> ↑</span>' in listed and "sort=-due" in listed
    assert f"<td>{people.alex.name}</td>" in listed
    start = client.get(START).content.decode()
    assert case.number in start  # overdue: five days without an attempt
    assert "First name" not in start and "Åsa" not in start and "aria-sort" not in start


def test_an_empty_panel_says_so_in_its_own_words(people):
    start = client_for(people.coordinator).get(START).content.decode()
    assert '<td class="no-rows" colspan="7">No overdue cases.</td>' in start
    listed = client_for(people.coordinator).get(LIST, {"view": "closed"}).content.decode()
    assert '<td class="no-rows" colspan="8">No cases here.</td>' in listed
