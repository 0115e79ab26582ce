"""Witness support at the courts (#21 item 3): who sees which record, what the
form refuses and why, prefilling from a hearing, "save and add another",
deleting with a reason, the audit trail and the case page's section."""

from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from calendars import services
from calendars.models import AppointmentKind, Place, PlaceKind, WitnessSupport
from jour import formatting
from tests.cases.factories import assign, make_case

from .helpers import client_for, plan

TODAY = timezone.localdate


@pytest.fixture
def world(people):
    """Two courts (one out of use), the office, a case each for Alex and Sam, a
    past hearing of Alex's case at the court, and a record given by each of them."""
    kim, alex, sam = people.coordinator, people.alex, people.sam
    court = Place.objects.create(name="Lunds tingsrätt", kind=PlaceKind.COURT)
    old_court = Place.objects.create(name="Gamla tingsrätten", kind=PlaceKind.COURT, active=False)
    office = Place.objects.create(name="Jourens lokal", kind=PlaceKind.OFFICE)
    alex_case, sam_case = make_case(kim), make_case(kim)
    assign(alex_case, alex, by=kim)
    assign(sam_case, sam, by=kim)
    held_on = TODAY() - timedelta(days=7)
    hearing = plan(AppointmentKind.COURT, by=kim, day=held_on, case=alex_case, participants=[alex], venue=court)
    sam_hearing = plan(AppointmentKind.COURT, by=kim, day=held_on, participants=[sam], venue=court)
    alex_record = WitnessSupport.objects.create(
        supported_on=held_on, court=court, role="witness", gender="woman", supported_by=alex, recorded_by=alex
    )
    sam_record = WitnessSupport.objects.create(
        supported_on=held_on, court=court, role="defendant", gender="man", supported_by=sam, recorded_by=sam
    )
    return SimpleNamespace(
        **vars(people),
        people=people,
        court=court,
        old_court=old_court,
        office=office,
        alex_case=alex_case,
        sam_case=sam_case,
        held_on=held_on,
        hearing=hearing,
        sam_hearing=sam_hearing,
        alex_record=alex_record,
        sam_record=sam_record,
    )


def form_data(world, **overrides) -> dict:
    data = {
        "supported_on": (TODAY() - timedelta(days=1)).isoformat(),
        "court": world.court.pk,
        "role": "injured_party",
        "gender": "woman",
        "age_group": "26-64",
        "case_number": "",
        "appointment": "",
    }
    return {**data, **overrides}


def errors_of(response) -> dict:
    form = response.context["form"]
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


# -- who sees what ---------------------------------------------------------------


def test_a_support_person_lists_only_the_support_they_gave(world):
    page = client_for(world.alex).get(reverse("witness_support_list"))
    assert page.status_code == 200
    assert [record.pk for record in page.context["records"]] == [world.alex_record.pk]
    assert reverse("witness_support_edit", args=[world.sam_record.pk]) not in page.content.decode()


def test_a_coordinator_lists_every_record_newest_first(world):
    newer = WitnessSupport.objects.create(
        supported_on=TODAY(), court=world.court, role="witness", supported_by=world.sam, recorded_by=world.coordinator
    )
    page = client_for(world.coordinator).get(reverse("witness_support_list"))
    records = page.context["records"]
    assert records[0].pk == newer.pk
    assert {record.pk for record in records} == {newer.pk, world.alex_record.pk, world.sam_record.pk}
    assert "Sam Support" in page.content.decode()  # who gave the support


def test_the_list_is_one_year_at_a_time(world):
    WitnessSupport.objects.create(
        supported_on=date(2021, 5, 4),
        court=world.court,
        role="witness",
        supported_by=world.alex,
        recorded_by=world.alex,
    )
    alex = client_for(world.alex)
    assert [
        r.supported_on.year for r in alex.get(reverse("witness_support_list") + "?year=2021").context["records"]
    ] == [2021]
    page = alex.get(reverse("witness_support_list"))
    assert {r.supported_on.year for r in page.context["records"]} == {world.held_on.year}
    assert 2021 in page.context["years"] and TODAY().year in page.context["years"]
    assert alex.get(reverse("witness_support_list") + "?year=1999").status_code == 404


def test_someone_elses_record_is_not_found(world):
    alex = client_for(world.alex)
    for name in ("witness_support_edit", "witness_support_delete"):
        url = reverse(name, args=[world.sam_record.pk])
        assert alex.get(url).status_code in (404, 405)
        assert alex.post(url, {"reason": "duplicate"}).status_code == 404
    assert WitnessSupport.objects.filter(pk=world.sam_record.pk).exists()
    # A coordinator reaches it.
    assert (
        client_for(world.coordinator).get(reverse("witness_support_edit", args=[world.sam_record.pk])).status_code
        == 200
    )


def test_the_scope_is_one_queryset(world):
    visible = WitnessSupport.objects.visible_to
    assert set(visible(world.alex)) == {world.alex_record}
    assert set(visible(world.coordinator)) == {world.alex_record, world.sam_record}
    assert not visible(world.board).exists() and not visible(world.auditor).exists()


# -- recording ----------------------------------------------------------------------


