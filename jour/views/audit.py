"""The audit log, for coordinators."""

from auditlog.models import LogEntry
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import audit_display
from ..access import may_read_audit_log, requires
from ..audit import entries_for_coordinators

AUDIT_PAGE_SIZE = 50


@requires(may_read_audit_log)
@require_GET
def audit_log(request):
    entries = entries_for_coordinators()
    action = request.GET.get("action", "")
    # One of the offered choices, or no filter: "²".isdigit() is true and int() refuses it.
    if action in {str(value) for value, _label in LogEntry.Action.choices}:
        entries = entries.filter(action=int(action))
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_display.describe(page)
    template = "audit/_rows.html" if request.htmx else "audit/log.html"
    return render(request, template, {"page": page, "action": action})
