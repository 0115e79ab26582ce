"""The whole path in the browser's terms: register, assign, first attempt, deadline shown."""

from datetime import datetime

from django.urls import reverse

from cases.models import Case, Status
from jour.workdays import STOCKHOLM
from tests.personas import login_verified


def test_register_assign_and_log_the_first_attempt(client, people, settings):
    login_verified(client, people.coordinator)
    response = client.post(
        reverse("case_create"),
        {
            "received_at": "2026-11-20T15:00",  # a Friday afternoon
            "channel": "phone",
            "priority": "normal",
            "crime_type": "assault",
            "reported_to_police": "yes",
            "first_name": "Siv",
            "last_name": "Testsson",
            "phone": "070-123 45 67",
            "preferred_contact": "phone",
            "safe_to_leave_message": "no",
            "gender": "woman",
            "age_group": "26-64",
            "municipality": "1281",
            "seeker_role": "victim",
            "police_referral_form": "none",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    # Friday 15:00 + 48 working hours: Tuesday 15:00.
    assert case.first_contact_due == datetime(2026, 11, 24, 15, 0, tzinfo=STOCKHOLM)
    assert case.number.endswith("-0001") and case.status == Status.NEW

    client.post(reverse("case_assign", args=[case.pk]), {"person": people.alex.pk, "kind": "support", "note": "Ring"})
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FIRST_CONTACT

    login_verified(client, people.alex)
    page = client.get(reverse("case_detail", args=[case.pk]))
    assert "Siv" in page.content.decode()
    client.post(
        reverse("attempt_create", args=[case.pk]),
        {"made_at": "2026-11-23T10:00", "method": "phone", "outcome": "no_answer"},
    )
    case.refresh_from_db()
    assert case.status == Status.ACTIVE
    assert case.first_contact_at == datetime(2026, 11, 23, 10, 0, tzinfo=STOCKHOLM)
    assert case.first_contact_hours == 9 + 10  # Friday 15-24 and Monday 0-10; the weekend does not count
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "inom tidsgränsen" in html or "within the deadline" in html

    login_verified(client, people.sam)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
