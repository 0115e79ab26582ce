"""Sweden's 290 municipalities (kommuner): the official code, name and county.

A case records its municipality as the four-digit code (blank: not known), so
that statistics group on a fixed list instead of whatever was typed: a
free-text "Lillby" names a place only the jour's own cases use, and an
official list can be shared with the federation. ``data/municipalities.csv``
is SCB's list (code, short name without "kommun", county), checked against
three sources; the set has not changed since 2007.
"""

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).parent / "data" / "municipalities.csv"
# What people add to a municipality's name: "Lunds kommun", "Malmö stad".
SUFFIXES = (" kommun", " stad")
# Å, Ä and Ö come after Z in Swedish; É sorts as E and Ü as Y.
_SWEDISH_ORDER = str.maketrans({"å": "z\x01", "ä": "z\x02", "ö": "z\x03", "é": "e", "ü": "y"})


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    county_name: str


@cache
def _by_code() -> dict[str, Municipality]:
    with SOURCE.open(encoding="utf-8", newline="") as file:
        return {row["code"]: Municipality(**row) for row in csv.DictReader(file)}


@cache
def _by_name() -> dict[str, str]:
    return {_folded(m.name): code for code, m in _by_code().items()}


def _folded(text: str) -> str:
    """Case and Unicode form do not matter: "LUND", "lund" and a decomposed "å" are the same."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def swedish_order(name: str) -> str:
    """A sort key that puts names in Swedish alphabetical order (Å, Ä, Ö last)."""
    return _folded(name).translate(_SWEDISH_ORDER)


def every() -> list[Municipality]:
    """All 290, in code order (county by county)."""
    return list(_by_code().values())


def choices() -> list[tuple[str, str]]:
    """(code, name) in Swedish alphabetical order: the case form's list."""
    return sorted(((m.code, m.name) for m in every()), key=lambda choice: swedish_order(choice[1]))


def name(code: str) -> str:
    """The municipality's name; "" for a blank or unknown code."""
    found = _by_code().get(code or "")
    return found.name if found else ""


def county(code: str) -> str:
    """The county (län) the municipality belongs to; "" for a blank or unknown code."""
    found = _by_code().get(code or "")
    return found.county_name if found else ""


def code_for(text: str) -> str:
    """The code of a municipality given by name or code; "" when nothing matches.

    Case and spaces around do not matter, nor the Unicode form of å, ä and ö;
    "Lunds kommun" and "Malmö stad" are Lund and Malmö."""
    folded = _folded(text or "")
    if folded in _by_code():
        return folded
    if folded in _by_name():
        return _by_name()[folded]
    for suffix in SUFFIXES:
        if folded.endswith(suffix):
            stem = folded[: -len(suffix)].strip()
            # The genitive: "Lunds kommun" is Lund (no municipality's name is another's plus "s").
            for candidate in (stem, stem[:-1] if stem.endswith("s") else None):
                if candidate and candidate in _by_name():
                    return _by_name()[candidate]
    return ""
