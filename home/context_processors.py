"""What every page's header needs: the jour's name, what the user may do
(`may`, asked of jour.access), the menu and the unread notifications."""

from django.conf import settings

from cases.notifications import unread_count
from jour import access

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    verified = bool(user and user.is_authenticated and user.is_verified())
    may = access.Granted(user if verified else None)
    return {
        "jour_name": settings.JOUR_NAME,
        "may": may,
        "nav": {
            "verified": verified,
            "unread": unread_count(user) if may.work_cases else 0,
            "menu": menu_for(user, request.path) if verified else [],
        },
    }
