"""Finding a case from what a caller says: a case number, a name, a phone number
or an e-mail address.

A case keeps two search columns next to the seeker's fields, written on every
save (Case.save): ``search_key``, the names and e-mail address folded to lower
case without accents, and ``phone_digits``, the phone number as its national
digits. A term is folded the same way, so "asa" finds Åsa and "070-123 45 67"
finds "+46 70 123 45 67" with a plain LIKE on PostgreSQL and on SQLite alike:
no database extension, no collation of either. Both columns are emptied with
the personal data (cases.retention.anonymise) and hold nothing for an
anonymous contact.

This module imports no model: Case.save uses it.
"""

import re
import unicodedata

from django.db.models import Q

# Letters NFKD does not take apart into a base letter and a mark.
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"})

# A term of digits and the characters people put between them reads as a phone
# number (or a case number, "2026-0012"); it must hold this many digits.
PHONE_TERM = re.compile(r"\+?[\d\s\-/().]+")
PHONE_MIN_DIGITS = 3
TERM_MAX_LENGTH = 100


def fold(text: str) -> str:
    """Lower case, without accents: "Östlund" and "ostlund" fold alike."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.translate(_LETTERS)


def phone_digits(value: str) -> str:
    """The national number without punctuation, country code or leading zero:
    070-123 45 67 and +46 70 123 45 67 give the same digits."""
    digits = re.sub(r"\D", "", value or "")
    stripped = value.strip() if value else ""
    if stripped.startswith(("+", "00")):
        for prefix in ("0046", "46"):
            if digits.startswith(prefix):
                digits = digits[len(prefix) :]
                break
    return digits.lstrip("0")


def keys(*, first_name: str, last_name: str, email: str, phone: str, anonymous: bool) -> tuple[str, str]:
    """(search_key, phone_digits) of a case's seeker; empty for an anonymous contact."""
    if anonymous:
        return "", ""
    words = " ".join(part.strip() for part in (first_name, last_name, email) if part and part.strip())
    return " ".join(fold(words).split()), phone_digits(phone)


def clean_term(raw: str) -> str:
    """The term as it is searched for: spaces collapsed, at most TERM_MAX_LENGTH characters."""
    return " ".join((raw or "").split())[:TERM_MAX_LENGTH]


def matching(term: str) -> Q:
    """The cases a term finds.

    Each word must be in the names, the e-mail address or the case number; a term
    that reads as a phone number finds it by its digits in any format, and also
    a case number or an e-mail address holding it as typed.
    """
    term = clean_term(term)
    if not term:
        return Q()
    if PHONE_TERM.fullmatch(term):
        digits = phone_digits(term)
        if len(re.sub(r"\D", "", term)) >= PHONE_MIN_DIGITS and digits:
            return (
                Q(phone_digits__contains=digits)
                | Q(number__contains=term)
                | Q(search_key__contains=fold(term).replace(" ", ""))
            )
    condition = Q()
    for word in fold(term).split():
        condition &= Q(search_key__contains=word) | Q(number__icontains=word)
    return condition
