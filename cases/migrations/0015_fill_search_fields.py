# Fills the search columns of the cases registered before they existed.
# The folding is copied from cases/search.py at the time of writing: a migration
# must give the same result whatever that module becomes.

import re
import unicodedata

from django.db import migrations

BATCH = 1000
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"})


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_LETTERS)


def _digits(phone):
    digits = re.sub(r"\D", "", phone or "")
    if (phone or "").strip().startswith(("+", "00")):
        for prefix in ("0046", "46"):
            if digits.startswith(prefix):
                digits = digits[len(prefix) :]
                break
    return digits.lstrip("0")


def fill(apps, schema_editor):
    """Every case still holding personal data gets its search columns; the others keep them empty."""
    Case = apps.get_model("cases", "Case")
    cases = Case.objects.filter(anonymised_at__isnull=True, anonymous=False).only(
        "pk", "first_name", "last_name", "email", "phone"
    )
    batch = []
    for case in cases.iterator(chunk_size=BATCH):
        words = " ".join(part.strip() for part in (case.first_name, case.last_name, case.email) if part and part.strip())
        case.search_key = " ".join(_fold(words).split())
        case.phone_digits = _digits(case.phone)
        batch.append(case)
        if len(batch) >= BATCH:
            Case.objects.bulk_update(batch, ["search_key", "phone_digits"])
            batch = []
    if batch:
        Case.objects.bulk_update(batch, ["search_key", "phone_digits"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0014_search_fields"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
