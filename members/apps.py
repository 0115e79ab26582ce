from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        from cases import assignability, mentions
        from jour.signals import account_created, account_reactivating

        from . import models, services

        # A supervision note names no seeker, but if one is typed, anonymisation finds it.
        mentions.register(models.SupervisionSession, ("note",))
        # An accepted invitation's new account belongs to the person it was made for.
        account_created.connect(services.link_accepted_account, dispatch_uid="members.link_accepted_account")
        # Nobody is given a case without a signed confidentiality pledge.
        assignability.add_rule(reasons=services.pledge_missing, limit=services.with_pledge_or_unlinked)
        # How many cases a volunteer can have at a time is theirs to say: the assign form shows the load.
        assignability.set_capacity(services.with_capacity)
        # A deactivated account comes back only while its person meets the access rule.
        account_reactivating.connect(services.check_reactivation, dispatch_uid="members.check_reactivation")

        # Contact details are masked entirely in the stored changes.
        auditlog.register(models.Person, mask_fields=["name", "email", "phone", "address", "postcode", "town"])
        for model in (
            models.Membership,
            models.Employment,
            models.VolunteerAssignment,
            models.BoardTerm,
            models.ConfidentialityPledge,
        ):
            auditlog.register(model)
        auditlog.register(models.SupervisionSession, mask_fields=["note"], m2m_fields={"participants"})
