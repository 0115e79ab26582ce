"""Case numbers: YYYY-0001, YYYY-0002… per registration year (Stockholm time), no gaps, no duplicates."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection

from cases.models import Case, CaseNumberSequence
from jour.workdays import STOCKHOLM

from .factories import make_case


def test_numbers_count_per_registration_year(people):
    by = people.coordinator
    in_2025 = datetime(2025, 5, 12, 10, 0, tzinfo=STOCKHOLM)
    in_2026 = datetime(2026, 2, 2, 9, 0, tzinfo=STOCKHOLM)
    first = make_case(by, now=in_2025)
    second = make_case(by, now=in_2025 + timedelta(hours=1))
    new_year = make_case(by, now=in_2026)
    third = make_case(by, now=in_2025 + timedelta(days=3))
    assert [first.number, second.number, third.number] == ["2025-0001", "2025-0002", "2025-0003"]
    assert new_year.number == "2026-0001"
    assert (first.year, first.sequence) == (2025, 1)
    assert (new_year.year, new_year.sequence) == (2026, 1)
    assert dict(CaseNumberSequence.objects.values_list("year", "last_value")) == {2025: 3, 2026: 1}


def test_the_year_is_the_registration_year_in_stockholm(people):
    by = people.coordinator
    # 2026-12-31 23:30 UTC is already 2027-01-01 00:30 in Stockholm.
    new_year_night = datetime(2027, 1, 1, 0, 30, tzinfo=STOCKHOLM)
    case = make_case(by, now=new_year_night)
    assert case.number == "2027-0001"
    # A case that reached the jour in the old year but is registered in the new one
    # takes the registration year.
    back_dated = make_case(
        by, now=new_year_night + timedelta(hours=9), received_at=datetime(2026, 12, 30, 16, 0, tzinfo=STOCKHOLM)
    )
    assert back_dated.number == "2027-0002"
    # Still 2026 in Stockholm.
    old_year_evening = make_case(by, now=datetime(2026, 12, 31, 23, 30, tzinfo=STOCKHOLM))
    assert old_year_evening.number == "2026-0001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_numbers_one_to_eight(people):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency are tested on PostgreSQL")
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    now = datetime(2026, 3, 2, 10, 0, tzinfo=STOCKHOLM)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def register(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            case = make_case(people.coordinator, now=now + timedelta(seconds=i), first_name=f"Parallell{i}")
            with lock:
                numbers.append(case.number)
        except BaseException as error:  # reported below
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sorted(numbers) == [f"2026-{n:04d}" for n in range(1, threads_count + 1)]
    assert sorted(Case.objects.values_list("sequence", flat=True)) == list(range(1, threads_count + 1))
    assert CaseNumberSequence.objects.get(year=2026).last_value == threads_count
