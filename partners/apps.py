from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        from cases import case_page, contacts_actions, mentions, seeker_data

        from . import contacts_actions as our_count
        from . import seeker_data as our_seeker_data
        from .case_page import case_sections
        from .models import CaseRoutine, Partner, Referral, Routine, RoutineConfirmation, StepCheck

        case_page.add_section(template="partners/_case_sections.html", context=case_sections, order=10)
        mentions.register(Referral, ("note",), case_path="case")
        for section in our_seeker_data.SECTIONS:
            seeker_data.add_section(**section)
        contacts_actions.register(**our_count.SOURCE)

        auditlog.register(Partner)
        auditlog.register(Referral, mask_fields=["note"])
        auditlog.register(Routine)
        auditlog.register(RoutineConfirmation)
        auditlog.register(CaseRoutine)
        auditlog.register(StepCheck)
