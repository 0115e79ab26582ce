"""The jour's register of places: the only "where" an appointment shows outside
the site (reminders, calendar apps). Coordinators keep it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jour.access import may_manage_places, requires

from .. import services
from ..forms import PlaceForm
from ..models import Place


@requires(may_manage_places)
@require_http_methods(["GET", "POST"])
def place_list(request, pk=None):
    """The register, with a form to add a place or (with `pk`) change one."""
    place = get_object_or_404(Place, pk=pk) if pk else None
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        services.save_place(place=form.instance, by=request.user)
        messages.success(request, _("The place is saved."))
        return redirect("place_list")
    status = 400 if request.method == "POST" else 200
    context = {"places": Place.objects.all(), "form": form, "place": place}
    return render(request, "calendars/place_list.html", context, status=status)
