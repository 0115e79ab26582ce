from django.core.management.base import BaseCommand, CommandError

from jour import access
from partners.trafficking import add_trafficking_routine


class Command(BaseCommand):
    help = (
        "Add a routine for trafficking and prostitution cases (the federation template's structure, in our "
        "own words) for the coordinators to adapt. Does nothing if such a routine exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--by", required=True, help="the e-mail address of the coordinator adding it")

    def handle(self, *args, by, **options):
        user = access.may_manage_partners.users().filter(email=by.strip().lower()).first()
        if user is None:
            raise CommandError("--by must be an active coordinator's e-mail address")
        routine = add_trafficking_routine(user)
        self.stdout.write("Added." if routine else "A routine for trafficking cases already exists: nothing done.")
