import base64

from django.core.management.base import BaseCommand, CommandError

from home.demo import accounts as demo
from jour.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (development only)."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", help="one demo account; all if left out")
        parser.add_argument("--secret", action="store_true", help="also print the key for a phone app")

    def handle(self, *args, email=None, secret=False, **options):
        demo.refuse_in_production()
        emails = [email] if email else [e for e, _, _ in demo.DEMO_ACCOUNTS]
        for address in emails:
            user = User.objects.filter(email__iexact=address).first()
            if user is None or not address.endswith("@" + demo.DEMO_DOMAIN):
                raise CommandError(f"{address} is not a demo account; run seed_demo first.")
            line = f"{user.email:<28} {demo.current_code(user)}"
            if secret:
                line += "  key " + base64.b32encode(bytes.fromhex(demo.demo_key(user.email))).decode()
            self.stdout.write(line)
