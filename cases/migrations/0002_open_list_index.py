"""The index behind the open-case lists: waiting cases first, soonest deadline first.

PostgreSQL only: SQLite (the embedded `make run` database) accepts NULLS FIRST in
ORDER BY but not in an index, and a local database is small enough without it.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS case_open_urgent_idx ON cases_case "
    "(first_contact_at ASC NULLS FIRST, first_contact_due) WHERE NOT (status = 'closed')"
)
DROP = "DROP INDEX IF EXISTS case_open_urgent_idx"


def _run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
