"""The seeker's rights: erasure on request (art. 17), which respects a hold and
leaves other cases alone. The art. 15 export has its own tests:
test_seeker_data_export.py."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cases import paper, retention, services
from cases.models import Case, ContactAttempt, PaperKind, Status
from tests.members.dbsearch import find_in_database
from tests.personas import client_for

from .factories import SEEKER, full_snapshot, make_case

ATTEMPT_NOTE = "Vill träffas på biblioteket i Grönhög"
HANDOVER_NOTE = "Tolk behövs: nordsamiska"
PAPER_DESCRIPTION = "Kopia av läkarintyget från Ödeshög"
HOLD_REASON = "Vittnesstödet fortsätter till rättegången i maj"

# The seeker who asks to be erased; distinct from SEEKER, who stays.
ERASED = {
    "first_name": "Gunvor",
    "last_name": "Tältmakarsson",
    "phone": "070-555 44 21",
    "email": "gunvor.taltmakare@seeker.example",
    "notes": "Seedad: bor ovanför frisören på Lingonstigen 3",
}
OTHER_ATTEMPT_NOTE = "Ringer själv tillbaka på fredag från Sjöbo"


def case_with_history(people, *, attempt_note=ATTEMPT_NOTE, **seeker) -> Case:
    """An open case of Alex's with an attempt, a handover note and paper."""
    case = make_case(people.coordinator, received_at=timezone.now() - timedelta(days=2), **seeker)
    services.assign(case=case, person=people.alex, kind="support", note=HANDOVER_NOTE, by=people.coordinator)
    services.log_attempt(
        case=case,
        made_at=timezone.now() - timedelta(days=1),
        method="phone",
        outcome="reached",
        note=attempt_note,
        by=people.alex,
    )
    paper.file_paper(
        case=case, kind=PaperKind.NOTES, description=PAPER_DESCRIPTION, filed_on=timezone.localdate(), by=people.alex
    )
    case.refresh_from_db()
    return case


# --- Art. 17: erasure ------------------------------------------------------------------


@pytest.fixture
def two_seekers(people):
    """Gunvor's open case, to be erased, and Ingegerd's, which must stay as it is."""
    erased = case_with_history(people, **ERASED)
    kept = case_with_history(people, attempt_note=OTHER_ATTEMPT_NOTE)
    return erased, kept


ERASED_NEEDLES = [*ERASED.values(), ATTEMPT_NOTE]


def test_the_erase_page_asks_for_confirmation(people, two_seekers):
    erased, _kept = two_seekers
    also = make_case(people.coordinator, received_at=timezone.now() - timedelta(hours=1), **ERASED)
    response = client_for(people.coordinator).get(reverse("seeker_erase", args=[erased.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>Erase the seeker's data in case {erased.number}</h1>" in html
    assert 'name="confirm"' in html
    # The other case with the same phone number is pointed out, not erased.
    assert [c.pk for c in response.context["related"]] == [also.pk]
    assert Case.objects.get(pk=erased.pk).anonymised_at is None


def test_a_wrong_case_number_erases_nothing(people, two_seekers):
    erased, kept = two_seekers
    before = [full_snapshot(erased), full_snapshot(kept)]
    entries = LogEntry.objects.count()
    response = client_for(people.coordinator).post(reverse("seeker_erase", args=[erased.pk]), {"confirm": kept.number})
    assert response.status_code == 400
    assert f"Type {erased.number} to confirm the erasure. Nothing has been erased." in response.content.decode()
    assert [full_snapshot(erased), full_snapshot(kept)] == before
    assert LogEntry.objects.count() == entries


def test_erasure_anonymises_now_closes_the_open_case_and_leaves_other_cases_alone(people, two_seekers):
    erased, kept = two_seekers
    assert erased.status == Status.ACTIVE
    kept_before = full_snapshot(kept)
    assert {hit.needle for hit in find_in_database(ERASED_NEEDLES)} == set(ERASED_NEEDLES)

    client = client_for(people.coordinator)
    response = client.post(reverse("seeker_erase", args=[erased.pk]), {"confirm": f" {erased.number} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[erased.pk])

    erased.refresh_from_db()
    assert erased.anonymised_rule == "erasure_request"
    assert erased.anonymised_at is not None
    assert erased.status == Status.CLOSED and erased.closed_at is not None and erased.closing_reason == "other"
    assert (erased.first_name, erased.last_name, erased.phone, erased.email) == ("", "", "", "")
    assert not erased.journal.exists()
    assert list(ContactAttempt.objects.filter(case=erased).values_list("note", flat=True)) == [""]
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=erased.pk,
        additional_data__anonymised="erasure_request",
    )
    assert entry.actor == people.coordinator

    page = client.get(response["Location"]).content.decode()
    assert f"The seeker&#x27;s personal data in case {erased.number} is erased" in page

    assert find_in_database(ERASED_NEEDLES) == []
    # Ingegerd's case, which shares the handover note and paper text, is as it was.
    assert full_snapshot(kept) == kept_before
    still_there = {hit.needle for hit in find_in_database([*SEEKER.values(), OTHER_ATTEMPT_NOTE, HANDOVER_NOTE])}
    assert still_there == {*SEEKER.values(), OTHER_ATTEMPT_NOTE, HANDOVER_NOTE}


def test_a_held_case_is_not_erased(people, two_seekers):
    erased, kept = two_seekers
    services.close_case(case=erased, reason="completed", by=people.coordinator)
    retention.hold(
        case=erased, reason=HOLD_REASON, until=timezone.localdate() + timedelta(days=90), by=people.coordinator
    )
    before = [full_snapshot(erased), full_snapshot(kept)]
    response = client_for(people.coordinator).post(
        reverse("seeker_erase", args=[erased.pk]), {"confirm": erased.number}
    )
    assert response.status_code == 400
    assert "The case is held back from anonymisation" in response.content.decode()
    assert [full_snapshot(erased), full_snapshot(kept)] == before


@pytest.mark.parametrize("persona", ["alex", "sam"])
def test_a_support_person_cannot_erase(people, two_seekers, persona):
    erased, _kept = two_seekers
    before = full_snapshot(erased)
    client = client_for(getattr(people, persona))
    assert client.get(reverse("seeker_erase", args=[erased.pk])).status_code in (403, 404)
    response = client.post(reverse("seeker_erase", args=[erased.pk]), {"confirm": erased.number})
    assert response.status_code in (403, 404)
    assert full_snapshot(erased) == before
