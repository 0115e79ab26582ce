from django.core.management.base import BaseCommand

from home.demo import accounts as demo
from home.demo import actions as actions_demo
from home.demo import calendar as calendar_demo
from home.demo import compliance as compliance_demo
from home.demo import partners as partner_demo
from home.demo import people as people_demo
from jour.models import Role


class Command(BaseCommand):
    help = "Load the fictional demo jour: one account per role, its people and a few cases. Safe to run again."

    def handle(self, *args, **options):
        demo.refuse_in_production()
        users = demo.seed_accounts()
        people_demo.seed_people_and_cases()
        calendar_demo.seed_calendar(demo.DEMO_DOMAIN)
        actions_demo.seed_actions(demo.DEMO_DOMAIN)
        partner_demo.seed(by=demo.by_role()[Role.COORDINATOR][0])
        signed = compliance_demo.seed_signed_year()
        if signed is not None:
            self.stdout.write(f"Minimum requirements {signed.year}: assessed and signed by two demo auditors.")
        self.stdout.write(self.style.SUCCESS(f"Demo jour ready: {len(users)} accounts."))
        self.stdout.write("")
        self.stdout.write(f"Log in at http://127.0.0.1:8000 with the password {demo.DEMO_PASSWORD!r} and:")
        for user in users:
            self.stdout.write(f"  {user.get_role_display():<16} {user.email}")
        self.stdout.write("")
        self.stdout.write(
            "The two-factor code: run  make totp  (or JOUR_ENV=development .venv/bin/python manage.py demo_totp EMAIL)."
        )
        self.stdout.write("Each code works once; after logging in, wait for the next 30-second code.")
