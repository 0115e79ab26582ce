# A routine is for a crime type or for a special circumstance (issue 21), the
# schema; 0003 maps the old categories, 0004 removes them.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("cases", "0010_federation_fields")]

    operations = [
        migrations.AddField(
            model_name="routine",
            name="crime_type",
            field=models.CharField(blank=True, max_length=20, null=True, unique=True, verbose_name="for cases of"),
        ),
        migrations.AddField(
            model_name="routine",
            name="circumstance",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="routine",
                to="cases.circumstance",
                verbose_name="or for cases marked",
            ),
        ),
    ]
