"""PostgreSQL's plan for a queryset, for tests that an index can answer it."""

from django.db import connection


def query_plan(queryset, *, forbid: tuple[str, ...] = ("seqscan",)) -> str:
    """EXPLAIN of `queryset` with the plan kinds in `forbid` (enable_<kind>) switched
    off: a test's handful of rows favour reading the table, and sorting it, over any
    index; forbidding those shows whether an index can do the work. The settings
    last until the test's transaction ends.

    The table is analysed first, its test rows included: otherwise the plan depends on
    whether autovacuum happened to analyse it, empty, during the run (a plan test
    failed only after another module's rows had come and gone)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(queryset.model._meta.db_table)}")
        for kind in forbid:
            cursor.execute(f"SET LOCAL enable_{kind} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
