from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        from . import models

        # Contact details are masked entirely in the stored changes.
        auditlog.register(models.Person, mask_fields=["name", "email", "phone", "address", "postcode", "town"])
        for model in (models.Membership, models.Employment, models.VolunteerAssignment, models.BoardTerm):
            auditlog.register(model)
        auditlog.register(models.SupervisionSession, mask_fields=["note"], m2m_fields={"participants"})
