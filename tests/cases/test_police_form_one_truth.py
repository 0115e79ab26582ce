"""Issue 17, item 6: the police referral form has one truth, the paper register.

Declaring the form "on paper" enters it in the register, due for shredding
once the first contact attempt is made; filing a referral form in the register
says so on the case; a form still in the cabinet cannot be declared away; and
no form is kept as a file."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import paper, services
from cases.models import Case, PaperKind, PaperRecord
from tests.personas import client_for

from .factories import assign, attempt, case_form_data, local_input, make_case


def _due() -> set[int]:
    return set(paper.due_for_shredding().values_list("case_id", flat=True))


def test_a_form_declared_on_paper_is_in_the_register_and_due_at_the_first_attempt(people):
    received = timezone.now() - timedelta(hours=5)
    case = make_case(people.coordinator, received_at=received, police_referral_form="paper")

    record = PaperRecord.objects.get(case=case)
    assert (record.kind, record.filed_on, record.filed_by) == (
        PaperKind.POLICE_REFERRAL,
        timezone.localtime(received).date(),
        people.coordinator,
    )
    assert case.pk not in _due()  # not before the first attempt

    assign(case, people.alex, by=people.coordinator)
    attempt(case, timezone.now() - timedelta(hours=1), by=people.alex)
    assert case.pk in _due()
    page = client_for(people.alex).get(reverse("shredding_list")).content.decode()
    assert case.number in page


def test_no_form_is_kept_as_a_file(people):
    client = client_for(people.coordinator)
    before = Case.objects.count()

    response = client.post(
        reverse("case_create"),
        case_form_data(received_at=local_input(timezone.now()), police_referral_form="file"),
    )

    assert response.status_code == 400  # the form again, with the refusal
    assert "Select a valid choice" in response.content.decode()
    assert Case.objects.count() == before
    assert "file" not in dict(Case._meta.get_field("police_referral_form").choices)


def test_filing_a_referral_form_in_the_register_says_so_on_the_case(people):
    case = make_case(people.coordinator)
    assert case.police_referral_form == "none"

    paper.file_paper(
        case=case, kind=PaperKind.POLICE_REFERRAL, description="", filed_on=timezone.localdate(), by=people.coordinator
    )

    case.refresh_from_db()
    assert case.police_referral_form == "paper"
    assert PaperRecord.objects.filter(case=case).count() == 1


def test_a_form_still_in_the_cabinet_cannot_be_declared_away(people):
    case = make_case(people.coordinator, police_referral_form="paper")
    with pytest.raises(ValidationError) as refused:
        services.update_case(
            case=case, data={"police_referral_form": "none"}, expected_version=case.version, by=people.coordinator
        )
    assert "police_referral_form" in refused.value.message_dict
    case.refresh_from_db()
    assert case.police_referral_form == "paper"

    paper.confirm_shredded(record=PaperRecord.objects.get(case=case), by=people.coordinator)
    updated = services.update_case(
        case=case, data={"police_referral_form": "none"}, expected_version=case.version, by=people.coordinator
    )
    assert updated.police_referral_form == "none"


def test_declaring_it_again_enters_no_second_form(people):
    case = make_case(people.coordinator, police_referral_form="paper")
    services.update_case(
        case=case, data={"safe_to_leave_message": "yes"}, expected_version=case.version, by=people.coordinator
    )
    assert PaperRecord.objects.filter(case=case).count() == 1
