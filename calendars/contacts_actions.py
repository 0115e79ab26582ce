"""The calendar's part of the federation's count (cases/contacts_actions.py):
a meeting with the seeker held is a contact, a court hearing accompanied an
action. Held: not cancelled, and it has started."""

from django.utils.translation import gettext_lazy as _

from cases.contacts_actions import ACTION, CONTACT, Kind

from .models import Appointment, AppointmentKind


def held(now):
    return Appointment.objects.filter(cancelled_at__isnull=True, starts_at__lt=now)


SOURCE = {
    "name": "appointments",
    "rows": held,
    "happened": "starts_at",
    "kind_field": "kind",
    "kinds": {
        AppointmentKind.MEETING.value: Kind("meetings", _("Meetings with a seeker"), CONTACT, 20),
        AppointmentKind.COURT.value: Kind("court_hearings", _("Court hearings accompanied"), ACTION, 30),
    },
}
