"""Login accounts: the list, open invitations (resend, withdraw), deactivate,
reactivate, reset (coordinators). Invitations start on a person's page in the
register (members.views.people.person_invite), never here."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..access import accounts_visible_to, may_manage_accounts, requires
from ..audit import record_access
from ..models import Invitation


@requires(may_manage_accounts)
@require_GET
def account_list(request):
    """The accounts and the open invitations. Nobody is invited from here: an
    invitation starts on a person's page in the register (members), so that
    every account belongs to someone the leaving rule and the pledge cover."""
    users = accounts_visible_to(request.user).order_by("-is_active", "name")
    invitations = Invitation.objects.filter(used_at__isnull=True, revoked_at__isnull=True, user__isnull=True)
    return render(
        request,
        "accounts/account_list.html",
        {"users": users, "invitations": invitations, "valid_hours": settings.INVITATION_VALID_HOURS},
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
        "deactivate": (services.deactivate_user, _("The account is deactivated and its sessions are ended.")),
        "reactivate": (services.reactivate_user, _("The account is active again.")),
        "reset": (services.reset_access, _("Access is reset; a new one-time link is on its way.")),
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
            services.resend_invitation(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("A new link is on its way; the previous one no longer works."))
    elif action == "revoke":
        services.revoke_invitation(invitation=invitation, by=request.user)
        messages.success(request, _("The invitation is withdrawn."))
    else:
        return HttpResponse(status=404)
    return redirect("account_list")
