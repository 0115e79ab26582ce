"""A board member named in a year's assessment cannot be erased: the signed record stays as signed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compliance import services
from members.forms.people import erase_word
from members.models import Person
from members.services import erase_person
from tests.personas import login_verified

from .cycle import assess_all


def test_a_person_named_in_an_assessment_is_not_erased(client, people):
    named = Person.objects.create(name="Nora Namngiven", email="nora@jour.test")
    free = Person.objects.create(name="Fri Person", email="fri@jour.test")
    assessment = services.start_year(year=2025, by=people.coordinator)
    assess_all(assessment, people.coordinator, responsible=named)

    with pytest.raises(ValidationError) as caught:
        erase_person(person=named, by=people.coordinator)
    assert "2025" in caught.value.messages[0]
    assert Person.objects.filter(pk=named.pk).exists()

    login_verified(client, people.coordinator)
    response = client.post(reverse("person_erase", args=[named.pk]), {"confirm": erase_word()})
    assert response.status_code == 400  # a refused form, as everywhere in the site
    assert "2025" in response.content.decode()
    assert Person.objects.filter(pk=named.pk).exists()

    erase_person(person=free, by=people.coordinator)  # nobody else is held back
    assert not Person.objects.filter(pk=free.pk).exists()
