from django.conf import settings

from . import access


def navigation(request):
    user = getattr(request, "user", None)
    verified = bool(user and user.is_authenticated and user.is_verified())
    return {
        "jour_name": settings.JOUR_NAME,
        "nav": {
            "verified": verified,
            "accounts": verified and access.can_manage_accounts(user),
            "audit": verified and access.can_read_audit_log(user),
        },
    }
