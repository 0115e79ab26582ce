from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jour import access
from jour.models import User
from members import federation


class Command(BaseCommand):
    help = (
        "Write the contact details the federation is to be kept supplied with (the jour, the board, "
        "support persons and witness supporters, employees, members) to a .csv or .xlsx file. "
        "The export is recorded in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the file to write; its suffix chooses the format")
        parser.add_argument("--date", dest="day", help="who was active on this day, YYYY-MM-DD (default: today)")
        parser.add_argument("--by", help="the e-mail address of the coordinator the export is recorded for")

    def handle(self, *args, out, day=None, by=None, **options):
        path = Path(out)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in federation.FORMATS:
            choices = " or ".join(f".{f}" for f in federation.FORMATS)
            given = path.suffix or "no suffix"
            raise CommandError(f"{out}: the file name must end in {choices} ({given} is not a format it writes).")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a directory.")
        day = self._day(day)
        actor = self._actor(by)
        rows = federation.build_rows(day)
        writer = federation.write_csv if fmt == "csv" else federation.write_xlsx
        try:
            writer(rows, path)
        except OSError as error:
            raise CommandError(f"{out} could not be written: {error.strerror}") from error
        federation.record_export(by=actor, fmt=fmt, rows=len(rows), via="command")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(rows)} rows (the jour, then one per person and category) to {out}.")
        )
        self.stdout.write("The file holds personal data: delete it once the federation has it.")

    @staticmethod
    def _day(value: str | None) -> date:
        if not value:
            return timezone.localdate()
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--date {value!r} is not a date such as 2025-01-31.") from error

    @staticmethod
    def _actor(email: str | None) -> User | None:
        if not email:
            return None
        user = access.may_manage_people.users().filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"{email} is not an active coordinator's account.")
        return user
