from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    # Not "calendar": that name would shadow the standard-library module.
    name = "calendars"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        from cases import case_page, contacts_actions, mentions, seeker_data
        from jour.signals import account_deactivated

        from . import contacts_actions as our_count
        from . import feeds
        from . import seeker_data as our_seeker_data
        from .case_page import case_sections, witness_section
        from .models import Appointment, MailboxCheck, PhoneClosure, PhoneForwarding, PhoneHours, WitnessSupport

        # A deactivated account's feed stops at once, and stays stopped if it is reactivated.
        account_deactivated.connect(feeds.on_account_deactivated, dispatch_uid="calendars.feeds")
        case_page.add_section(template="calendars/_case_appointments.html", context=case_sections, order=20)
        case_page.add_section(template="calendars/_case_witness_support.html", context=witness_section, order=22)
        mentions.register(Appointment, ("title", "place", "room"), case_path="case")
        mentions.register(PhoneClosure, ("reason",))
        seeker_data.add_section(**our_seeker_data.SECTION)
        contacts_actions.register(**our_count.SOURCE)
        seeker_data.add_section(**our_seeker_data.WITNESS_SECTION)
        # WitnessSupport holds no free text: nothing for mentions.register.

        # Title and place should hold no name or address of a seeker, but one typed
        # there anyway is not copied into the log (anonymisation blanks them too).
        auditlog.register(
            Appointment, mask_fields=["title", "place", "room"], exclude_fields=["version"], m2m_fields={"participants"}
        )
        auditlog.register(PhoneHours)
        auditlog.register(PhoneClosure)
        auditlog.register(PhoneForwarding)
        auditlog.register(MailboxCheck)
        auditlog.register(WitnessSupport)  # no free text and no name: every field is logged as it is
        # FeedToken is not registered: its digest has no place in a log.
