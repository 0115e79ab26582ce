"""cases/0010 and partners/0002: the old crime categories become the
federation's crime types and special circumstances, nothing lost, the guesses
marked for review; routines follow. Run with Django's migration executor on
real rows, forwards and back."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.migrating import at_state, migrate

BEFORE = [("cases", "0009_police_form_is_paper"), ("partners", "0001_initial")]
AFTER = [("cases", "0012_remove_crime_category"), ("partners", "0004_routine_without_category")]

# old category -> (crime type, markers, to review?)
EXPECTED = {
    "close_relationship": ("assault", {"close_relationship"}, True),
    "honour": ("assault", {"honour"}, True),
    "sexual": ("sexual", set(), False),
    "trafficking": ("trafficking", set(), False),
    "threats": ("unlawful_threats", set(), True),
    "assault": ("assault", set(), False),
    "theft": ("theft", set(), True),
    "fraud": ("fraud", set(), False),
    "other": ("other", set(), False),
}


@pytest.fixture
def before():
    yield from at_state(BEFORE)


def _case(apps, n, category, channel="phone", anonymised=False):
    Case = apps.get_model("cases", "Case")
    User = apps.get_model("jour", "User")
    by, _created = User.objects.get_or_create(email="c@jour.test", defaults={"name": "C", "role": "coordinator"})
    at = datetime(2025, 3, 1, 10, tzinfo=UTC) + timedelta(days=n)
    return Case.objects.create(
        number=f"2025-{n:04d}",
        year=2025,
        sequence=n,
        received_at=at,
        registered_by=by,
        channel=channel,
        crime_category=category,
        first_name="Alex",
        first_contact_due=at + timedelta(days=2),
        first_contact_warn_at=at + timedelta(days=1),
        anonymised_at=at + timedelta(days=400) if anonymised else None,
    )


@pytest.mark.django_db(transaction=True)
def test_every_old_category_maps_to_a_type_and_markers_and_back(before):
    cases = {category: _case(before, n, category) for n, category in enumerate(EXPECTED, start=1)}
    old = _case(before, 20, "threats", anonymised=True)  # its data removed: it cannot be edited, so not reviewed
    police = _case(before, 21, "assault", channel="police_referral")
    organisation = _case(before, 22, "assault", channel="other_organisation")
    Routine = before.get_model("partners", "Routine")
    Routine.objects.create(name="Våld i nära relation", crime_category="close_relationship")
    Routine.objects.create(name="Människohandel", crime_category="trafficking")

    after = migrate(AFTER)

    Case = after.get_model("cases", "Case")
    for category, (crime_type, markers, review) in EXPECTED.items():
        case = Case.objects.get(pk=cases[category].pk)
        found = (case.crime_type, {m.code for m in case.circumstances.all()}, case.crime_type_to_review)
        assert found == (crime_type, markers, review), category
    anonymised = Case.objects.get(pk=old.pk)
    assert (anonymised.crime_type, anonymised.crime_type_to_review) == ("unlawful_threats", False)
    by = dict(Case.objects.values_list("pk", "first_contact_by"))
    assert by[police.pk] == "police" and by[organisation.pk] == "other" and by[cases["fraud"].pk] == "seeker"
    Circumstance = after.get_model("cases", "Circumstance")
    assert list(Circumstance.objects.order_by("position").values_list("code", "name")) == [
        ("close_relationship", "Nära relation"),
        ("honour", "Hedersrelaterat"),
        ("hate", "Hatbrott"),
        ("school", "Skolrelaterat"),
    ]
    routines = {
        r.name: (r.crime_type, r.circumstance and r.circumstance.code)
        for r in after.get_model("partners", "Routine").objects.all()
    }
    assert routines == {"Våld i nära relation": (None, "close_relationship"), "Människohandel": ("trafficking", None)}

    back = migrate(BEFORE)

    Case = back.get_model("cases", "Case")
    assert Case.objects.get(pk=cases["close_relationship"].pk).crime_category == "close_relationship"
    assert Case.objects.get(pk=cases["honour"].pk).crime_category == "honour"
    assert Case.objects.get(pk=cases["fraud"].pk).crime_category == "fraud"
    assert Case.objects.count() == len(EXPECTED) + 3
    back_routines = dict(back.get_model("partners", "Routine").objects.values_list("name", "crime_category"))
    assert back_routines == {"Våld i nära relation": "close_relationship", "Människohandel": "trafficking"}
