"""The health check and the page for a refused CSRF token."""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import public


@public
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    """Django's own page has inline styles (refused by our CSP) and no navigation."""
    return render(request, "403_csrf.html", status=403)
