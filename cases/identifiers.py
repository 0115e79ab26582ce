"""What identifies a seeker, indexed, so that free text can be checked against
every seeker the jour holds in one lookup.

The calendar, and everything that leaves the site, may hold a first name and
nothing more. Every case keeps its identifying values normalised in
SeekerIdentifier: the parts of the surname, the phone number as digits (the
national number and its last seven digits) and the e-mail address. A text is
cut into the same kinds of tokens, and one indexed query says whether any of
them belongs to a seeker. A Swedish personal identity number is refused by its
shape alone: the jour stores none. The rows are kept current by cases.services
(register, edit) and removed when a case is anonymised.
"""

import re
import unicodedata

from .models import Case, SeekerIdentifier
from .search import phone_digits

# YYYYMMDD and four digits (a separator or not), or YYMMDD-XXXX with its
# separator: ten digits in a row are as likely a mobile number (070...).
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
PERSONNUMMER = re.compile(rf"(?<!\d)(?:(?:19|20)\d{{2}}{_DATE}[-+ ]?\d{{4}}|\d{{2}}{_DATE}[-+]\d{{4}})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d \-/().]{4,}\d")
WORD = re.compile(r"\w+")
TAIL = 7  # the last digits of a number, which identify it without its area code


def _text(value: str) -> str:
    # Compare composed characters: some keyboards send "ö" as "o" + a combining mark.
    return unicodedata.normalize("NFC", value or "").lower()


def values_of(case: Case) -> set[tuple[str, str]]:
    """(kind, value) pairs that identify the seeker of `case`."""
    if case.anonymised_at or case.anonymous:
        return set()
    found = set()
    for part in re.split(r"[\s-]+", _text(case.last_name)):
        if len(part) >= 2:
            found.add((SeekerIdentifier.SURNAME, part))
    digits = phone_digits(case.phone)
    if len(digits) >= TAIL:
        found.add((SeekerIdentifier.PHONE, digits))
        found.add((SeekerIdentifier.PHONE, digits[-TAIL:]))
    if case.email.strip():
        found.add((SeekerIdentifier.EMAIL, _text(case.email.strip())))
    return found


def refresh(case: Case) -> None:
    """Make the index hold exactly the case's current values."""
    wanted = values_of(case)
    current = {(row.kind, row.value): row.pk for row in SeekerIdentifier.objects.filter(case=case)}
    stale = [pk for key, pk in current.items() if key not in wanted]
    if stale:
        SeekerIdentifier.objects.filter(pk__in=stale).delete()
    SeekerIdentifier.objects.bulk_create(
        SeekerIdentifier(case=case, kind=kind, value=value) for kind, value in wanted if (kind, value) not in current
    )


def forget(case: Case) -> None:
    SeekerIdentifier.objects.filter(case=case).delete()


def tokens(text: str) -> set[str]:
    """Every value in `text` that could be an identifier: words (also without a
    genitive s), e-mail addresses and phone numbers as digits."""
    lowered = _text(text)
    found = set(EMAIL.findall(lowered))
    for word in WORD.findall(lowered):
        found.add(word)
        if len(word) > 3 and word.endswith("s"):
            found.add(word[:-1])  # "Anderssons hus"
    for number in PHONE.findall(lowered):
        digits = phone_digits(number)
        if len(digits) >= TAIL:
            found.update({digits, digits[-TAIL:]})
    return found


def carrying_identifiers(texts: dict[str, str]) -> set[str]:
    """The names of the texts that hold a personal identity number, or a surname,
    phone number or e-mail address of any seeker the jour holds. One query."""
    found = {name for name, text in texts.items() if text and PERSONNUMMER.search(text)}
    candidates = {name: tokens(text) for name, text in texts.items() if text and name not in found}
    wanted = set().union(*candidates.values()) if candidates else set()
    if wanted:
        known = set(SeekerIdentifier.objects.filter(value__in=wanted).values_list("value", flat=True))
        found |= {name for name, values in candidates.items() if values & known}
    return found
