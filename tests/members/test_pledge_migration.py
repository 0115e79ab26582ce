"""members/0002: the pledges recorded on volunteer assignments move to their
people, one per person and signing date, and the assignment's fields are gone.
Run with Django's migration executor on real rows, forwards and back."""

from datetime import date

import pytest

from tests.migrating import at_state, migrate

BEFORE = [("members", "0001_initial")]
AFTER = [("members", "0002_pledges_and_invitations")]


@pytest.fixture
def at_0001():
    """The database as it was before the pledge became the person's; the
    latest schema again afterwards, whatever the test did."""
    yield from at_state(BEFORE)


@pytest.mark.django_db(transaction=True)
def test_pledges_move_to_their_people_and_back(at_0001):
    Person = at_0001.get_model("members", "Person")
    Assignment = at_0001.get_model("members", "VolunteerAssignment")
    vera = Person.objects.create(name="Vera")
    # Two assignments pledged the same day: one pledge, with the scan of the newest that has one.
    Assignment.objects.create(
        person=vera,
        start=date(2019, 1, 1),
        end=date(2020, 1, 1),
        pledge_signed_on=date(2018, 12, 1),
        pledge_scan="pledges/a.pdf",
    )
    Assignment.objects.create(
        person=vera, start=date(2021, 1, 1), end=date(2022, 1, 1), pledge_signed_on=date(2018, 12, 1)
    )
    # A new pledge on a later assignment: a second pledge of the same person.
    Assignment.objects.create(
        person=vera, start=date(2023, 1, 1), pledge_signed_on=date(2023, 2, 1), pledge_scan="pledges/b.png"
    )
    # A scan without a date: kept, on a pledge dated the assignment's start.
    ulla = Person.objects.create(name="Ulla")
    Assignment.objects.create(person=ulla, start=date(2024, 3, 1), pledge_scan="pledges/c.pdf")
    # Nothing recorded: no pledge.
    nils = Person.objects.create(name="Nils")
    Assignment.objects.create(person=nils, start=date(2024, 1, 1))

    after = migrate(AFTER)

    Pledge = after.get_model("members", "ConfidentialityPledge")
    moved = sorted(Pledge.objects.values_list("person_id", "signed_on", "scan", "template_version", "recorded_by"))
    assert moved == [
        (vera.pk, date(2018, 12, 1), "pledges/a.pdf", "", None),
        (vera.pk, date(2023, 2, 1), "pledges/b.png", "", None),
        (ulla.pk, date(2024, 3, 1), "pledges/c.pdf", "", None),
    ]
    fields = {field.name for field in after.get_model("members", "VolunteerAssignment")._meta.get_fields()}
    assert "pledge_signed_on" not in fields and "pledge_scan" not in fields
    assert after.get_model("members", "VolunteerAssignment").objects.count() == 5

    before = migrate(BEFORE)

    back = before.get_model("members", "VolunteerAssignment").objects.order_by("start")
    assert [(a.person_id, a.pledge_signed_on, a.pledge_scan.name) for a in back] == [
        (vera.pk, date(2023, 2, 1), "pledges/b.png"),
        (vera.pk, date(2023, 2, 1), "pledges/b.png"),
        (vera.pk, date(2023, 2, 1), "pledges/b.png"),
        (nils.pk, None, ""),
        (ulla.pk, date(2024, 3, 1), "pledges/c.pdf"),
    ]
