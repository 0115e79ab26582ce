"""Referrals: a referral out needs the seeker's consent and how it was given,
refused by the view, the service and the database alike."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import retention
from partners.models import Referral

from .helpers import alex_case, case_state, client_for, make_partner, referral_post, text

CONSENT_MESSAGE = "A referral to a partner needs the seeker's consent"


@pytest.fixture
def setup(people):
    return people, alex_case(people), make_partner()


@pytest.mark.parametrize(
    ("consent", "consent_way"),
    [(False, ""), (False, "oral"), (True, "")],
    ids=["no-consent", "way-without-consent", "consent-without-way"],
)
@pytest.mark.parametrize("who", ["alex", "coordinator"])
def test_referral_out_without_full_consent_is_refused_with_a_message(setup, consent, consent_way, who):
    people, case, partner = setup
    before = case_state(case)
    client = client_for(getattr(people, who))

    response = client.post(
        reverse("referral_create", args=[case.pk]),
        referral_post(partner, consent=consent, consent_way=consent_way),
    )

    assert response.status_code == 400
    assert CONSENT_MESSAGE in text(response)
    assert Referral.objects.count() == 0
    assert case_state(case) == before


@pytest.mark.parametrize("way", ["oral", "written"])
def test_referral_out_with_consent_and_way_is_saved(setup, way):
    people, case, partner = setup
    client = client_for(people.alex)

    response = client.post(reverse("referral_create", args=[case.pk]), referral_post(partner, consent_way=way))

    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    referral = Referral.objects.get()
    assert (referral.case_id, referral.partner_id, referral.direction) == (case.pk, partner.pk, "out")
    assert referral.consent is True
    assert referral.consent_way == way
    assert referral.recorded_by == people.alex

    page = text(client.get(reverse("case_detail", args=[case.pk])))
    assert "The referral is recorded." in page
    assert partner.name in page
    assert "Referred to the partner" in page


def test_referral_in_needs_no_consent(setup):
    people, case, partner = setup
    client = client_for(people.alex)

    response = client.post(
        reverse("referral_create", args=[case.pk]),
        referral_post(partner, direction="in", consent=False, consent_way=""),
    )

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.direction == "in"
    assert referral.consent is False


@pytest.mark.parametrize(
    ("consent", "consent_way"), [(False, ""), (False, "oral"), (True, "")], ids=["none", "no-consent", "no-way"]
)
def test_database_refuses_a_referral_out_without_consent(setup, consent, consent_way):
    people, case, partner = setup
    with pytest.raises(IntegrityError, match="referral_out_needs_consent"), transaction.atomic():
        Referral.objects.create(
            case=case,
            direction="out",
            partner=partner,
            reason="shelter",
            consent=consent,
            consent_way=consent_way,
            recorded_by=people.alex,
        )
    assert Referral.objects.count() == 0


def test_database_accepts_referrals_in_without_consent_and_out_with_it(setup):
    people, case, partner = setup
    common = {"case": case, "partner": partner, "reason": "legal", "recorded_by": people.alex}
    Referral.objects.create(direction="in", consent=False, consent_way="", **common)
    Referral.objects.create(direction="out", consent=True, consent_way="written", **common)
    assert Referral.objects.count() == 2


def test_anonymised_case_refuses_new_referrals(setup):
    people, case, partner = setup
    retention.erase_on_request(case=case, by=people.coordinator)
    before = case_state(case)
    client = client_for(people.coordinator)

    for data in (referral_post(partner), referral_post(partner, direction="in", consent=False, consent_way="")):
        response = client.post(reverse("referral_create", args=[case.pk]), data)
        assert response.status_code == 400
    assert Referral.objects.count() == 0
    assert case_state(case) == before


def test_anonymised_case_refusal_says_why(setup):
    people, case, partner = setup
    retention.erase_on_request(case=case, by=people.coordinator)
    client = client_for(people.coordinator)

    response = client.post(reverse("referral_create", args=[case.pk]), referral_post(partner))

    assert response.status_code == 400
    assert "nothing new can be added" in text(response)


def test_invalid_referral_form_is_400_and_saves_nothing(setup):
    people, case, partner = setup
    client = client_for(people.alex)
    response = client.post(reverse("referral_create", args=[case.pk]), referral_post(partner, reason="gossip"))
    assert response.status_code == 400
    assert Referral.objects.count() == 0
