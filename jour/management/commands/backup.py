from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jour import backups


class Command(BaseCommand):
    help = (
        "Write one encrypted backup (database, private uploads, the seal) to a folder, "
        "readable only with the secret key of JOUR_BACKUP_RECIPIENTS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=None, help="The folder to write to (default: JOUR_BACKUP_DIR).")
        parser.add_argument(
            "--recipient",
            action="append",
            default=None,
            help="An age public key to encrypt to instead of JOUR_BACKUP_RECIPIENTS (repeatable).",
        )

    def handle(self, *args, out: Path | None, recipient: list[str] | None, **options):
        try:
            made = backups.make_and_record(out or Path(settings.JOUR_BACKUP_DIR), keys=recipient)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {made.path} ({made.size} bytes, SHA-256 {made.sha256})."))
