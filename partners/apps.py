from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        from cases import case_page, mentions

        from .case_page import case_sections
        from .models import CaseRoutine, Partner, Referral, Routine, RoutineConfirmation, StepCheck

        case_page.add_section(template="partners/_case_sections.html", context=case_sections, order=10)
        mentions.register(Referral, ("note",), case_path="case")

        auditlog.register(Partner)
        auditlog.register(Referral, mask_fields=["note"])
        auditlog.register(Routine)
        auditlog.register(RoutineConfirmation)
        auditlog.register(CaseRoutine)
        auditlog.register(StepCheck)
