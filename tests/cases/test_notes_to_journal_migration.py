"""cases/0016-0018: each case's old notes become the first entry of its journal
(no author, dated when the case was registered), cases without notes get none,
and the notes field goes. Backwards the journal is written into the notes again.
Run with Django's migration executor on real rows."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.migrating import at_state, migrate

BEFORE = [("cases", "0015_fill_search_fields")]
AFTER = [("cases", "0018_remove_case_notes")]
NOTES = "Ring efter lunch.\nHon har en hund."


@pytest.fixture
def before():
    yield from at_state(BEFORE)


def _case(apps, n, notes):
    Case = apps.get_model("cases", "Case")
    User = apps.get_model("jour", "User")
    by, _created = User.objects.get_or_create(email="c@jour.test", defaults={"name": "Kim", "role": "coordinator"})
    at = datetime(2025, 3, 1, 10, tzinfo=UTC) + timedelta(days=n)
    return Case.objects.create(
        number=f"2025-{n:04d}",
        year=2025,
        sequence=n,
        received_at=at,
        registered_at=at + timedelta(hours=1),
        registered_by=by,
        channel="phone",
        crime_type="assault",
        first_contact_by="seeker",
        first_name="Alex",
        notes=notes,
        first_contact_due=at + timedelta(days=2),
        first_contact_warn_at=at + timedelta(days=1),
    )


@pytest.mark.django_db(transaction=True)
def test_the_notes_become_the_first_entry_and_come_back(before):
    with_notes = _case(before, 1, NOTES)
    without = _case(before, 2, "")
    blank = _case(before, 3, "  \n ")

    after = migrate(AFTER)

    Case, JournalEntry = after.get_model("cases", "Case"), after.get_model("cases", "JournalEntry")
    assert "notes" not in {field.name for field in Case._meta.get_fields()}
    entry = JournalEntry.objects.get()
    assert (entry.case_id, entry.text, entry.author_id) == (with_notes.pk, NOTES, None)
    assert entry.written_at == with_notes.registered_at
    assert not JournalEntry.objects.filter(case_id__in=[without.pk, blank.pk]).exists()

    # A later entry, then back: nothing written is lost.
    User = after.get_model("jour", "User")
    JournalEntry.objects.create(
        case_id=with_notes.pk,
        text="Mötet hölls",
        author=User.objects.get(email="c@jour.test"),
        written_at=datetime(2025, 3, 10, 9, tzinfo=UTC),
    )
    back = migrate(BEFORE)
    notes = back.get_model("cases", "Case").objects.get(pk=with_notes.pk).notes
    assert notes.startswith(NOTES + "\n\n2025-03-10 ") and notes.endswith(" Kim: Mötet hölls")
    assert back.get_model("cases", "Case").objects.get(pk=without.pk).notes == ""
