"""Who may go to an appointment: only people who will be able to see it.

Appointment.objects.visible_to shows a seeker's meeting or hearing to the
coordinators and to the participants who have the case now. Anyone else ticked
as going would get a 404 on the appointment and never be reminded of it, so the
planning form offers, and the service accepts, only those who can see it.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import Assignment
from jour import access


def may_take_part(case=None):
    """The active accounts that could see an appointment of ``case`` (None: no
    case) if they went: for a case, the coordinators and the people assigned to
    it now, as Case.objects.visible_to decides."""
    people = access.may_plan_appointments.users()
    if case is None:
        return people
    on_case = Assignment.objects.filter(case=case, ended_at__isnull=True).values("person")
    return people.filter(Q(pk__in=access.may_plan_every_appointment.users().values("pk")) | Q(pk__in=on_case))


def refused(case, people, *, kept=()) -> list:
    """Those of ``people`` who could not see the appointment. ``kept``: people
    already going to it, who stay even if the case is no longer theirs (the
    coordinator sees that on the appointment and takes them off)."""
    kept_pks = {person.pk for person in kept}
    asked = [person for person in people if person.pk not in kept_pks]
    if not asked:
        return []
    allowed = set(may_take_part(case).filter(pk__in=[p.pk for p in asked]).values_list("pk", flat=True))
    return [person for person in asked if person.pk not in allowed]


def check(case, people, *, kept=()) -> None:
    outsiders = refused(case, people, kept=kept)
    if not outsiders:
        return
    names = ", ".join(sorted(person.name for person in outsiders))
    if case is None:
        message = _("%(names)s cannot take part in appointments: choose among the coordinators and support persons.")
    else:
        message = _(
            "%(names)s cannot see appointments of this case, so would never see this one: only the coordinators "
            "and the support persons assigned to the case now can go. Assign them to the case first."
        )
    raise ValidationError({"participants": message % {"names": names}})
