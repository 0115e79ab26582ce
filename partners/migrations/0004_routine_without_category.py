# The routine's old crime category goes, in a migration of its own: PostgreSQL
# refuses to alter a table in the transaction that just wrote the rows of 0003.

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_map_routines"), ("cases", "0012_remove_crime_category")]

    operations = [
        migrations.RemoveField(model_name="routine", name="crime_category"),
        migrations.AddConstraint(
            model_name="routine",
            constraint=models.CheckConstraint(
                condition=Q(crime_type__isnull=True) | Q(circumstance__isnull=True),
                name="routine_for_a_type_or_a_marker",
            ),
        ),
        migrations.AlterField(
            model_name="routine",
            name="crime_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("assault", "Assault"),
                    ("unlawful_threats", "Unlawful threats"),
                    ("harassment", "Harassment"),
                    ("stalking", "Stalking"),
                    ("integrity", "Gross violation of integrity"),
                    ("sexual", "Sexual offence"),
                    ("homicide", "Murder, manslaughter or attempt"),
                    ("robbery", "Robbery"),
                    ("theft", "Theft"),
                    ("burglary", "Burglary"),
                    ("fraud", "Fraud"),
                    ("damage", "Criminal damage"),
                    ("trafficking", "Trafficking or procuring"),
                    ("traffic", "Traffic offence"),
                    ("other", "Other crime"),
                    ("unknown", "Not known"),
                ],
                max_length=20,
                null=True,
                unique=True,
                verbose_name="for cases of",
            ),
        ),
    ]
