"""jour.paging.CappedPaginator: exact below the cap, "more than" above it, and always
counted far enough for the asked page's "next" link."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jour.models import Role, User
from jour.paging import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    User.objects.bulk_create(User(email=f"p{n}@jour.test", name=f"P {n}", role=Role.SUPPORT_PERSON) for n in range(23))
    return User.objects.filter(email__startswith="p").order_by("email")


def test_below_the_cap_the_count_is_exact(users):
    paginator = CappedPaginator(users, 5, cap=100)
    assert (paginator.count, paginator.more, paginator.num_pages) == (23, False, 5)


def test_above_the_cap_it_says_more_and_pages_on(users):
    paginator = CappedPaginator(users, 5, cap=10)
    page = paginator.get_page(1)
    assert (paginator.count, paginator.more, paginator.num_pages) == (10, True, 2)
    assert list(page) == list(users[:5])  # the rows still in the list's order
    assert page.has_next()


@pytest.mark.parametrize("asked", [2, 3, 4])
def test_the_asked_page_and_the_next_are_always_counted(users, asked):
    paginator = CappedPaginator(users, 5, asked=str(asked), cap=5)
    page = paginator.get_page(str(asked))
    assert page.number == asked and len(page) == 5
    assert page.has_next()  # page 5 holds the last three


def test_the_last_page_is_exact(users):
    paginator = CappedPaginator(users, 5, asked="5", cap=5)
    page = paginator.get_page("5")
    assert (paginator.count, paginator.more, len(page), page.has_next()) == (23, False, 3, False)


@pytest.mark.parametrize("asked", [None, "", "x", "-3", "0", "9" * 5000])
def test_a_bad_page_parameter_counts_from_the_start(users, asked):
    paginator = CappedPaginator(users, 5, asked=asked, cap=10)
    assert paginator.counted_to == 10
    assert paginator.get_page(asked).number in (1, 2)  # Django's own answer to a bad number


def test_one_query_counts_without_sorting(users):
    paginator = CappedPaginator(users, 5, cap=10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 10 and paginator.more
    assert len(queries) == 1
    assert "LIMIT 11" in queries[0]["sql"] and "ORDER BY" not in queries[0]["sql"]
