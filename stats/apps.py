from django.apps import AppConfig


class StatsConfig(AppConfig):
    # Not "statistics": that name would shadow the standard-library module.
    name = "stats"

    def ready(self):
        from . import year_cache

        year_cache.connect()
