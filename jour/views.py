"""Health check, login accounts and the audit log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import accounts
from .access import accounts_visible_to, may_manage_accounts, may_read_audit_log, public, requires
from .audit import entries_for_coordinators, record_access
from .forms import InviteForm
from .models import Invitation

AUDIT_PAGE_SIZE = 50


@public
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@requires(may_manage_accounts)
@require_http_methods(["GET", "POST"])
def account_list(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.invite_user(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation is on its way. The link works for 72 hours."))
            return redirect("account_list")
    users = accounts_visible_to(request.user).order_by("-is_active", "name")
    invitations = Invitation.objects.filter(used_at__isnull=True, revoked_at__isnull=True, user__isnull=True)
    return render(
        request,
        "accounts/account_list.html",
        {"form": form, "users": users, "invitations": invitations},
    )


@requires(may_manage_accounts)
@require_GET
def account_detail(request, pk):
    user = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    record_access(request, user)
    return render(request, "accounts/account_detail.html", {"account": user})


@requires(may_manage_accounts)
@require_POST
def account_action(request, pk, action):
    user = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    actions = {
        "deactivate": (accounts.deactivate_user, _("The account is deactivated and its sessions are ended.")),
        "reactivate": (accounts.reactivate_user, _("The account is active again.")),
        "reset": (accounts.reset_access, _("Access is reset; a new one-time link is on its way.")),
    }
    if action not in actions:
        return HttpResponse(status=404)
    function, done = actions[action]
    try:
        function(user=user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("account_detail", pk=user.pk)


@requires(may_manage_accounts)
@require_POST
def invitation_action(request, pk, action):
    invitation = get_object_or_404(Invitation, pk=pk)
    if action == "resend":
        try:
            accounts.resend_invitation(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("A new link is on its way; the previous one no longer works."))
    elif action == "revoke":
        accounts.revoke_invitation(invitation=invitation, by=request.user)
        messages.success(request, _("The invitation is withdrawn."))
    else:
        return HttpResponse(status=404)
    return redirect("account_list")


@requires(may_read_audit_log)
@require_GET
def audit_log(request):
    entries = entries_for_coordinators()
    action = request.GET.get("action", "")
    if action.isdigit():
        entries = entries.filter(action=int(action))
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        # A list, not the dict: a field named like a dict method ("items") would
        # shadow .items in the template.
        entry.change_rows = list(entry.changes_dict.items())
    template = "audit/_rows.html" if request.htmx else "audit/log.html"
    return render(request, template, {"page": page, "action": action})


def csrf_failure(request, reason=""):
    """Django's own page has inline styles (refused by our CSP) and no navigation."""
    return render(request, "403_csrf.html", status=403)