def test_a_support_person_records_the_support_they_gave_and_it_is_audited(world):
    alex = client_for(world.alex)
    # A posted "supported_by" is not theirs to choose: the field is not in their form.
    response = alex.post(reverse("witness_support_create"), form_data(world, supported_by=world.sam.pk))
    assert response.status_code == 302
    record = WitnessSupport.objects.latest("pk")
    assert (record.supported_by, record.recorded_by, record.role, record.gender) == (
        world.alex,
        world.alex,
        "injured_party",
        "woman",
    )
    entry = LogEntry.objects.get_for_object(record).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == world.alex


def test_a_coordinator_records_for_a_volunteer(world):
    kim = client_for(world.coordinator)
    response = kim.post(reverse("witness_support_create"), form_data(world, supported_by=world.sam.pk))
    assert response.status_code == 302
    record = WitnessSupport.objects.latest("pk")
    assert (record.supported_by, record.recorded_by) == (world.sam, world.coordinator)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"supported_on": "TOMORROW"},
            "supported_on",
            "The date cannot be in the future: record the support once given.",
        ),
        ({"supported_on": "1999-12-31"}, "supported_on", "Give a date in 2000 or later."),
        ({"court": "OFFICE"}, "court", "Choose a court from the jour's register of places."),
        (
            {"court": "OLD_COURT"},
            "court",
            "That court is no longer in use: choose another, or ask a coordinator to put it back in use.",
        ),
        ({"case_number": "SAM_CASE"}, "case_number", "No case of yours has that number."),
        ({"case_number": "2000-9999"}, "case_number", "No case of yours has that number."),
        ({"role": "judge"}, "role", "Select a valid choice. judge is not one of the available choices."),
        ({"role": ""}, "role", "This field is required."),
        ({"gender": "robot"}, "gender", "Select a valid choice. robot is not one of the available choices."),
    ],
)
def test_each_bad_input_is_refused_with_a_clear_message_and_nothing_is_lost(world, change, field, message):
    values = {
        "TOMORROW": (TODAY() + timedelta(days=1)).isoformat(),
        "OFFICE": world.office.pk,
        "OLD_COURT": world.old_court.pk,
        "SAM_CASE": world.sam_case.number,
    }
    change = {key: values.get(value, value) for key, value in change.items()}
    before = WitnessSupport.objects.count()
    response = client_for(world.alex).post(reverse("witness_support_create"), form_data(world, **change))
    assert response.status_code == 400
    assert errors_of(response) == {field: [message]}
    assert WitnessSupport.objects.count() == before
    # What was typed is still in the form.
    assert response.context["form"].data["age_group"] == "26-64"


def test_the_case_of_another_support_person_is_refused_as_if_it_did_not_exist(world):
    alex = client_for(world.alex)
    theirs = alex.post(reverse("witness_support_create"), form_data(world, case_number=world.sam_case.number))
    nobodys = alex.post(reverse("witness_support_create"), form_data(world, case_number="2000-9999"))
    assert errors_of(theirs) == errors_of(nobodys)
    assert world.sam_case.number not in theirs.content.decode().replace(f'value="{world.sam_case.number}"', "")


def test_the_service_refuses_a_case_the_user_cannot_see(world):
    data = {
        "supported_on": world.held_on,
        "court": world.court,
        "role": "witness",
        "case": world.sam_case,
        "supported_by": world.alex,
    }
    with pytest.raises(ValidationError, match="No case of yours"):
        services.record_witness_support(data=data, by=world.alex)


def test_a_coordinator_cannot_name_someone_who_gives_no_support(world):
    response = client_for(world.coordinator).post(
        reverse("witness_support_create"), form_data(world, supported_by=world.board.pk)
    )
    assert response.status_code == 400 and list(errors_of(response)) == ["supported_by"]


def test_a_hearing_not_in_the_users_calendar_is_refused(world):
    response = client_for(world.alex).post(
        reverse("witness_support_create"),
        form_data(world, appointment=world.sam_hearing.pk, supported_on=world.held_on.isoformat()),
    )
    assert response.status_code == 400
    assert errors_of(response) == {"__all__": ["That court hearing is not in your calendar."]}
    assert "That court hearing is not in your calendar." in response.content.decode()


def test_a_hearing_on_another_day_or_cancelled_is_refused(world):
    alex = client_for(world.alex)
    other_day = form_data(world, appointment=world.hearing.pk, supported_on=(world.held_on - timedelta(1)).isoformat())
    response = alex.post(reverse("witness_support_create"), other_day)
    with translation.override("en"):
        held_on = formatting.day(world.held_on)
    assert errors_of(response) == {"supported_on": [f"The hearing was on {held_on}: give that date."]}
    services.remove_appointment(appointment=world.hearing, reason="Inställd", by=world.coordinator)
    response = alex.post(
        reverse("witness_support_create"),
        form_data(world, appointment=world.hearing.pk, supported_on=world.held_on.isoformat()),
    )
    assert response.status_code == 400 and errors_of(response) == {
        "__all__": ["That court hearing is not in your calendar."]
    }


# -- prefilling and "save and add another" -------------------------------------------


