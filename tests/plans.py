"""PostgreSQL's plan for a queryset, for tests that an index can answer it."""

from django.db import connection


def query_plan(queryset, *, forbid: tuple[str, ...] = ("seqscan",)) -> str:
    """EXPLAIN of `queryset` with the plan kinds in `forbid` (enable_<kind>) switched
    off: a test's handful of rows favour reading the table, and sorting it, over any
    index; forbidding those shows whether an index can do the work. The settings
    last until the test's transaction ends."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for kind in forbid:
            cursor.execute(f"SET LOCAL enable_{kind} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
