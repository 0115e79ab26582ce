from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import CaseRoutine, Partner, Referral, Routine, RoutineConfirmation, StepCheck

        auditlog.register(Partner)
        auditlog.register(Referral, mask_fields=["note"])
        auditlog.register(Routine)
        auditlog.register(RoutineConfirmation)
        auditlog.register(CaseRoutine)
        auditlog.register(StepCheck)
