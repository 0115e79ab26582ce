"""A few actions on the demo cases, so the case page shows its count of
contacts and actions; once, and only on demo cases still holding their data."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import Action, ActionKind, Case
from jour.access import may_be_assigned_cases

# (the demo case's first name, days ago, kind)
ACTIONS = [
    ("Demo-Cecilia", 1, ActionKind.LEGAL_INFORMATION),
    ("Demo-Cecilia", 0, ActionKind.COMPENSATION_HELP),
    ("Demo-Anna", 0, ActionKind.PRACTICAL_HELP),
]


def seed_actions(demo_domain: str) -> None:
    volunteer = may_be_assigned_cases.users().filter(email__endswith="@" + demo_domain).first()
    if volunteer is None or Action.objects.exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        for first_name, days_ago, kind in ACTIONS:
            case = Case.objects.filter(first_name=first_name, anonymised_at__isnull=True).first()
            if case is None:
                continue
            done_on = max(today - timedelta(days=days_ago), timezone.localdate(case.received_at))
            case_services.record_action(case=case, done_on=done_on, kind=kind, by=volunteer)
