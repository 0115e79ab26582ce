"""Evidence from the data for S1 (enough volunteers) and S3 (an employed
coordinator), which were assessed by hand, in the 2021-09-24 revision already
loaded by 0002. S4 and C6 keep their signals (what they count changed in code).

Signed years are left as signed; see compliance.catalogue.resync_bundled_signals.
"""

from django.db import migrations

CODES = ("S1", "S3", "S4", "C6")


def resync(apps, schema_editor):
    from compliance import catalogue

    names = ("CatalogueRevision", "Requirement", "Answer", "Assessment")
    catalogue.resync_bundled_signals(CODES, models=tuple(apps.get_model("compliance", name) for name in names))


class Migration(migrations.Migration):
    dependencies = [("compliance", "0005_answer_justification")]
    operations = [migrations.RunPython(resync, migrations.RunPython.noop)]
