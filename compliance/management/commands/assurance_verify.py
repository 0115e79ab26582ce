from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance import assurance


class Command(BaseCommand):
    help = "Check an assurance PDF: the seal, the embedded JSON against the stored record, and the hash."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        result = assurance.verify(file.read_bytes())
        for check in result.checks:
            mark = "OK  " if check.ok else "FAIL"
            self.stdout.write(f"{mark} {check.name}: {check.detail}")
        if not result.ok:
            raise CommandError("The assurance does NOT verify.")
        self.stdout.write(self.style.SUCCESS(f"The assurance of {result.year} (version {result.version}) verifies."))
