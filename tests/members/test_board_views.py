"""The board page: who may see it, who may change it, and ending a term applies the leaving rules."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jour.models import Role
from members.models import BoardRole, BoardTerm, Person
from tests.personas import login_verified

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=700)


@pytest.fixture
def board(people):
    kim = Person.objects.create(name="Kim Coordinator", email="kim.private@home.example", account=people.coordinator)
    maria = Person.objects.create(name="Maria Board", email="maria.private@home.example", account=people.board)
    olle = Person.objects.create(name="Olle Former")
    people.kim_term = BoardTerm.objects.create(person=kim, role=BoardRole.CO_OPTED, start=LONG_AGO)
    people.maria_term = BoardTerm.objects.create(person=maria, role=BoardRole.CHAIR, start=LONG_AGO)
    people.olle_term = BoardTerm.objects.create(
        person=olle, role=BoardRole.TREASURER, start=LONG_AGO, end=TODAY - timedelta(days=30)
    )
    return people


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.COORDINATOR, 200), (Role.BOARD_MEMBER, 200), (Role.AUDITOR, 200), (Role.SUPPORT_PERSON, 403)],
)
def test_who_may_see_the_board(client, board, role, status):
    login_verified(client, board.by_role()[role])
    response = client.get(reverse("board"))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Maria Board" in page and "Kim Coordinator" in page and "Olle Former" in page
        assert response.context["rule"].ok
        assert [t.pk for t in response.context["current"]] == [board.maria_term.pk, board.kim_term.pk]
        assert [t.pk for t in response.context["past"]] == [board.olle_term.pk]
        # Names and roles only: no contact details on the board page.
        assert "private@home.example" not in page
        may_change = role == Role.COORDINATOR
        assert (reverse("board_term_create") in page) is may_change
        assert (reverse("board_term_end", args=[board.maria_term.pk]) in page) is may_change
        assert (reverse("federation_export", args=["csv"]) in page) is may_change


def test_the_page_says_when_the_rule_is_broken(client, board):
    board.kim_term.delete()
    login_verified(client, board.board)
    response = client.get(reverse("board"))
    rule = response.context["rule"]
    assert not rule.ok
    for problem in rule.problems:
        assert problem in response.content.decode()


@pytest.mark.parametrize("role", [Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR])
def test_only_the_coordinator_may_change_the_board(client, board, role):
    login_verified(client, board.by_role()[role])
    assert client.get(reverse("board_term_create")).status_code == 403
    body = {"person": board.maria_term.person_id, "role": BoardRole.MEMBER, "start": TODAY.isoformat()}
    assert client.post(reverse("board_term_create"), body).status_code == 403
    end = reverse("board_term_end", args=[board.maria_term.pk])
    assert client.post(end, {"end": TODAY.isoformat()}).status_code == 403
    assert client.post(reverse("federation_export", args=["csv"])).status_code == 403
    assert BoardTerm.objects.count() == 3
    board.maria_term.refresh_from_db()
    assert board.maria_term.end is None


def test_the_coordinator_may_open_the_new_term_form(client, board):
    login_verified(client, board.coordinator)
    assert client.get(reverse("board_term_create")).status_code == 200


def test_ending_a_term_applies_the_leaving_rules(client, board):
    """Maria's account is for her board seat: the term stops today, so does her access."""
    login_verified(client, board.coordinator)
    response = client.post(reverse("board_term_end", args=[board.maria_term.pk]), {"end": TODAY.isoformat()})
    assert response.status_code == 302 and response["Location"] == reverse("board")
    board.maria_term.refresh_from_db()
    assert board.maria_term.end == TODAY
    board.board.refresh_from_db()
    assert not board.board.is_active
    # The term is now among the earlier ones, and cannot be ended again.
    login_verified(client, board.coordinator)
    assert board.maria_term in client.get(reverse("board")).context["past"]


def test_a_term_stopping_later_keeps_access_until_then(client, board):
    login_verified(client, board.coordinator)
    later = TODAY + timedelta(days=14)
    client.post(reverse("board_term_end", args=[board.maria_term.pk]), {"end": later.isoformat()})
    board.maria_term.refresh_from_db()
    assert board.maria_term.end == later
    board.board.refresh_from_db()
    assert board.board.is_active


def test_an_end_before_the_start_is_refused(client, board):
    login_verified(client, board.coordinator)
    end = reverse("board_term_end", args=[board.maria_term.pk])
    response = client.post(end, {"end": (LONG_AGO - timedelta(days=1)).isoformat()}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    board.maria_term.refresh_from_db()
    assert board.maria_term.end is None


@pytest.mark.parametrize("body", [{}, {"end": "not a date"}])
def test_a_missing_end_date_changes_nothing(client, board, body):
    login_verified(client, board.coordinator)
    client.post(reverse("board_term_end", args=[board.maria_term.pk]), body)
    board.maria_term.refresh_from_db()
    assert board.maria_term.end is None


def test_an_ended_term_cannot_be_ended_again(client, board):
    login_verified(client, board.coordinator)
    before = board.olle_term.end
    client.post(reverse("board_term_end", args=[board.olle_term.pk]), {"end": TODAY.isoformat()})
    board.olle_term.refresh_from_db()
    assert board.olle_term.end == before


def test_ending_is_post_only_and_unknown_terms_are_404(client, board):
    login_verified(client, board.coordinator)
    assert client.get(reverse("board_term_end", args=[board.maria_term.pk])).status_code == 405
    assert client.post(reverse("board_term_end", args=[999999]), {"end": TODAY.isoformat()}).status_code == 404


def test_the_pages_keep_to_the_csp(client, board):
    """The board page with rows, messages and the rule broken, and the form with its errors."""
    from tests.jour.test_security_headers import problems_of

    board.kim_term.delete()
    login_verified(client, board.coordinator)
    client.post(reverse("board_term_end", args=[board.maria_term.pk]), {"end": "not a date"})  # a message
    found = problems_of(client.get(reverse("board")), "board")
    body = {"person": board.maria_term.person_id, "role": BoardRole.CO_OPTED, "start": TODAY.isoformat()}
    found += problems_of(client.post(reverse("board_term_create"), body), "board_term_create")
    assert found == []


@pytest.mark.parametrize(
    "body",
    [
        {"person": "\x00", "role": "chair", "start": "2025-01-01"},
        {"person": "999999", "role": "nonsense", "start": "0000-00-00", "end": "\x00"},
        {"person": ["1", "2"], "role": ["chair", "co_opted"], "start": "2025-13-40"},
        {"person": "1" * 5000, "role": "💥", "start": "a" * 10000},
        {},
    ],
)
def test_junk_never_breaks_the_pages(client, board, body):
    login_verified(client, board.coordinator)
    assert client.post(reverse("board_term_create"), body).status_code == 200
    end = reverse("board_term_end", args=[board.maria_term.pk])
    assert client.post(end, {"end": body.get("end", ["\x00", "2025-13-40"])}).status_code == 302
    assert BoardTerm.objects.count() == 3
    board.maria_term.refresh_from_db()
    assert board.maria_term.end is None
