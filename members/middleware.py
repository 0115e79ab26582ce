"""Access ends when the engagement ends, not at the nightly check.

An end date reached at midnight used to leave the account open until the
nightly leavers' sweep (members.tasks.close_leavers_accounts). Each session is
checked once per day, at its first request of the day: if the account's person
no longer holds what the role needs, the leaving rule runs at once (cases
handed back, account deactivated) and the request is sent to the login page.
"""

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Person

CHECKED_KEY = "jour_entitled_on"


class EngagementEndMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            today = timezone.localdate()
            if request.session.get(CHECKED_KEY) != today.isoformat():
                if self._has_left(user, today):
                    logout(request)
                    return redirect_to_login(request.get_full_path())
                request.session[CHECKED_KEY] = today.isoformat()
        return self.get_response(request)

    @staticmethod
    def _has_left(user, today) -> bool:
        person = Person.objects.filter(account=user).first()
        if person is None or services.still_entitled(person, user.role, today):
            return False
        with transaction.atomic():
            services.apply_leaving(person=person, by=None, day=today)
        return True
