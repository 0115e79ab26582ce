"""Evidence from the data for S1 (enough volunteers) and S3 (an employed
coordinator), which were assessed by hand, in the 2021-09-24 revision already
loaded by 0002. S4 and C6 keep their signals (what they count changed in code).

The signals change through catalogue.sync_bundled_signals, as in 0006: the
requirements and the answers of years not yet signed take the file's signals,
a signed year keeps the signals it was signed with. After 0006 this finds
nothing left to change (0006 reads the same file); it stays so that a database
migrated to 0006 before S1 and S3 got their signals takes them.
"""

from django.db import migrations


def sync_signals(apps, schema_editor):
    from compliance import catalogue

    names = ("CatalogueRevision", "Requirement", "Answer")
    catalogue.sync_bundled_signals(models=tuple(apps.get_model("compliance", name) for name in names))


class Migration(migrations.Migration):
    dependencies = [("compliance", "0006_registers_g2_g8_g9_g10")]
    operations = [migrations.RunPython(sync_signals, migrations.RunPython.noop)]
