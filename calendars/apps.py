from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    # Not "calendar": that name would shadow the standard-library module.
    name = "calendars"
