# A routine is for a crime type or for a special circumstance (issue 21): the
# routines of the old categories "violence in close relationships" and
# "honour-related violence" become the routines of those markers, the others
# the routine of the crime type the category maps to.

from django.db import migrations, models
from django.db.models import Q
import django.db.models.deletion

TO_MARKER = {"close_relationship": "close_relationship", "honour": "honour"}
TO_TYPE = {
    "sexual": "sexual",
    "trafficking": "trafficking",
    "threats": "unlawful_threats",
    "assault": "assault",
    "theft": "theft",
    "fraud": "fraud",
    "other": "other",
}


def forward(apps, schema_editor):
    Routine = apps.get_model("partners", "Routine")
    Circumstance = apps.get_model("cases", "Circumstance")
    for routine in Routine.objects.exclude(crime_category=None):
        if routine.crime_category in TO_MARKER:
            routine.circumstance = Circumstance.objects.get(code=TO_MARKER[routine.crime_category])
        else:
            routine.crime_type = TO_TYPE.get(routine.crime_category)
        routine.save(update_fields=["circumstance", "crime_type"])


def backward(apps, schema_editor):
    Routine = apps.get_model("partners", "Routine")
    for category, code in TO_MARKER.items():
        Routine.objects.filter(circumstance__code=code).update(crime_category=category)
    for category, crime_type in TO_TYPE.items():
        Routine.objects.filter(crime_type=crime_type).update(crime_category=category)


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
        migrations.RunPython(forward, backward),
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
