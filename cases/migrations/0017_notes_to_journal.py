"""The case's old notes field becomes the first entry of its journal.

The notes' author and time were never recorded: the entry has no author and
is dated when the case was registered, the earliest the notes can have been
written. Backwards, the journal is written back into the notes, oldest entry
first, each later one with its date and author, so nothing is lost either way.
Kept apart from the schema changes: PostgreSQL refuses to alter a table in
the transaction that has just written rows to it ("pending trigger events").
"""

from django.db import migrations
from django.utils import timezone


def notes_to_journal(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    JournalEntry = apps.get_model("cases", "JournalEntry")
    with_notes = Case.objects.exclude(notes="").only("pk", "notes", "registered_at").order_by("pk")
    for case in with_notes.iterator(chunk_size=500):
        if case.notes.strip():
            JournalEntry.objects.create(case=case, text=case.notes, written_at=case.registered_at, author=None)


def journal_to_notes(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    JournalEntry = apps.get_model("cases", "JournalEntry")
    texts: dict[int, list[str]] = {}
    entries = JournalEntry.objects.select_related("author").order_by("case_id", "written_at", "pk")
    for entry in entries.iterator(chunk_size=500):
        if entry.author is None:
            text = entry.text
        else:
            when = timezone.localtime(entry.written_at).strftime("%Y-%m-%d %H:%M")
            text = f"{when} {entry.author.name}: {entry.text}"
        texts.setdefault(entry.case_id, []).append(text)
    for case_id, parts in texts.items():
        Case.objects.filter(pk=case_id).update(notes="\n\n".join(parts))
    JournalEntry.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_journal_entry")]

    operations = [migrations.RunPython(notes_to_journal, journal_to_notes)]
