"""The calendar's sections of the case page (cases/case_page.py): the case's
coming meetings and hearings, and its witness support at court, as far as the
user may see them."""

from django.utils import timezone

from jour.access import may_record_witness_support, may_see_all_witness_support

from . import selectors
from .models import Appointment


def case_sections(request, case, forms) -> dict:
    visible = Appointment.objects.visible_to(request.user)
    return {"appointments": visible.filter(case=case, ends_at__gte=timezone.now()).order_by("starts_at")}


def witness_section(request, case, forms) -> dict:
    user = request.user
    records = selectors.witness_support_of_case(user, case) if may_record_witness_support(user) else []
    return {"witness_supports": records, "can_see_all_witness_support": may_see_all_witness_support(user)}
