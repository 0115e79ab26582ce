# The old crime category goes, in a migration of its own: PostgreSQL refuses
# to alter a table in the transaction that just wrote the rows of 0011.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_map_old_categories")]

    operations = [
        migrations.RemoveField(model_name="case", name="crime_category"),
        migrations.AlterField(
            model_name="case",
            name="circumstances",
            field=models.ManyToManyField(
                blank=True,
                help_text="Markers beside the crime type; a case can have several, or none.",
                related_name="cases",
                to="cases.circumstance",
                verbose_name="special circumstances",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="crime_type",
            field=models.CharField(
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
                verbose_name="crime type",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="first_contact_by",
            field=models.CharField(
                choices=[
                    ("police", "The police"),
                    ("seeker", "The seeker"),
                    ("other", "Someone else"),
                    ("unknown", "Not known"),
                ],
                help_text="Who first contacted the jour about this: the police (a referral), the seeker, or someone else.",
                max_length=10,
                verbose_name="first contact made by",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="seeker_role",
            field=models.CharField(
                choices=[("victim", "Victim"), ("witness", "Witness"), ("relative", "Relative")],
                default="victim",
                max_length=10,
                verbose_name="kind of seeker",
            ),
        ),
    ]
