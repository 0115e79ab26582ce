"""The audit trail: django-auditlog, with masking and read access made explicit."""

from auditlog.cid import get_cid
from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.signals import accessed
from django.contrib.contenttypes.models import ContentType

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


def record_event(*, obj, action, actor, additional_data, changes=None) -> LogEntry:
    """An audit entry for something auditlog's signals do not see (an export, an
    anonymisation done with queryset updates): what happened to which record, never its values."""

    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_pk=str(obj.pk),
        object_id=obj.pk,
        object_repr=str(obj),
        action=action,
        changes=changes or {},
        additional_data=additional_data,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        cid=get_cid(),
    )


def record_bulk_access(*, model, actor, label: str, changes=None, additional_data=None) -> LogEntry:
    """One access entry for a list or an export of many records: who, when and
    what (a label and counts), never the records' contents. One entry per
    record shown would drown the log."""

    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_repr=label,
        action=LogEntry.Action.ACCESS,
        changes=changes,
        additional_data=additional_data,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        cid=get_cid(),
    )


def entries_for_coordinators():
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
