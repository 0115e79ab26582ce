"""Issue 17, item 2: evidence as of the assessed year for S1, S3, S4 and C6.

Each signal reads the data as it stood on the evidence day of year Y (31
December for a past year), so what is recorded the next January does not
change year Y's evidence. Year Y here is two years back, so that January Y+1
lies in the past as well.
"""

import hashlib
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import override

from calendars.models import Appointment, AppointmentKind
from cases import services as case_services
from cases.models import Case, PaperKind, PaperRecord
from compliance import catalogue, content, evidence
from compliance import services as compliance_services
from compliance.models import Answer, Assessment, CatalogueRevision, Requirement
from jour.workdays import STOCKHOLM
from members.models import Employment, Person, SupervisionSession, VolunteerAssignment
from tests.cases.factories import attempt, make_case

Y = timezone.localdate().year - 2
DAY = content.evidence_day(Y)  # 31 December of Y
JANUARY = date(Y + 1, 1, 15)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


def volunteer(name: str, *, start=date(Y - 1, 1, 1), end=None, support=True, witness=False, account=None):
    person = Person.objects.create(name=name, account=account)
    VolunteerAssignment.objects.create(
        person=person, start=start, end=end, support_person=support, witness_supporter=witness
    )
    return person


def found(function, day=DAY):
    with override("en"):
        return function(day)


# --- S1: enough support persons and witness supporters -----------------------------


def test_s1_counts_each_role_on_the_day_against_the_jours_own_minimum(db, settings):
    settings.JOUR_MIN_SUPPORT_PERSONS = 2
    settings.JOUR_MIN_WITNESS_SUPPORTERS = 1
    volunteer("Anna")
    volunteer("Bo", witness=True)  # both roles: counted in each
    volunteer("Cilla", end=date(Y, 6, 1))  # left in June: in the year's count only
    volunteer("Dan", start=date(Y + 1, 1, 2))  # starts the next year: nowhere
    result = found(evidence.volunteers_enough)
    assert result.state == evidence.OK
    assert result.summary == (
        f"Active on {DAY.isoformat()}: support persons 2, witness supporters 1 (the jour's own minimum: "
        f"2 and 1). At some time in {Y} up to that day: 3 and 1."
    )
    assert "Anna" not in result.summary

    settings.JOUR_MIN_WITNESS_SUPPORTERS = 2
    assert found(evidence.volunteers_enough).state == evidence.NOT_OK


def test_s1_is_not_changed_by_the_next_january(db, settings):
    settings.JOUR_MIN_SUPPORT_PERSONS = 2
    settings.JOUR_MIN_WITNESS_SUPPORTERS = 0
    anna, _bo = volunteer("Anna"), volunteer("Bo")
    before = found(evidence.volunteers_enough)
    assert before.state == evidence.OK
    VolunteerAssignment.objects.filter(person=anna).update(end=JANUARY)  # leaves in January
    assert found(evidence.volunteers_enough) == before
    assert found(evidence.volunteers_enough, JANUARY).state == evidence.NOT_OK
    volunteer("Eva", start=JANUARY, witness=True)
    assert found(evidence.volunteers_enough) == before


# --- S3: an employed coordinator ----------------------------------------------------


def test_s3_needs_a_coordinators_employment_in_the_year(people):
    assert found(evidence.coordinator_employed).state == evidence.NOT_OK
    kim = Person.objects.create(name="Kim")
    Employment.objects.create(person=kim, title="Samordnare", start=date(Y - 3, 5, 1))
    result = found(evidence.coordinator_employed)
    assert result.state == evidence.OK
    days = (DAY - date(Y, 1, 1)).days + 1
    assert result.summary == f"A coordinator was employed on {days} of the {days} days of {Y} up to {DAY.isoformat()}."


def test_s3_shows_a_gap_and_is_not_met_without_a_coordinator_on_the_day(people):
    kim = Person.objects.create(name="Kim")
    Employment.objects.create(person=kim, title="Verksamhetssamordnare", start=date(Y - 1, 1, 1), end=date(Y, 1, 11))
    result = found(evidence.coordinator_employed)
    assert result.state == evidence.NOT_OK
    assert "employed on 10 of the" in result.summary
    assert "No coordinator is employed on that day." in result.summary
    # A new coordinator hired the next January does not mend year Y.
    Employment.objects.create(person=kim, title="Samordnare", start=JANUARY)
    assert found(evidence.coordinator_employed).state == evidence.NOT_OK


