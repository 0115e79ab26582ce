"""The audit trail: django-auditlog, with masking and read access made explicit."""

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.signals import accessed

from .lockout import client_ip

MASK = "********"


def mask(value: str) -> str:
    """Replace a masked value entirely: auditlog's default keeps half of it."""
    return MASK


class AuditlogMiddleware(_AuditlogMiddleware):
    """auditlog trusts the left-most X-Forwarded-For entry, which the client
    writes; use the same address the lockout uses instead."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request) or None

    @staticmethod
    def _get_remote_port(request):
        return None


def record_access(request, obj) -> None:
    """Log that the current user opened a record holding personal data.

    auditlog does this only for its own detail-view mixin; pages, exports and
    htmx partials call this instead.
    """
    accessed.send(sender=obj.__class__, instance=obj)


def entries_for_coordinators():
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
