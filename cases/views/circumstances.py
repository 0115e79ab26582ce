"""The jour's special circumstances: the markers a case can carry beside its
crime type. The federation's four are built in; a jour may add its own, rename
them and take any out of use (a marker in use on cases is never deleted: the
statistics of past years still count it). Coordinators keep the list."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jour.access import may_manage_cases, requires

from .. import services
from ..forms import CircumstanceForm
from ..models import Circumstance


@requires(may_manage_cases)
@require_http_methods(["GET", "POST"])
def circumstance_list(request, pk=None):
    """The list, with a form to add a marker or (with `pk`) change one."""
    marker = get_object_or_404(Circumstance, pk=pk) if pk else None
    form = CircumstanceForm(request.POST or None, instance=marker)
    if request.method == "POST" and form.is_valid():
        services.save_circumstance(marker=form.instance, by=request.user)
        messages.success(request, _("The special circumstance is saved."))
        return redirect("circumstance_list")
    status = 400 if request.method == "POST" else 200
    context = {"markers": Circumstance.objects.all(), "form": form, "marker": marker}
    return render(request, "cases/circumstance_list.html", context, status=status)
