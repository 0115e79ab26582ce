from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jour import backups


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup into an empty database and media folder, and the seal "
        "where JOUR_SEAL_KEY_FILE and JOUR_SEAL_CERT_FILE point (run migrate afterwards)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--identity", type=Path, required=True, help="The age secret key file the jour keeps offline."
        )

    def handle(self, *args, file: Path, identity: Path, **options):
        try:
            keys = backups.identities(identity.read_text())
            done = backups.restore(file, keys)
        except (backups.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup made {done['made_at']}: the database, {done['media_files']} uploaded files"
                f" and {len(done['seal'])} seal files. Run `python manage.py migrate` before starting the site."
            )
        )
