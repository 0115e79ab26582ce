"""Who counts as the same seeker (cases/seeker_data.related_cases): the case
itself, any case with exactly the same phone number, and any case with the
same e-mail address in any letter case; and that PostgreSQL finds them by
index, not by reading every case (the erase page and the art. 15 export)."""

import pytest
from django.db import connection

from cases.seeker_data import related_cases
from tests.plans import query_plan

from .factories import make_case


@pytest.fixture
def seekers(people):
    asked = make_case(people.coordinator, first_name="Gunvor", phone="070-555 44 21", email="Gunvor.T@seeker.example")
    same_phone = make_case(people.coordinator, first_name="Gunvor", phone="070-555 44 21", email="")
    same_email = make_case(people.coordinator, first_name="G", phone="", email="gunvor.t@SEEKER.example")
    # The same digits written otherwise, and a different address: someone else as far as the export goes.
    make_case(people.coordinator, first_name="Gun", phone="0705554421", email="gunvor@seeker.example")
    make_case(people.coordinator, first_name="Ingegerd", phone="", email="")
    return asked, same_phone, same_email


def test_the_same_phone_or_email_in_any_case_and_nothing_else(seekers):
    asked, same_phone, same_email = seekers
    assert set(related_cases(asked)) == {asked, same_phone, same_email}
    assert set(related_cases(same_phone)) == {asked, same_phone}
    assert set(related_cases(same_email)) == {asked, same_email}


def test_a_case_without_phone_or_email_is_only_itself(people):
    alone = make_case(people.coordinator, first_name="Ingegerd", phone="", email="")
    make_case(people.coordinator, first_name="Ingrid", phone="", email="")
    assert list(related_cases(alone)) == [alone]


def test_postgresql_finds_them_by_index(seekers):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    asked, _same_phone, _same_email = seekers
    plan = query_plan(related_cases(asked))
    assert "case_phone_idx" in plan and "case_email_idx" in plan, plan
    assert "Seq Scan" not in plan, plan
