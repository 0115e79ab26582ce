import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance import assurance
from compliance.models import Assurance


class Command(BaseCommand):
    help = "Write the PDF and JSON of a signed year (its newest signed version) to a folder."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--out", type=Path, required=True, help="The folder to write to (created if missing).")

    def handle(self, *args, year: int, out: Path, **options):
        found = (
            Assurance.objects.filter(assessment__year=year)
            .select_related("assessment")
            .order_by("-assessment__version")
            .first()
        )
        if found is None:
            raise CommandError(f"No signed and rendered assurance exists for {year}.")
        out.mkdir(parents=True, exist_ok=True)
        with found.pdf.open("rb") as handle:
            pdf = handle.read()
        if hashlib.sha256(pdf).hexdigest() != found.pdf_sha256:
            raise CommandError("The stored PDF does not match its recorded SHA-256; it was changed on disk.")
        (out / assurance.pdf_name(year)).write_bytes(pdf)
        (out / assurance.json_name(year)).write_bytes(found.document_json.encode())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out / assurance.pdf_name(year)} and {out / assurance.json_name(year)} "
                f"(version {found.assessment.version}, PDF SHA-256 {found.pdf_sha256})."
            )
        )
