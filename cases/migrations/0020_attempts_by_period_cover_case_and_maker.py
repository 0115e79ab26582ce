"""The index of attempts by the time they were made (attempt_made_idx) also holds
each attempt's case and maker, on PostgreSQL: the statistics count a period's
attempts by the seeker's gender and by who made them, and read them from the
index alone (an index-only scan) instead of one heap row per attempt.

PostgreSQL only, like 0002: SQLite has no INCLUDE, and Django's check warns of
a model index with one there. The model keeps its plain Index(fields=["made_at"])
under the same name, so the migration state is unchanged.
"""

from django.db import migrations

COVERING = "CREATE INDEX attempt_made_idx ON cases_contactattempt (made_at) INCLUDE (case_id, made_by_id)"
PLAIN = "CREATE INDEX attempt_made_idx ON cases_contactattempt (made_at)"


def _rebuild(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS attempt_made_idx")
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("cases", "0019_start_page_indexes")]
    operations = [migrations.RunPython(_rebuild(COVERING), _rebuild(PLAIN))]
