# A routine is for a crime type or for a special circumstance (issue 21): the
# routines of the old categories "violence in close relationships" and
# "honour-related violence" become the routines of those markers, the others
# the routine of the crime type the category maps to.

from django.db import migrations

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
    dependencies = [("partners", "0002_routine_type_or_marker"), ("cases", "0011_map_old_categories")]

    # Rows only: PostgreSQL refuses to alter a table in a transaction that has written to it.
    operations = [migrations.RunPython(forward, backward)]
