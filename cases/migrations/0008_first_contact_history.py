# The first-contact figure becomes history (#17): a case keeps the deadline and
# priority in force when its first attempt was made, and a contact made at
# registration (an anonymous call or visit) is marked as such.
#
# Existing cases with a first attempt get today's first_contact_due and priority:
# the only record there is. A case whose priority changed after its attempt keeps
# the figure it shows now; from here on a change no longer moves it. A contact at
# registration is recognised as services.register_case made it: an anonymous
# phone call or walk-in whose first contact is the time it reached the jour, with
# no logged attempt at or before that time. Two updates, whatever the number
# of cases. Reversing drops the columns; nothing else is lost.

from django.db import migrations, models
from django.db.models import Exists, F, OuterRef


def fill_from_current_deadline(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    ContactAttempt = apps.get_model("cases", "ContactAttempt")
    contacted = Case.objects.filter(first_contact_at__isnull=False)
    filled = contacted.update(first_contact_due_then=F("first_contact_due"), first_contact_priority=F("priority"))
    logged = ContactAttempt.objects.filter(case=OuterRef("pk"), made_at__lte=OuterRef("first_contact_at"))
    at_registration = contacted.filter(
        ~Exists(logged), anonymous=True, channel__in=("phone", "walk_in"), first_contact_at=F("received_at")
    )
    marked = at_registration.update(first_contact_at_registration=True)
    if filled:
        print(f"\n  cases: {filled} first contacts keep their deadline, {marked} of them made at registration")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_municipality_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="first_contact_at_registration",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="first_contact_due_then",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="first_contact_priority",
            field=models.CharField(
                blank=True, choices=[("normal", "Normal"), ("urgent", "Urgent")], editable=False, max_length=10
            ),
        ),
        migrations.RunPython(fill_from_current_deadline, migrations.RunPython.noop, elidable=False),
    ]
