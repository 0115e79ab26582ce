import pytest
from django.conf import settings

from tests.personas import login_verified


@pytest.fixture
def coordinator(client, people):
    """The coordinator, logged in, with the pages in English (the source language)."""
    login_verified(client, people.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
