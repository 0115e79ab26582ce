"""cases/0015: the cases registered before the search columns existed get them
filled, folded as Case.save folds them; anonymous and anonymised cases stay empty."""

from datetime import UTC, datetime, timedelta

import pytest

from cases import search
from tests.migrating import at_state, migrate

BEFORE = [("cases", "0014_search_fields")]
AFTER = [("cases", "0015_fill_search_fields")]


@pytest.fixture
def before():
    yield from at_state(BEFORE)


def _case(apps, n, **seeker):
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
        channel="phone",
        crime_type="assault",
        first_contact_due=at + timedelta(days=2),
        first_contact_warn_at=at + timedelta(days=1),
        **seeker,
    )


@pytest.mark.django_db(transaction=True)
def test_old_cases_get_their_search_columns(before):
    seeker = {"first_name": "Åsa", "last_name": "Östlund", "phone": "+46 70-123 45 67", "email": "Asa@Seeker.example"}
    named = _case(before, 1, **seeker)
    anonymous = _case(before, 2, anonymous=True)
    removed = _case(before, 3, first_name="", anonymised_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert before.get_model("cases", "Case").objects.get(pk=named.pk).search_key == ""

    after = migrate(AFTER)
    Case = after.get_model("cases", "Case")
    row = Case.objects.values("search_key", "phone_digits").get(pk=named.pk)
    # The same as the running code writes on a save.
    assert (row["search_key"], row["phone_digits"]) == search.keys(**seeker, anonymous=False)
    assert row == {"search_key": "asa ostlund asa@seeker.example", "phone_digits": "701234567"}
    for case in (anonymous, removed):
        assert Case.objects.values_list("search_key", "phone_digits").get(pk=case.pk) == ("", "")
