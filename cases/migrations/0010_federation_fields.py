# The federation's basic fields (issue 21), the schema: a crime type, special
# circumstances as markers beside it, who made the first contact, and a mark
# for the cases whose type is a guess. 0011 fills them from the old category,
# 0012 removes it; each step alone, as PostgreSQL wants it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_police_form_is_paper")]

    operations = [
        # A default for the old column, so that going back to 0009 can add it again to rows that exist.
        migrations.AlterField(
            model_name="case",
            name="crime_category",
            field=models.CharField(default="other", max_length=20, verbose_name="crime category"),
        ),
        migrations.CreateModel(
            name="Circumstance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(blank=True, editable=False, max_length=30)),
                ("name", models.CharField(max_length=60, unique=True, verbose_name="name")),
                ("active", models.BooleanField(default=True, verbose_name="in use")),
                ("position", models.PositiveSmallIntegerField(default=100, verbose_name="order")),
            ],
            options={
                "verbose_name": "special circumstance",
                "verbose_name_plural": "special circumstances",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("code", ""), _negated=True), fields=("code",), name="circumstance_code_once"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="case",
            name="crime_type",
            field=models.CharField(default="unknown", max_length=20, verbose_name="crime type"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="case",
            name="first_contact_by",
            field=models.CharField(default="unknown", max_length=10, verbose_name="first contact made by"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="case",
            name="crime_type_to_review",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="circumstances",
            field=models.ManyToManyField(blank=True, related_name="cases", to="cases.circumstance"),
        ),
    ]
