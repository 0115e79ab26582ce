"""The demo jour's partners and its trafficking routine, once."""

from django.db import transaction

from partners.models import Partner, PartnerKind
from partners.trafficking import add_trafficking_routine

PARTNERS = [
    ("Polisen, brottsofferenheten Exempelstad", PartnerKind.POLICE_VICTIM_UNIT, "114 14", "Dygnet runt, vid fara 112"),
    ("Socialtjänsten Exempelstad", PartnerKind.SOCIAL_SERVICES, "010-000 10 00", "Vardagar 8–17, sedan socialjouren"),
    ("Kvinnojouren Exempelstad", PartnerKind.WOMENS_SHELTER, "010-000 20 00", "Telefon dygnet runt"),
    ("Centrum mot våld Exempelstad", PartnerKind.CENTRE_AGAINST_VIOLENCE, "010-000 30 00", "Vardagar 9–16"),
]


def seed(by) -> None:
    with transaction.atomic():
        if not Partner.objects.exists():
            for name, kind, phone, hours in PARTNERS:
                Partner.objects.create(name=name, kind=kind, phone=phone, opening_hours=hours)
        add_trafficking_routine(by)
