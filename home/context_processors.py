"""What every page's header needs: the jour's name and the navigation of the user's role."""

from django.conf import settings

from cases.notifications import unread_count
from jour import access


def navigation(request):
    user = getattr(request, "user", None)
    verified = bool(user and user.is_authenticated and user.is_verified())
    return {
        "jour_name": settings.JOUR_NAME,
        "nav": {
            "verified": verified,
            "accounts": verified and access.can_manage_accounts(user),
            "audit": verified and access.can_read_audit_log(user),
            "cases": verified and user.role in access.CASE_ROLES,
            "new_case": verified and access.can_manage_cases(user),
            "kpi": verified and user.role in access.KPI_ROLES,
            "people": verified and access.can_manage_people(user),
            "board": verified and user.role in access.GOVERNANCE_ROLES,
            "unread": unread_count(user) if verified and user.role in access.CASE_ROLES else 0,
        },
    }
