"""Registers for G2 (the assurance sent), G8 (contact details sent), G9 (the
annual meeting) and G10 (the grants report), and the new signals of those four
requirements in the 2021-09-24 catalogue.

The signals change through catalogue.sync_signals: the requirements' and the
signals of years not yet signed; a signed year keeps the signals it was signed
with (and the PostgreSQL triggers of 0004 would refuse the change anyway).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def sync_signals(apps, schema_editor):
    from compliance import catalogue

    catalogue.sync_bundled_signals(
        models=(
            apps.get_model("compliance", "CatalogueRevision"),
            apps.get_model("compliance", "Requirement"),
            apps.get_model("compliance", "Answer"),
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('compliance', '0005_answer_justification'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='reportsubmission',
            name='kind',
            field=models.CharField(choices=[('annual', 'Annual report to the federation (after the annual meeting)'), ('grants', 'Grants report to the federation (municipal and other grants)'), ('municipal', 'Report on a municipal grant'), ('other_grant', 'Report on another grant')], max_length=12, verbose_name='report'),
        ),
        migrations.CreateModel(
            name='AnnualMeeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='for the year')),
                ('held_on', models.DateField(verbose_name='held on')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='AssuranceSending',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_on', models.DateField(verbose_name='sent on')),
                ('method', models.CharField(choices=[('email', 'E-mail'), ('portal', "The federation's form or portal"), ('post', 'Post'), ('other', 'Other')], max_length=10, verbose_name='how')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('assessment', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='sending', to='compliance.assessment')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='FederationSending',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_on', models.DateField(verbose_name='sent on')),
                ('method', models.CharField(choices=[('email', 'E-mail'), ('portal', "The federation's form or portal"), ('post', 'Post'), ('other', 'Other')], max_length=10, verbose_name='how')),
                ('changes', models.CharField(help_text='In short, for example: two new support persons, a new chair. No personal data of seekers.', max_length=300, verbose_name='what changed')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-sent_on', '-pk'],
            },
        ),
        migrations.RunPython(sync_signals, migrations.RunPython.noop),
    ]
