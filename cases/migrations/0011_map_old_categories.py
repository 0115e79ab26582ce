# The federation's basic fields (issue 21): a crime type fine enough for its
# statistics, special circumstances as markers beside it, and who made the
# first contact.
#
# The old categories map onto types and markers. Where the type is a guess
# ("violence in close relationships" could be assault or threats; "threats or
# harassment" either of two types; "robbery, theft or burglary" one of three),
# the case is marked for review, and the coordinator's start page lists it
# until a coordinator saves the case. Cases whose personal data is already
# removed cannot be edited, so they are not marked: their mapped type stands.
# Who made the first contact follows the channel, as the statistics did.
# Only counts are printed; nothing is lost: every old category has a type.

from django.db import migrations

BUILT_IN = [
    ("close_relationship", "Nära relation", 10),
    ("honour", "Hedersrelaterat", 20),
    ("hate", "Hatbrott", 30),
    ("school", "Skolrelaterat", 40),
]

# old category -> (crime type, marker or None, a guess?)
MAPPING = {
    "close_relationship": ("assault", "close_relationship", True),
    "honour": ("assault", "honour", True),
    "sexual": ("sexual", None, False),
    "trafficking": ("trafficking", None, False),
    "threats": ("unlawful_threats", None, True),
    "assault": ("assault", None, False),
    "theft": ("theft", None, True),
    "fraud": ("fraud", None, False),
    "other": ("other", None, False),
}


def forward(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Circumstance = apps.get_model("cases", "Circumstance")
    markers = {}
    for code, name, position in BUILT_IN:
        markers[code], _created = Circumstance.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
    Marked = Case.circumstances.through
    reviewed = 0
    for category, (crime_type, marker, guess) in MAPPING.items():
        cases = Case.objects.filter(crime_category=category)
        cases.update(crime_type=crime_type)
        if guess:
            reviewed += cases.filter(anonymised_at__isnull=True).update(crime_type_to_review=True)
        if marker:
            Marked.objects.bulk_create(
                [Marked(case_id=pk, circumstance_id=markers[marker].pk) for pk in cases.values_list("pk", flat=True)],
                ignore_conflicts=True,
            )
    unknown = Case.objects.exclude(crime_category__in=list(MAPPING)).update(crime_type="unknown")
    Case.objects.filter(channel="police_referral").update(first_contact_by="police")
    Case.objects.filter(channel="other_organisation").update(first_contact_by="other")
    Case.objects.exclude(channel__in=["police_referral", "other_organisation"]).update(first_contact_by="seeker")
    if reviewed or unknown:
        print(f"\n  crime types: {reviewed} case(s) to review, {unknown} of no known category")


def backward(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    back = {"sexual": "sexual", "trafficking": "trafficking", "assault": "assault", "fraud": "fraud"}
    back.update({"unlawful_threats": "threats", "harassment": "threats", "stalking": "threats"})
    back.update({"robbery": "theft", "theft": "theft", "burglary": "theft"})
    for crime_type, category in back.items():
        Case.objects.filter(crime_type=crime_type).update(crime_category=category)
    Case.objects.exclude(crime_type__in=list(back)).update(crime_category="other")
    Case.objects.filter(circumstances__code="honour").update(crime_category="honour")
    Case.objects.filter(circumstances__code="close_relationship").update(crime_category="close_relationship")


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_federation_fields")]

    # Rows only: PostgreSQL refuses to alter a table in a transaction that has written to it.
    operations = [migrations.RunPython(forward, backward)]
