from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_notes_to_journal")]

    operations = [
        migrations.RemoveField(model_name="case", name="notes"),
    ]
