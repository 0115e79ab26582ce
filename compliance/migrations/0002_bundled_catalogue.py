"""Load the catalogue files shipped in compliance/catalogue/ (the 2021-09-24 revision)."""

from django.db import migrations


def load(apps, schema_editor):
    from compliance import catalogue

    catalogue.load_bundled(models=(apps.get_model("compliance", "CatalogueRevision"), apps.get_model("compliance", "Requirement")))


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
