"""Issue 17, item 5: nobody is given a case without a signed confidentiality pledge."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.forms import AssignForm
from cases.models import Assignment
from members.models import ConfidentialityPledge, Person, VolunteerAssignment
from tests.cases.factories import make_case
from tests.personas import client_for

LONG_AGO = timezone.localdate() - timedelta(days=400)


@pytest.fixture
def alex_without_pledge(people):
    person = Person.objects.create(name="Alex Support", account=people.alex)
    VolunteerAssignment.objects.create(person=person, start=LONG_AGO, basic_training_on=LONG_AGO)
    return person


def test_a_volunteer_without_a_pledge_is_neither_offered_nor_assigned(people, alex_without_pledge):
    case = make_case(people.coordinator)
    offered = AssignForm().fields["person"].queryset
    assert people.alex not in offered and people.sam in offered  # Sam's account is linked to nobody

    with pytest.raises(ValidationError) as refused:
        case_services.assign(case=case, person=people.alex, kind="support", by=people.coordinator)
    assert "Alex Support" in str(refused.value)
    assert not Assignment.objects.filter(case=case).exists()

    ConfidentialityPledge.objects.create(person=alex_without_pledge, signed_on=timezone.localdate())
    assert people.alex in AssignForm().fields["person"].queryset
    case_services.assign(case=case, person=people.alex, kind="support", by=people.coordinator)
    assert Assignment.objects.filter(case=case, person=people.alex).exists()


def test_the_case_page_says_why_and_keeps_the_case_as_it_was(people, alex_without_pledge):
    case = make_case(people.coordinator)
    client = client_for(people.coordinator)

    response = client.post(
        reverse("case_assign", args=[case.pk]), {"person": people.alex.pk, "kind": "support"}, follow=True
    )

    assert not Assignment.objects.filter(case=case).exists()
    assert response.status_code == 400
    # The form no longer offers Alex, and says why the choice is refused.
    assert "only active support persons with a signed confidentiality pledge on record can" in (
        response.content.decode()
    )
