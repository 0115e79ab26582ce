from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top floor: the start page, the navigation and the demo jour."""

    name = "home"
