from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        from .models import Assignment, Case, ContactAttempt, PaperRecord, RetentionHold, RiskCheck

        # Personal data and free text are masked entirely in the stored changes.
        auditlog.register(
            Case,
            mask_fields=["first_name", "last_name", "phone", "email", "notes"],
            exclude_fields=["version"],
        )
        auditlog.register(Assignment, mask_fields=["note", "end_note"])
        auditlog.register(ContactAttempt, mask_fields=["note"])
        auditlog.register(PaperRecord, mask_fields=["description"])
        auditlog.register(RetentionHold, mask_fields=["reason"])
        auditlog.register(RiskCheck)
