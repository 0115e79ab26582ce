"""The confidentiality pledge becomes the person's, and a person remembers the
open invitation made from their page.

The pledges recorded on volunteer assignments (pledge_signed_on, pledge_scan)
move to ConfidentialityPledge, one per person and distinct signing date, and
the two fields are removed, so that there is one truth.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_pledges_to_people(apps, schema_editor):
    """One pledge per person and signing date, from their volunteer assignments.
    Of assignments with the same date, the scan of the newest one that has one
    is kept. An assignment with a scan but no date (the form never allowed it,
    but a row might hold one) keeps its scan on a pledge dated the assignment's
    start: the scan shows that a pledge was signed, and its date is on it."""
    VolunteerAssignment = apps.get_model("members", "VolunteerAssignment")
    ConfidentialityPledge = apps.get_model("members", "ConfidentialityPledge")
    scans = {}
    rows = VolunteerAssignment.objects.exclude(pledge_signed_on__isnull=True, pledge_scan="").order_by(
        "person_id", "-start", "-pk"
    )
    for row in rows:
        key = (row.person_id, row.pledge_signed_on or row.start)
        if not scans.get(key):
            scans[key] = row.pledge_scan.name or ""
    for (person_id, signed_on), scan in scans.items():
        ConfidentialityPledge.objects.create(person_id=person_id, signed_on=signed_on, scan=scan)


def move_pledges_back(apps, schema_editor):
    """Undo: each volunteer assignment gets its person's newest pledge (date and
    scan). Pledges of people without a volunteer assignment (employees, the
    board) have no place to go back to and are dropped."""
    VolunteerAssignment = apps.get_model("members", "VolunteerAssignment")
    ConfidentialityPledge = apps.get_model("members", "ConfidentialityPledge")
    for assignment in VolunteerAssignment.objects.all():
        pledge = ConfidentialityPledge.objects.filter(person_id=assignment.person_id).order_by("-signed_on", "-pk").first()
        if pledge is not None:
            assignment.pledge_signed_on = pledge.signed_on
            assignment.pledge_scan = pledge.scan.name or ""
            assignment.save(update_fields=["pledge_signed_on", "pledge_scan"])


class Migration(migrations.Migration):
    dependencies = [
        ("jour", "0001_initial"),
        ("members", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="invitation",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="jour.invitation",
            ),
        ),
        migrations.CreateModel(
            name="ConfidentialityPledge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("signed_on", models.DateField(verbose_name="signed on")),
                (
                    "template_version",
                    models.CharField(
                        blank=True,
                        help_text="The version or date printed on the federation's template, if there is one.",
                        max_length=40,
                        verbose_name="template version",
                    ),
                ),
                (
                    "scan",
                    models.FileField(blank=True, upload_to="pledges/", verbose_name="scan of the signed pledge"),
                ),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="pledges", to="members.person"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-signed_on", "-pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("person", "signed_on"), name="one_pledge_per_person_and_day")
                ],
            },
        ),
        migrations.RunPython(move_pledges_to_people, move_pledges_back),
        migrations.RemoveField(model_name="volunteerassignment", name="pledge_scan"),
        migrations.RemoveField(model_name="volunteerassignment", name="pledge_signed_on"),
    ]