def test_s3_counts_an_employment_of_someone_with_the_coordinator_role(people):
    kim = Person.objects.create(name="Kim", account=people.coordinator)
    employment = Employment.objects.create(person=kim, title="Verksamhetsledare", start=date(Y, 1, 1))
    assert found(evidence.coordinator_employed).state == evidence.OK
    # Another title, and an account without the role: left to the board's judgement.
    kim.account = people.alex
    kim.save()
    result = found(evidence.coordinator_employed)
    assert result.state == evidence.MANUAL and "1 other employment" in result.summary
    # Ending the employment the next January does not change year Y.
    kim.account = people.coordinator
    kim.save()
    employment.end = JANUARY
    employment.save()
    assert found(evidence.coordinator_employed).state == evidence.OK


# --- S4: supervision in the register or in the calendar -----------------------------


def supervision(by, *, day: date, participants, kind=AppointmentKind.GROUP_SUPERVISION, **fields):
    appointment = Appointment.objects.create(kind=kind, starts_at=at(day), ends_at=at(day, 12), created_by=by, **fields)
    appointment.participants.set(participants)
    return appointment


def test_s4_counts_supervision_held_through_the_calendar(people):
    volunteer("Alex", account=people.alex)
    assert found(evidence.volunteer_followup).state == evidence.NOT_OK
    # A meeting with a seeker is no supervision; a cancelled supervision is none either.
    cancelled = supervision(people.coordinator, day=date(Y, 11, 20), participants=[people.alex])
    Appointment.objects.filter(pk=cancelled.pk).update(cancelled_at=at(date(Y, 11, 19)))
    supervision(people.coordinator, day=date(Y, 12, 1), participants=[people.sam])  # someone else's
    assert found(evidence.volunteer_followup).state == evidence.NOT_OK

    held = supervision(
        people.coordinator, day=date(Y, 11, 20), participants=[people.alex], kind=AppointmentKind.INDIVIDUAL_SUPERVISION
    )
    result = found(evidence.volunteer_followup)
    assert result.state == evidence.OK
    # Cancelled the next January: year Y's evidence stands as it was.
    Appointment.objects.filter(pk=held.pk).update(cancelled_at=at(JANUARY))
    assert found(evidence.volunteer_followup) == result
    # More than three months before the day: too old.
    Appointment.objects.filter(pk=held.pk).update(starts_at=at(date(Y, 9, 1)), ends_at=at(date(Y, 9, 1), 12))
    assert found(evidence.volunteer_followup).state == evidence.NOT_OK


def test_s4_still_counts_the_register_and_not_a_session_of_the_next_year(people):
    alex = volunteer("Alex", account=people.alex)
    late = SupervisionSession.objects.create(
        held_on=JANUARY, kind="individual", supervisor="Handledare", recorded_by=people.coordinator
    )
    late.participants.set([alex])
    assert found(evidence.volunteer_followup).state == evidence.NOT_OK
    supervision(people.coordinator, day=date(Y + 1, 1, 2), participants=[people.alex])
    assert found(evidence.volunteer_followup).state == evidence.NOT_OK
    held = SupervisionSession.objects.create(
        held_on=date(Y, 12, 10), kind="individual", supervisor="Handledare", recorded_by=people.coordinator
    )
    held.participants.set([alex])
    assert found(evidence.volunteer_followup).state == evidence.OK


# --- C6: paper shredded once due, open cases too --------------------------------------


def case_of_year(by, received: date) -> Case:
    return make_case(by, now=at(received), received_at=at(received))


def paper(case, kind, *, by, filed_on):
    return PaperRecord.objects.create(case=case, kind=kind, filed_on=filed_on, filed_by=by)


