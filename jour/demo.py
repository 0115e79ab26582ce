"""The fictional demo jour that `make run` loads. Never in production."""

import hashlib

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, User

DEMO_PASSWORD = "demo-jour-2026"  # noqa: S105 - demo only, refused in production
DEMO_DOMAIN = "demo.example"
DEMO_DEVICE_NAME = "demo"

# One account per role (two auditors: a year is signed by two).
DEMO_ACCOUNTS = [
    ("samordnare@demo.example", "Kim Lindqvist", Role.COORDINATOR),
    ("stodperson@demo.example", "Alex Berg", Role.SUPPORT_PERSON),
    ("styrelse@demo.example", "Maria Holm", Role.BOARD_MEMBER),
    ("revisor@demo.example", "Johan Ek", Role.AUDITOR),
    ("revisor2@demo.example", "Eva Sund", Role.AUDITOR),
]


def refuse_in_production() -> None:
    if settings.JOUR_ENV == "production":
        raise CommandError("Demo data and demo codes exist only outside production (JOUR_ENV).")


def demo_key(email: str) -> str:
    # Deterministic so that reseeding keeps the phone app working; public, so demo only.
    return hashlib.sha256(f"jour-demo-totp:{email}".encode()).hexdigest()[:40]


@transaction.atomic
def seed_accounts() -> list[User]:
    users = []
    for email, name, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(email=email, defaults={"name": name, "role": role})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        TOTPDevice.objects.get_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": demo_key(email), "confirmed": True},
        )
        users.append(user)
    return users


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, name=DEMO_DEVICE_NAME)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def seed_people_and_cases() -> None:
    """Fictional people and a handful of cases in different states, once."""
    from datetime import timedelta

    from django.utils import timezone

    from cases import services as case_services
    from cases.models import Case
    from members.models import BoardTerm, Employment, Membership, Person, SupervisionSession, VolunteerAssignment

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
            pledge_signed_on=since,
        )
        session = SupervisionSession.objects.create(
            held_on=today - timedelta(days=20), kind="group", supervisor="Handledare Demo", recorded_by=coordinator
        )
        session.participants.add(people[Role.SUPPORT_PERSON])
        Person.objects.create(name="Stina Stödmedlem", email="stina@" + DEMO_DOMAIN)
        if Case.objects.exists():
            return
        now = timezone.now()
        base = {"channel": "phone", "crime_category": "threats", "gender": "woman", "municipality": "Exempelstad"}
        fresh = case_services.register_case(
            data={**base, "received_at": now - timedelta(hours=3), "first_name": "Demo-Anna"}, by=coordinator
        )
        case_services.register_case(
            data={**base, "received_at": now - timedelta(days=1), "first_name": "Demo-Bo", "priority": "urgent"},
            by=coordinator,
        )
        late = case_services.register_case(
            data={**base, "received_at": now - timedelta(days=6), "first_name": "Demo-Cecilia"}, by=coordinator
        )
        case_services.assign(case=fresh, person=volunteer, kind="support", by=coordinator)
        case_services.assign(case=late, person=volunteer, kind="support", by=coordinator)
        case_services.log_attempt(
            case=late, made_at=now - timedelta(days=1), method="phone", outcome="reached", by=volunteer
        )
        # The referral form of the late case is due for shredding now that the first attempt is made.
        from cases import paper

        paper.file_paper(
            case=late, kind="police_referral", description="", filed_on=(now - timedelta(days=6)).date(), by=coordinator
        )
        case_services.register_case(
            data={**base, "received_at": now - timedelta(hours=5), "anonymous": True, "gender": "man"},
            by=coordinator,
        )
