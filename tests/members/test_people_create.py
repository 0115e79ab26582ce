"""Adding a person: contact details, an optional login account not linked to
anyone else, an optional first membership, and refusals that keep what was typed."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, Person

TODAY = timezone.localdate()

TYPED = {
    "name": "  Ylva   Nyström ",
    "email": "Ylva.Nystrom@Example.SE",
    "phone": "070-987 65 43",
    "address": "Kvarngatan 3",
    "postcode": "54321",
    "town": "Skövde",
    "account": "",
    "first_engagement": "",
    "start": TODAY.isoformat(),
    "fee_paid_for": "",
}


def test_the_form_offers_a_membership_from_today(coordinator):
    response = coordinator.get(reverse("person_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["start"].value() == TODAY
    assert f'value="{TODAY.isoformat()}"' in response.content.decode()


def test_a_person_without_engagement_is_added_tidied_up(coordinator):
    response = coordinator.post(reverse("person_create"), TYPED)
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    assert (person.name, person.email, person.postcode) == ("Ylva Nyström", "ylva.nystrom@example.se", "543 21")
    assert person.memberships.count() == 0
    # The audit entry of the creation masks every contact detail.
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert "Nyström" not in str(entry.changes) and "ylva" not in str(entry.changes).lower()


def test_a_member_is_added_with_the_membership(coordinator):
    coordinator.post(reverse("person_create"), {**TYPED, "first_engagement": "member", "fee_paid_for": TODAY.year})
    membership = Membership.objects.get()
    assert (membership.kind, membership.start, membership.end, membership.fee_paid_for) == (
        "member",
        TODAY,
        None,
        TODAY.year,
    )


def test_a_supporting_member_needs_only_a_name_and_an_email(coordinator):
    data = dict.fromkeys(TYPED, "") | {"name": "Stina Stöd", "email": "stina@example.se"}
    data |= {"first_engagement": "supporting", "start": TODAY.isoformat()}
    response = coordinator.post(reverse("person_create"), data)
    assert response.status_code == 302
    assert Membership.objects.get().kind == "supporting"


def test_a_supporting_member_without_email_is_refused_and_keeps_what_was_typed(coordinator):
    data = TYPED | {"email": "", "first_engagement": "supporting"}
    response = coordinator.post(reverse("person_create"), data)
    assert response.status_code == 400
    assert Person.objects.count() == 0
    form = response.context["form"]
    assert form.errors["email"] == ["A supporting member needs an e-mail address."]
    html = response.content.decode()
    for field in ("name", "phone", "address", "town"):
        assert form[field].value() == data[field]
    assert 'value="Kvarngatan 3"' in html and 'value="Skövde"' in html
    # The error is tied to its field, and the page says that nothing is saved.
    assert 'aria-describedby="id_email_error"' in html and 'id="id_email_error"' in html
    assert 'role="alert"' in html


def test_a_member_needs_an_email_or_a_postal_address(coordinator):
    data = TYPED | {"email": "", "address": "", "postcode": "", "town": "", "first_engagement": "member"}
    response = coordinator.post(reverse("person_create"), data)
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    # A postal address is enough.
    response = coordinator.post(reverse("person_create"), TYPED | {"email": "", "first_engagement": "member"})
    assert response.status_code == 302


def test_a_membership_needs_its_start_date(coordinator):
    response = coordinator.post(reverse("person_create"), TYPED | {"first_engagement": "member", "start": ""})
    assert response.status_code == 400
    assert "start" in response.context["form"].errors
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "   "),
        ("email", "not-an-address"),
        ("phone", "call me maybe"),
        ("phone", "12"),
        ("postcode", "1234"),
        ("postcode", "ABC 12"),
        ("town", ""),  # an address without its town
        ("fee_paid_for", "1850"),
        ("start", "31/02/2025"),
        ("first_engagement", "honorary"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_its_field(coordinator, field, value):
    data = TYPED | {"first_engagement": "member", field: value}
    response = coordinator.post(reverse("person_create"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert Person.objects.count() == 0
    for other in ("name", "email", "phone", "address"):
        if other != field:
            assert form[other].value() == data[other]


def test_only_accounts_not_linked_to_anyone_are_offered(coordinator, people):
    Person.objects.create(name="Alex Support", account=people.alex)
    people.auditor.is_active = False
    people.auditor.save()
    offered = set(coordinator.get(reverse("person_create")).context["form"].fields["account"].queryset)
    assert offered == {people.coordinator, people.sam, people.board}
    response = coordinator.post(reverse("person_create"), TYPED | {"account": people.alex.pk})
    assert response.status_code == 400
    assert "account" in response.context["form"].errors


def test_a_linked_account_is_saved_and_its_closing_rule_explained(coordinator, people):
    response = coordinator.post(reverse("person_create"), TYPED | {"account": people.sam.pk}, follow=True)
    person = Person.objects.get()
    assert person.account == people.sam
    # Sam is a support person without a volunteer assignment: the nightly check would close the account.
    assert "volunteer assignment" in response.context["warning"]
