"""The calendar's section of the case page (cases/case_page.py): the case's
coming meetings and hearings, as far as the user may see them."""

from django.utils import timezone

from .models import Appointment


def case_sections(request, case, forms) -> dict:
    visible = Appointment.objects.visible_to(request.user)
    return {"appointments": visible.filter(case=case, ends_at__gte=timezone.now()).order_by("starts_at")}
