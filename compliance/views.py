"""The requirement catalogue, for the coordinator, the board and the auditors."""

from itertools import groupby

from django.shortcuts import render
from django.views.decorators.http import require_GET

from jour.access import GOVERNANCE_ROLES, for_roles

from . import catalogue, evidence


@for_roles(GOVERNANCE_ROLES)
@require_GET
def requirement_list(request):
    revision = catalogue.current_revision()
    groups = []
    if revision is not None:
        requirements = list(revision.requirements.order_by("position"))
        found = evidence.evidence_for(r.signal for r in requirements)
        for requirement in requirements:
            requirement.evidence = found.get(requirement.signal)
        groups = [(key, list(items)) for key, items in groupby(requirements, key=lambda r: r.group_code)]
    return render(request, "compliance/requirements.html", {"revision": revision, "groups": groups})
