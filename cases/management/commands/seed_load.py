import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases import loadgen
from cases.models import Case


class Command(BaseCommand):
    help = "Load a realistic volume of synthetic cases (about 5 contact attempts each) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=50_000)
        parser.add_argument("--attempts-per-case", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="add to a database that already has cases")

    def handle(self, *args, cases, attempts_per_case, seed, force, **options):

        if settings.JOUR_ENV == "production":
            raise CommandError("seed_load writes made-up cases; it refuses to run in production.")
        if Case.objects.exists() and not force:
            raise CommandError("The database already has cases; use --force to add more.")
        started = time.perf_counter()
        result = loadgen.load(cases=cases, attempts_per_case=attempts_per_case, seed=seed)
        self.stdout.write(
            f"Loaded {result.cases} cases ({result.open_cases} open) and {result.attempts} contact attempts "
            f"in {time.perf_counter() - started:.1f} s."
        )