def test_launched_from_a_hearing_the_form_is_prefilled(world):
    alex = client_for(world.alex)
    page = alex.get(reverse("appointment_detail", args=[world.hearing.pk]))
    link = f"{reverse('witness_support_create')}?appointment={world.hearing.pk}"
    assert link in page.content.decode() and "Record witness support at this hearing</a>" in page.content.decode()
    form = alex.get(link).context["form"]
    assert form.initial["court"] == world.court.pk
    assert form.initial["supported_on"] == world.held_on
    assert form.initial["appointment"] == world.hearing.pk
    # Someone else's hearing prefills nothing.
    assert (
        "appointment"
        not in alex.get(f"{reverse('witness_support_create')}?appointment={world.sam_hearing.pk}")
        .context["form"]
        .initial
    )


def test_save_and_add_another_keeps_the_court_the_date_and_the_hearing(world):
    alex = client_for(world.alex)
    data = form_data(world, appointment=world.hearing.pk, supported_on=world.held_on.isoformat(), another="1")
    response = alex.post(reverse("witness_support_create"), data)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("witness_support_create")
    assert parse_qs(location.query) == {
        "court": [str(world.court.pk)],
        "date": [world.held_on.isoformat()],
        "appointment": [str(world.hearing.pk)],
    }
    form = alex.get(response["Location"]).context["form"]
    assert (form.initial["court"], form.initial["supported_on"]) == (world.court.pk, world.held_on)
    # The second person at the same hearing.
    second = alex.post(response["Location"], {**data, "role": "relative_or_friend", "gender": "man"})
    assert second.status_code == 302
    assert WitnessSupport.objects.filter(appointment=world.hearing).count() == 2


def test_from_the_case_page_the_case_is_prefilled_and_the_record_is_shown_there(world):
    alex = client_for(world.alex)
    form = alex.get(f"{reverse('witness_support_create')}?case={world.alex_case.pk}").context["form"]
    assert form.initial["case_number"] == world.alex_case.number
    assert (
        "case_number"
        not in alex.get(f"{reverse('witness_support_create')}?case={world.sam_case.pk}").context["form"].initial
    )
    alex.post(reverse("witness_support_create"), form_data(world, case_number=world.alex_case.number))
    record = WitnessSupport.objects.get(case=world.alex_case)
    page = alex.get(reverse("case_detail", args=[world.alex_case.pk])).content.decode()
    assert reverse("witness_support_edit", args=[record.pk]) in page
    assert "Injured party" in page


# -- correcting and deleting ---------------------------------------------------------


def test_an_edit_is_saved_and_audited(world):
    alex = client_for(world.alex)
    url = reverse("witness_support_edit", args=[world.alex_record.pk])
    data = form_data(world, role="relative_or_friend", supported_on=world.held_on.isoformat())
    assert alex.post(url, data).status_code == 302
    world.alex_record.refresh_from_db()
    assert world.alex_record.role == "relative_or_friend"
    entry = LogEntry.objects.get_for_object(world.alex_record).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == world.alex and entry.changes_dict["role"] == ["witness", "relative_or_friend"]


def test_a_record_keeps_its_court_after_the_court_goes_out_of_use(world):
    world.court.active = False
    world.court.save()
    url = reverse("witness_support_edit", args=[world.alex_record.pk])
    data = form_data(world, gender="man", supported_on=world.held_on.isoformat())
    assert client_for(world.alex).post(url, data).status_code == 302
    world.alex_record.refresh_from_db()
    assert (world.alex_record.court, world.alex_record.gender) == (world.court, "man")


def test_delete_needs_a_reason_and_the_audit_entry_keeps_it(world):
    alex = client_for(world.alex)
    url = reverse("witness_support_delete", args=[world.alex_record.pk])
    response = alex.post(url, {})
    assert response.status_code == 302 and WitnessSupport.objects.filter(pk=world.alex_record.pk).exists()
    response = alex.post(url, {"reason": "duplicate"})
    assert response.status_code == 302
    assert not WitnessSupport.objects.filter(pk=world.alex_record.pk).exists()
    entry = LogEntry.objects.filter(
        action=LogEntry.Action.DELETE, object_id=world.alex_record.pk, content_type__model="witnesssupport"
    ).get()
    assert entry.actor == world.alex and entry.additional_data == {"reason": "duplicate"}


def test_the_calendar_links_to_the_witness_support(world):
    page = client_for(world.alex).get(reverse("calendar")).content.decode()
    assert reverse("witness_support_list") in page
    assert reverse("witness_support_list") not in client_for(world.board).get(reverse("calendar")).content.decode()


def test_every_error_shows_at_once(world):
    data = form_data(world, supported_on=(TODAY() + timedelta(days=3)).isoformat(), court=world.office.pk, role="")
    response = client_for(world.alex).post(reverse("witness_support_create"), data)
    assert response.status_code == 400
    assert set(errors_of(response)) == {"supported_on", "court", "role"}


def test_the_form_names_people_not_accounts(world):
    form = client_for(world.coordinator).get(reverse("witness_support_create")).content.decode()
    assert "Alex Support" in form and "user #" not in form
