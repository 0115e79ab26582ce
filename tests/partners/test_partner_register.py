"""The partner register: the coordinator keeps it; inactive partners are
hidden by default and cannot be chosen for a new referral."""

import re

import pytest
from django.urls import reverse

from partners.models import Partner, Referral

from .helpers import alex_case, client_for, make_partner, referral_post, text

FORM = {
    "name": "Brottsofferjouren Grannstad",
    "kind": "ngo",
    "phone": "010-200 00 00",
    "email": "info@grannstad.example",
    "address": "Storgatan 1",
    "website": "https://grannstad.example",
    "opening_hours": "Mån–fre 9–16",
    "contact_person": "Verksamhetsledaren",
    "contact_details": "Växeln",
    "active": "on",
}


@pytest.fixture
def coordinator(people):
    return client_for(people.coordinator)


def test_coordinator_creates_a_partner(coordinator):
    response = coordinator.post(reverse("partner_create"), FORM)
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partner_detail", args=[partner.pk])
    assert (partner.name, partner.kind, partner.opening_hours, partner.active) == (
        FORM["name"],
        "ngo",
        FORM["opening_hours"],
        True,
    )
    page = text(coordinator.get(response["Location"]))
    assert "The partner is saved." in page
    assert FORM["name"] in page


@pytest.mark.parametrize("broken", [{"name": ""}, {"kind": "spy"}, {"email": "not-an-address"}])
def test_invalid_partner_is_400_and_not_saved(coordinator, broken):
    response = coordinator.post(reverse("partner_create"), {**FORM, **broken})
    assert response.status_code == 400
    assert not Partner.objects.exists()


def test_coordinator_edits_a_partner_and_can_make_it_inactive(coordinator):
    partner = make_partner()
    data = {**FORM, "name": "Kvinnojouren Exempelstad (ny adress)"}
    del data["active"]  # the unticked checkbox is not posted

    response = coordinator.post(reverse("partner_edit", args=[partner.pk]), data)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Kvinnojouren Exempelstad (ny adress)"
    assert partner.active is False
    assert Partner.objects.count() == 1  # edited, not copied

    edit_page = text(coordinator.get(reverse("partner_edit", args=[partner.pk])))
    assert "Kvinnojouren Exempelstad (ny adress)" in edit_page


def test_invalid_edit_is_400_and_keeps_the_partner(coordinator):
    partner = make_partner()
    response = coordinator.post(reverse("partner_edit", args=[partner.pk]), {**FORM, "name": ""})
    assert response.status_code == 400
    partner.refresh_from_db()
    assert partner.name == "Kvinnojouren Exempelstad"


def test_inactive_partners_are_hidden_unless_all(people):
    make_partner("Aktiva jouren")
    make_partner("Nedlagda jouren", active=False)
    client = client_for(people.alex)

    default = text(client.get(reverse("partner_list")))
    assert "Aktiva jouren" in default
    assert "Nedlagda jouren" not in default

    everything = text(client.get(reverse("partner_list") + "?all=1"))
    assert "Aktiva jouren" in everything
    assert "Nedlagda jouren" in everything

    # The inactive partner's own page still opens (old referrals link to it).
    inactive = Partner.objects.get(name="Nedlagda jouren")
    assert client.get(reverse("partner_detail", args=[inactive.pk])).status_code == 200


def _partner_choices(page: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="partner"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the page has a partner choice"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_referral_form_offers_only_active_partners(people):
    active = make_partner("Aktiva jouren")
    inactive = make_partner("Nedlagda jouren", active=False)
    case = alex_case(people)
    alex = client_for(people.alex)

    page = text(alex.get(reverse("case_detail", args=[case.pk])))
    assert [value for value, _ in _partner_choices(page)] == ["", str(active.pk)]
    assert "Nedlagda jouren" not in page

    response = alex.post(reverse("referral_create", args=[case.pk]), referral_post(inactive))
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_referral_form_names_the_partners(people):
    active = make_partner("Aktiva jouren")
    case = alex_case(people)
    page = text(client_for(people.alex).get(reverse("case_detail", args=[case.pk])))
    assert (str(active.pk), "Aktiva jouren") in _partner_choices(page)


def test_routine_step_form_names_the_partners(coordinator):
    partner = make_partner("Aktiva jouren")
    page = text(coordinator.get(reverse("routine_create")))
    select = re.search(r'<select name="steps-0-partner"[^>]*>(.*?)</select>', page, re.S)
    assert select
    assert f'<option value="{partner.pk}">Aktiva jouren</option>' in select.group(1)


def test_an_old_referral_to_a_partner_made_inactive_stays_on_the_case(people, coordinator):
    partner = make_partner("Snart nedlagd")
    case = alex_case(people)
    alex = client_for(people.alex)
    assert alex.post(reverse("referral_create", args=[case.pk]), referral_post(partner)).status_code == 302
    Partner.objects.filter(pk=partner.pk).update(active=False)

    page = text(alex.get(reverse("case_detail", args=[case.pk])))
    assert "Snart nedlagd" in page  # in the referral table
    assert Referral.objects.get().partner_id == partner.pk
