"""Ids that come from a request: a row's key, or nothing.

Every table's key is a bigint. A longer number used to reach the database and
come back as a server error (SQLite: OverflowError; a `__in` list of ids is not
bounded by Django), and `str.isdigit()` is true for "²", which int() refuses.
"""

MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """The id in `raw` (text of ASCII digits, or an int) if a key column can hold it, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
            return None
        raw = int(raw)
    if not isinstance(raw, int):
        return None
    return raw if 0 < raw <= MAX_ID else None
