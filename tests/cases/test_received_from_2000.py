"""Issue 16, item 7: a case received in 1900 was accepted (and escalated at once)."""

import pytest
from django.urls import reverse

from cases.models import Case
from tests.personas import client_for

from .factories import case_form_data


@pytest.mark.parametrize("received", ["1900-01-01T10:00", "0001-01-01T00:00", "1999-12-31T23:59"])
def test_a_case_reached_the_jour_in_2000_or_later(people, received):
    """Issue 16, item 7: a case received in 1900 was accepted and escalated at once."""
    client = client_for(people.coordinator)
    response = client.post(reverse("case_create"), case_form_data(received_at=received))
    assert response.status_code in (200, 400)
    assert "Give a date from the year 2000 on: check the year." in response.content.decode()
    assert not Case.objects.exists()
