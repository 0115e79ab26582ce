"""The case journal: dated entries, who wrote what and when.

Whoever may work the case writes in it: its coordinators and the support
persons on it now (the views reach the case through Case.objects.visible_to).
An entry is added, never rewritten. A slip noticed at once may be corrected
by its author for CORRECTION_MINUTES: long enough to fix a typo or a wrong
name right after saving, short enough that no colleague has read it and
acted on it. After that a correction is a new entry, so the journal shows
what everyone knew when. A correction is marked on the entry and audited
(who and when; the text itself is masked in the audit log like all free text).

An entry is personal data: masked in the audit log, blanked and removed when
the case is anonymised, removed when a registered case is made anonymous, and
in the seeker's data export (cases/apps.py, retention.py, seeker_data.py).
"""

from datetime import datetime, timedelta

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jour.models import User

from .models import Case, JournalEntry

CORRECTION_MINUTES = 15


def entries(case: Case):
    """Newest first: the person opening a case before calling the seeker needs
    what happened last; the writing box sits above it, where the next entry goes."""
    return case.journal.select_related("author").order_by("-written_at", "-pk")


def _refuse_if_closed_to_writing(case: Case) -> None:
    if case.anonymised_at:
        raise ValidationError(_("The personal data of this case has been removed; nothing more is recorded on it."))
    if case.anonymous:
        raise ValidationError(_("An anonymous contact has no journal: only statistics are recorded for it."))


def write(*, case: Case, text: str, by: User, now: datetime | None = None) -> JournalEntry:
    """Add an entry, written by `by` now. A closed case still takes one: a call
    after closing is worth a line."""
    with transaction.atomic(), set_actor(by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        _refuse_if_closed_to_writing(case)
        entry = JournalEntry(case=case, text=text.strip(), author=by, written_at=now or timezone.now())
        entry.full_clean(exclude=["case", "author"])
        entry.save()
    return entry


def correction_ends(entry: JournalEntry) -> datetime:
    return entry.written_at + timedelta(minutes=CORRECTION_MINUTES)


def may_correct(entry: JournalEntry, user: User, now: datetime | None = None) -> bool:
    """Its author, within the correction window (correct() also refuses a case without personal data)."""
    mine = entry.author_id is not None and entry.author_id == user.pk
    return mine and (now or timezone.now()) < correction_ends(entry)


def correct(*, entry: JournalEntry, text: str, by: User, now: datetime | None = None) -> JournalEntry:
    now = now or timezone.now()
    with transaction.atomic(), set_actor(by):
        entry = JournalEntry.objects.select_for_update().select_related("case").get(pk=entry.pk)
        _refuse_if_closed_to_writing(entry.case)
        if not may_correct(entry, by, now):
            raise ValidationError(
                _(
                    "Only its author can correct an entry, within %(minutes)s minutes of writing it. "
                    "Write a new entry that says what was wrong."
                )
                % {"minutes": CORRECTION_MINUTES}
            )
        text = text.strip()
        if text == entry.text:
            return entry
        entry.text = text
        entry.corrected_at = now
        entry.full_clean(exclude=["case", "author"])
        entry.save(update_fields=["text", "corrected_at"])
    return entry


def remove_all(case: Case) -> int:
    """Delete the journal of a case made anonymous. One delete per row, so the
    audit log records each (the text masked, as always)."""
    removed = 0
    for entry in case.journal.all():
        entry.delete()
        removed += 1
    return removed
