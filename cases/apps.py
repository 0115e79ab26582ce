from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        # contacts_actions registers cases' own sources of the count when it is imported.
        from . import contacts_actions, mentions  # noqa: F401
        from .models import (
            Action,
            Assignment,
            Case,
            Circumstance,
            ContactAttempt,
            JournalEntry,
            PaperRecord,
            RetentionHold,
            RiskCheck,
        )

        # Where a seeker's name or number may have been typed (anonymisation looks in each).
        mentions.register(JournalEntry, ("text",), case_path="case")
        mentions.register(ContactAttempt, ("note",), case_path="case")
        mentions.register(Assignment, ("note", "end_note"), case_path="case")
        mentions.register(PaperRecord, ("description",), case_path="case")
        mentions.register(RetentionHold, ("reason",), case_path="case")

        # Personal data and free text are masked entirely in the stored changes.
        auditlog.register(
            Case,
            mask_fields=["first_name", "last_name", "phone", "email"],
            # The search columns repeat the masked fields: never in the log, not even masked.
            exclude_fields=["version", "search_key", "phone_digits"],
            m2m_fields={"circumstances"},
        )
        auditlog.register(Assignment, mask_fields=["note", "end_note"])
        auditlog.register(ContactAttempt, mask_fields=["note"])
        auditlog.register(JournalEntry, mask_fields=["text"])
        auditlog.register(PaperRecord, mask_fields=["description"])
        auditlog.register(RetentionHold, mask_fields=["reason"])
        auditlog.register(RiskCheck)
        auditlog.register(Circumstance)
        auditlog.register(Action)  # no free text: nothing to mask
