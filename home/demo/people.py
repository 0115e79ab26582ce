"""The demo jour's people (members, employees, a volunteer, the board) and a few
cases in different states. Never in production."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, Circumstance
from jour.models import Role, User
from members.models import (
    BoardTerm,
    ConfidentialityPledge,
    Employment,
    Membership,
    Person,
    SupervisionSession,
    VolunteerAssignment,
)

from .accounts import DEMO_DOMAIN


def seed_people_and_cases() -> None:
    """Fictional people and a handful of cases in different states, once."""
    if Person.objects.filter(email__endswith="@" + DEMO_DOMAIN).exists():
        return
    users = {u.role: u for u in User.objects.filter(email__endswith="@" + DEMO_DOMAIN).order_by("-pk")}
    coordinator, volunteer = users[Role.COORDINATOR], users[Role.SUPPORT_PERSON]
    today = timezone.localdate()
    since = today - timedelta(days=700)
    with transaction.atomic():
        people = {}
        for user in users.values():
            people[user.role] = Person.objects.create(
                name=user.name, email=user.email, phone="010-000 00 00", town="Exempelstad", account=user
            )
            Membership.objects.create(person=people[user.role], kind="member", start=since, fee_paid_for=today.year)
        Employment.objects.create(person=people[Role.COORDINATOR], title="Samordnare", start=since)
        BoardTerm.objects.create(person=people[Role.COORDINATOR], role="co_opted", start=since)
        BoardTerm.objects.create(person=people[Role.BOARD_MEMBER], role="chair", start=since)
        VolunteerAssignment.objects.create(
            person=people[Role.SUPPORT_PERSON],
            start=since,
            witness_supporter=True,
            basic_training_on=since,
        )
        # The pledge is the person's: the volunteer, the employed coordinator and the chair have signed.
        for role in (Role.SUPPORT_PERSON, Role.COORDINATOR, Role.BOARD_MEMBER):
            ConfidentialityPledge.objects.create(
                person=people[role], signed_on=since, template_version="2021", recorded_by=coordinator
            )
        session = SupervisionSession.objects.create(
            held_on=today - timedelta(days=20), kind="group", supervisor="Handledare Demo", recorded_by=coordinator
        )
        session.participants.add(people[Role.SUPPORT_PERSON])
        Person.objects.create(name="Stina Stödmedlem", email="stina@" + DEMO_DOMAIN)
        if Case.objects.exists():
            return
        now = timezone.now()
        # Lund, by its official code (cases/municipalities.py).
        base = {"channel": "phone", "crime_type": "unlawful_threats", "gender": "woman", "municipality": "1281"}
        fresh = case_services.register_case(
            data={**base, "received_at": now - timedelta(hours=3), "first_name": "Demo-Anna"}, by=coordinator
        )
        case_services.register_case(
            data={**base, "received_at": now - timedelta(days=1), "first_name": "Demo-Bo", "priority": "urgent"},
            by=coordinator,
        )
        # Its police referral form came on paper: registering says so and enters it in the paper register.
        late = case_services.register_case(
            data={
                **base,
                "received_at": now - timedelta(days=6),
                "first_name": "Demo-Cecilia",
                "police_referral_form": "paper",
                "channel": "police_referral",
                "crime_type": "assault",
                "circumstances": Circumstance.objects.filter(code=Circumstance.CLOSE_RELATIONSHIP),
            },
            by=coordinator,
        )
        case_services.assign(case=fresh, person=volunteer, kind="support", by=coordinator)
        case_services.assign(case=late, person=volunteer, kind="support", by=coordinator)
        case_services.log_attempt(
            case=late, made_at=now - timedelta(days=1), method="phone", outcome="reached", by=volunteer
        )
        # The referral form of the late case is due for shredding now that the first attempt is made.
        case_services.register_case(
            data={**base, "received_at": now - timedelta(hours=5), "anonymous": True, "gender": "man"},
            by=coordinator,
        )
