# A case's municipality becomes the official four-digit code (cases/municipalities.py).
#
# The free-text names typed so far are mapped to codes by name: case and spaces
# around ignored, "Lunds kommun" and "Malmö stad" understood, å/ä/ö compared as
# typed and NFC-normalised (cases.municipalities.code_for). A value that names no
# municipality becomes blank (not known): the statistics cannot group on it, and
# it may not have been a place at all. Only counts are printed, never a value.
# Reversing writes the names back.

from django.db import migrations, models

from cases import municipalities


def names_to_codes(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    mapped = blanked = 0
    # One update per distinct value typed, not per case.
    typed_values = Case.objects.exclude(municipality="").order_by().values_list("municipality", flat=True)
    for typed in list(typed_values.distinct()):
        code = municipalities.code_for(typed)
        changed = Case.objects.filter(municipality=typed).update(municipality=code)
        mapped, blanked = (mapped + changed, blanked) if code else (mapped, blanked + changed)
    if mapped or blanked:
        print(f"\n  cases: {mapped} municipality names mapped to codes, {blanked} not an official name (left blank)")


def codes_to_names(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    codes = Case.objects.exclude(municipality="").order_by().values_list("municipality", flat=True)
    for code in list(codes.distinct()):
        Case.objects.filter(municipality=code).update(municipality=municipalities.name(code))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_seeker_identifier"),
    ]

    operations = [
        # While the column still holds up to 60 characters.
        migrations.RunPython(names_to_codes, codes_to_names, elidable=False),
        migrations.AlterField(
            model_name="case",
            name="municipality",
            field=models.CharField(
                blank=True, choices=municipalities.choices, max_length=4, verbose_name="municipality"
            ),
        ),
    ]
