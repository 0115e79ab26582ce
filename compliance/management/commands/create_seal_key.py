from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance import seal


class Command(BaseCommand):
    help = "Create the jour's seal key and certificate for the auditors' assurance (once, at installation)."

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true", help="Do nothing when a seal is installed already.")
        parser.add_argument(
            "--force", action="store_true", help="Replace an installed seal (old PDFs then no longer verify here)."
        )

    def handle(self, *args, **options):
        key, cert = seal.paths()
        if seal.exists() and not options["force"]:
            if options["if_missing"]:
                self.stdout.write(f"Seal already installed ({cert}); fingerprint {seal.fingerprint()}")
                return
            raise CommandError(f"A seal is already installed at {key} and {cert}; use --force to replace it.")
        fingerprint = seal.create(name=settings.JOUR_NAME, force=options["force"])
        self.stdout.write(self.style.SUCCESS(f"Seal key written to {key} (mode 600), certificate to {cert}."))
        self.stdout.write(f"Certificate SHA-256 fingerprint: {fingerprint}")
        self.stdout.write("Back both files up somewhere safe; they are not in the database.")
