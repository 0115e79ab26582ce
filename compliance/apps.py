from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        from members.signals import erasure_requested

        from . import models, services

        erasure_requested.connect(services.refuse_erasure_of_the_named, dispatch_uid="compliance.erasure")

        # Who changed the yearly cycle and when. Governance data, not a seeker's;
        # the frozen JSON itself is kept out of the log (it is stored once, unchangeable).
        auditlog.register(models.Assessment, exclude_fields=["frozen_json"])
        for model in (
            models.Answer,
            models.EvidenceRevision,
            models.EvidenceLink,
            models.Signature,
            models.ActionPlan,
            models.ActionItem,
            models.ReportSubmission,
            models.AnnualMeeting,
            models.FederationSending,
            models.AssuranceSending,
        ):
            auditlog.register(model)
        auditlog.register(models.Assurance, exclude_fields=["document_json"])
