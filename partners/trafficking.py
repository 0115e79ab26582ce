"""A routine for trafficking and prostitution cases, for a jour to adapt.

It follows the structure of the federation's template for a shared
local routine (goal, detecting, the way in, the first contact, protection,
support and prosecution, follow-up), written in our own words.
"""

from django.db import transaction

from cases.models import CrimeType

from .models import Partner, PartnerKind, Routine
from .services import new_version

GOAL = (
    "Den som utsatts för människohandel eller prostitution får skydd, stöd och sina rättigheter "
    "tillgodosedda, och brotten kan utredas och lagföras."
)


def _steps(partners: dict) -> list[dict]:
    police = partners.get(PartnerKind.POLICE_VICTIM_UNIT)
    social = partners.get(PartnerKind.SOCIAL_SERVICES)
    return [
        {
            "title": "Upptäck: var uppmärksam på tecken på människohandel eller prostitution i kontakten",
            "partner": None,
            "how_to_reach": "Stödpersonen i ärendet",
            "tip": "Fråga öppet om boende, arbete och vem som bestämmer; utred inte själv.",
        },
        {
            "title": "Vägen in: kontakta den mottagare rutinen anger (barn och vuxna kan ha olika)",
            "partner": police,
            "how_to_reach": "114 14, vid fara 112",
            "tip": "Regionkoordinatorn mot människohandel ger råd i enskilda ärenden.",
        },
        {
            "title": "Första kontakten: se till att personen är trygg just nu och berätta om rättigheterna",
            "partner": None,
            "how_to_reach": "",
            "tip": "En enkel huvudregel räcker; undantagen tas från fall till fall.",
        },
        {
            "title": "Skydd: ta ställning till skyddsbedömning och skyddat boende",
            "partner": social,
            "how_to_reach": "Vardagar via mottagningen, annars socialjouren",
            "tip": "",
        },
        {
            "title": "Stöd och lagföring: akut bistånd, vård, anmälan och stöd genom rättsprocessen",
            "partner": police,
            "how_to_reach": "Handläggaren i ärendet",
            "tip": "Erbjud vittnesstöd inför rättegången.",
        },
        {
            "title": "Uppföljning: följ upp ärendet och skriv ner vad i rutinen som bör ändras",
            "partner": None,
            "how_to_reach": "Samordnaren",
            "tip": "",
        },
    ]


def add_trafficking_routine(by) -> Routine | None:
    """The routine, attached to trafficking cases, unless one is already; it
    names the register's first partner of each kind it needs, if there is one."""
    with transaction.atomic():
        if Routine.objects.filter(crime_type=CrimeType.TRAFFICKING).exists():
            return None
        partners = {}
        for partner in Partner.objects.filter(active=True).order_by("pk"):
            partners.setdefault(partner.kind, partner)
        routine = Routine.objects.create(name="Människohandel och prostitution", crime_type=CrimeType.TRAFFICKING)
        new_version(routine=routine, goal=GOAL, steps=_steps(partners), by=by)
        return routine
