from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance import catalogue


class Command(BaseCommand):
    help = "Load a revision of the federation's minimum requirements from a JSON catalogue file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            revision, created = catalogue.load(file.read_bytes())
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except catalogue.CatalogueError as error:
            raise CommandError(f"{file}: {error}") from None
        count = revision.requirements.count()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded revision {revision.revision}: {count} requirements."))
        else:
            self.stdout.write(
                f"Revision {revision.revision} is already loaded with this content ({count} requirements)."
            )
