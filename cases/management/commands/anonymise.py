from django.core.management.base import BaseCommand

from cases import retention


class Command(BaseCommand):
    help = "Remove the personal data of closed cases past the retention period (what the nightly task does)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print the case numbers; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            numbers = list(retention.due().values_list("number", flat=True))
            held = list(retention.held_back().values_list("number", flat=True))
            self.stdout.write(
                f"Retention: {retention.retention_months()} months; closed before "
                f"{retention.cutoff():%Y-%m-%d %H:%M}. Would anonymise {len(numbers)} cases:"
            )
            for number in numbers:
                self.stdout.write(f"  {number}")
            if held:
                self.stdout.write(f"Held back ({len(held)}): {', '.join(held)}")
            return
        done = retention.anonymise_due()
        self.stdout.write(self.style.SUCCESS(f"Anonymised {len(done)} cases."))
        for number in done:
            self.stdout.write(f"  {number}")
