"""Find a value anywhere in the database.

Every text, character and JSON column of every table is searched, whatever
app it belongs to (auditlog's, axes', the sessions' included), so a test can
show that an erased person's name, e-mail address or phone number is left
nowhere. Case-insensitive; LIKE wildcards in the needle are taken literally.

    hits = find_in_database(["Zlatana", "zlatana@example.se"])
    assert hits == []                      # each hit names table, column, needle

Tables are read through `connection.introspection`, so a table added later is
searched too without changing this file. Session rows are also decoded and
searched, since their stored form is encoded.
"""

import json
from dataclasses import dataclass

from django.db import connection

# Django field types (as introspection reports a column) whose values are text.
TEXT_FIELD_TYPES = {
    "CharField",
    "TextField",
    "EmailField",
    "SlugField",
    "URLField",
    "JSONField",
    "GenericIPAddressField",
}


@dataclass(frozen=True)
class Hit:
    table: str
    column: str
    needle: str


def text_columns() -> list[tuple[str, str]]:
    """(table, column) for every text-like column of every table."""
    introspection = connection.introspection
    found = []
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            for column in introspection.get_table_description(cursor, table):
                try:
                    field_type = introspection.get_field_type(column.type_code, column)
                except KeyError:
                    continue  # a type Django does not map (arrays, ranges): no text of ours
                if field_type in TEXT_FIELD_TYPES:
                    found.append((table, column.name))
    return found


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _variants(needle: str) -> list[str]:
    """The needle, and the form it takes inside JSON text when not ASCII."""
    variants = [needle]
    in_json = json.dumps(needle)[1:-1]
    if in_json != needle:
        variants.append(in_json)
    return variants


def find_in_database(needles, *, skip_tables=()) -> list[Hit]:
    """Every (table, column, needle) where a column holds one of `needles`."""
    needles = [needle for needle in needles if needle]
    if not needles:
        return []
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        compare = "CAST({column} AS TEXT) ILIKE %s ESCAPE '\\'"
    else:
        compare = "UPPER(CAST({column} AS TEXT)) LIKE UPPER(%s) ESCAPE '\\'"
    hits = _in_decoded_sessions(needles) if "django_session" not in skip_tables else []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            if table in skip_tables:
                continue
            condition = compare.format(column=quote(column))
            for needle in needles:
                patterns = [_like_pattern(variant) for variant in _variants(needle)]
                where = " OR ".join([condition] * len(patterns))
                # Table and column names come from introspection and are quoted; values are parameters.
                sql = f"SELECT 1 FROM {quote(table)} WHERE {where} LIMIT 1"  # noqa: S608
                cursor.execute(sql, patterns)
                if cursor.fetchone():
                    hits.append(Hit(table, column, needle))
    return hits


def _in_decoded_sessions(needles) -> list[Hit]:
    """Session rows are signed and base64-encoded, so a LIKE on them sees
    nothing: decode each one (messages waiting to be shown live there too)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    if Session._meta.db_table not in connection.introspection.table_names():
        return []
    store = SessionStore()
    decoded = [
        json.dumps(store.decode(data), default=str, ensure_ascii=False).casefold()
        for data in Session.objects.values_list("session_data", flat=True)
    ]
    return [
        Hit(Session._meta.db_table, "session_data (decoded)", needle)
        for needle in needles
        if any(needle.casefold() in text for text in decoded)
    ]


def tables_holding(needles, **kwargs) -> set[str]:
    return {hit.table for hit in find_in_database(needles, **kwargs)}