def test_c6_counts_a_due_referral_form_of_an_open_case(people):
    c = people.coordinator
    case = case_of_year(c, date(Y, 11, 3))
    form = paper(case, PaperKind.POLICE_REFERRAL, by=c, filed_on=date(Y, 11, 3))
    notes = paper(case, PaperKind.NOTES, by=c, filed_on=date(Y, 11, 3))
    assert found(evidence.paper_shredded).state == evidence.OK  # no attempt yet: nothing due
    attempt(case, at(date(Y, 11, 4)), by=c, now=at(date(Y, 11, 4), 11))
    result = found(evidence.paper_shredded)
    assert result.state == evidence.NOT_OK
    assert result.summary == ("1 paper document due for shredding more than 7 days ago is not confirmed shredded.")
    # Shredded the next January: year Y's evidence stays as it was, and names nobody.
    PaperRecord.objects.filter(pk=form.pk).update(shredded_at=at(JANUARY), shredded_by=c)
    assert found(evidence.paper_shredded) == result
    assert found(evidence.paper_shredded, date(Y + 1, 1, 31)).state == evidence.OK
    notes.refresh_from_db()
    assert notes.shredded_at is None  # the open case's notes are not due


def test_c6_counts_closed_cases_and_not_paper_of_the_next_year(people):
    c = people.coordinator
    case = case_of_year(c, date(Y, 10, 1))
    attempt(case, at(date(Y, 10, 1), 11), by=c, now=at(date(Y, 10, 1), 12))
    case_services.close_case(case=case, reason="completed", by=c)
    Case.objects.filter(pk=case.pk).update(closed_at=at(date(Y, 12, 1)))
    later = paper(case, PaperKind.NOTES, by=c, filed_on=JANUARY)
    assert found(evidence.paper_shredded).state == evidence.OK  # filed after the day
    PaperRecord.objects.filter(pk=later.pk).update(filed_on=date(Y, 10, 2))
    assert found(evidence.paper_shredded).state == evidence.NOT_OK
    PaperRecord.objects.filter(pk=later.pk).update(shredded_at=at(date(Y, 12, 5)), shredded_by=c)
    result = found(evidence.paper_shredded)
    assert result.state == evidence.OK and "1 document shredded this year" in result.summary


# --- S6 reads the year as it stood too ------------------------------------------------


def test_first_contact_figures_ignore_an_attempt_made_the_next_year(people):
    c = people.coordinator
    case = make_case(c, now=at(date(Y, 12, 30)), received_at=at(date(Y, 12, 30)))
    assert evidence.first_contact_figures(DAY)["all"]["decided"] == 0
    attempt(case, at(date(Y + 1, 1, 2)), by=c, now=at(date(Y + 1, 1, 2), 11))
    assert evidence.first_contact_figures(DAY)["all"]["decided"] == 0
    assert evidence.first_contact_figures(date(Y + 1, 1, 5))["all"]["decided"] == 0  # another year's case


# --- The catalogue: the new signals reach a database loaded before them ---------------


def test_the_bundled_revision_maps_s1_and_s3_to_their_signals(db):
    signals = dict(Requirement.objects.filter(revision__revision="2021-09-24").values_list("code", "signal"))
    assert signals["S1"] == "volunteers_enough" and signals["S3"] == "coordinator_employed"
    assert signals["S4"] == "volunteer_followup" and signals["C6"] == "paper_shredded"
    assert all(signal in evidence.SIGNALS for signal in signals.values() if signal)


def test_resyncing_updates_unsigned_years_and_leaves_a_signed_one_alone(people):
    """What migrations compliance/0006 and 0007 do to a database loaded with the old file."""
    signed = compliance_services.start_year(year=Y - 1, by=people.coordinator, from_previous=False)
    draft = compliance_services.start_year(year=Y, by=people.coordinator, from_previous=False)
    revision = CatalogueRevision.objects.get(revision="2021-09-24")
    Requirement.objects.filter(revision=revision, code__in=["S1", "S3"]).update(signal="")
    Answer.objects.filter(code__in=["S1", "S3"]).update(signal="")
    CatalogueRevision.objects.filter(pk=revision.pk).update(content_sha256="0" * 64)
    Assessment.objects.filter(pk=signed.pk).update(content_sha256="f" * 64, frozen_json="{}", frozen_at=timezone.now())

    catalogue.sync_bundled_signals(models=(CatalogueRevision, Requirement, Answer))

    assert Requirement.objects.get(revision=revision, code="S1").signal == "volunteers_enough"
    assert draft.answers.get(code="S3").signal == "coordinator_employed"
    assert signed.answers.get(code="S1").signal == ""  # signed as it was
    raw = catalogue.BUNDLED.joinpath("minimikrav-2021-09-24.json").read_bytes()
    revision.refresh_from_db()
    assert revision.content_sha256 == hashlib.sha256(raw).hexdigest()
    assert catalogue.load(raw) == (revision, False)  # loading the file again does nothing
