# The police referral form is kept on paper or not at all, and the paper
# register is the one truth about it (issue 17, item 6).
#
# A form recorded "as a file" becomes "on paper": the jour must not keep the
# file, and the register now asks for the copy to be shredded. Every open case
# whose form is on paper, and that has no referral form in the register, gets
# its register entry (filed the day the case came in, by whoever registered
# it), so that "Att strimla" shows it once the first attempt is made. Closed
# cases are left as they are: whether their form was shredded is not known,
# and a reminder years later would help nobody. Only counts are printed.

from django.db import migrations, models
from django.utils import timezone


def one_truth(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    PaperRecord = apps.get_model("cases", "PaperRecord")
    as_files = Case.objects.filter(police_referral_form="file").update(police_referral_form="paper")
    with_form = PaperRecord.objects.filter(kind="police_referral").values("case_id")
    missing = (
        Case.objects.filter(police_referral_form="paper")
        .exclude(status="closed")
        .exclude(pk__in=with_form)
        .only("pk", "received_at", "registered_by_id")
    )
    entered = 0
    for case in missing.iterator():
        PaperRecord.objects.create(
            case_id=case.pk,
            kind="police_referral",
            description="",
            filed_on=timezone.localtime(case.received_at).date(),
            filed_by_id=case.registered_by_id,
        )
        entered += 1
    if as_files or entered:
        print(f"\n  cases: {as_files} referral forms kept as files now on paper, {entered} entered in the paper register")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_first_contact_history"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="police_referral_form",
            field=models.CharField(
                choices=[("none", "No referral form"), ("paper", "On paper")],
                default="none",
                help_text=(
                    "On paper: the form is entered in the paper register, due for shredding once the first contact "
                    "attempt is made. A copy is never kept as a file."
                ),
                max_length=10,
                verbose_name="police referral form",
            ),
        ),
        migrations.RunPython(one_truth, migrations.RunPython.noop),
    ]
