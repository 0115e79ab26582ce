"""Issue 16, item 7: an id from a request that is huge or malformed is a 404 or a
form error, never a server error (an id beyond the database's bigint used to
reach PostgreSQL and come back as an OverflowError).

The test client re-raises a view's exception, so a crash fails as loudly as a 5xx.
"""

import importlib

import pytest
from auditlog.models import LogEntry
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from calendars.models import Appointment
from cases.models import Case, Notification
from jour.forms import BoundedModelMultipleChoiceField
from members.models import SupervisionSession
from tests.personas import login_verified
from tests.urlwalk import real_url_kwargs, site_views

HUGE = "1" * 30
# Dates in URLs (a year, a month, a week) are bounded elsewhere; ids are what this covers.
DATE_PARTS = {"year", "month", "week"}
ID_VIEWS = [
    (name, route)
    for name, route, _callback, _access in site_views()
    if any(f"<int:{part}>" in route for part in ("pk", "assignment_pk", "record_pk", "check_pk", "step_pk"))
    or "<int:document>" in route
    or "<int:engagement_pk>" in route
    or "<int:version>" in route
]
# Huge and malformed ids, as a form field gets them: text. ("²".isdigit() is true, and int() refuses it.)
BAD_IDS = [HUGE, str(2**63), "-1", "0", "1.5", "1e3", "²", "0x1", "\x00", "9" * 5000]


@pytest.fixture
def world(people):
    people.kwargs = real_url_kwargs(people)
    return people


def _huge(kwargs, route):
    return {
        key: (10**30 if f"<int:{key}>" in route and key not in DATE_PARTS else value) for key, value in kwargs.items()
    }


@pytest.mark.parametrize(("name", "route"), ID_VIEWS, ids=[name for name, _route in ID_VIEWS])
def test_a_huge_id_in_the_address_is_not_found(client, world, name, route):
    login_verified(client, world.coordinator)
    url = reverse(name, kwargs=_huge(world.kwargs[name], route))
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (404, 405), (method.__name__, url, response.status_code)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_participant_id_is_a_form_error(client, people, bad):
    login_verified(client, people.coordinator)
    data = {"kind": "meeting_internal", "day": "2030-01-07", "starts": "10:00", "ends": "11:00", "participants": bad}
    response = client.post(reverse("appointment_create"), data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["participants"]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_supervision_participant_is_a_form_error(client, people, bad):
    login_verified(client, people.coordinator)
    data = {"held_on": "2025-01-07", "kind": "group", "supervisor": "Kim", "participants": bad}
    response = client.post(reverse("supervision_list"), data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["participants"]
    assert not SupervisionSession.objects.exists()


# -- every choice of rows in every form ------------------------------------


def _our_forms():
    """Every form class of our apps (imported, so that their modules are loaded)."""
    for app in ("jour", "cases", "calendars", "partners", "members", "compliance", "stats"):
        importlib.import_module(f"{app}.forms")
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in OUR_APPS:
            found.append(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


OUR_APPS = {"jour", "cases", "calendars", "partners", "members", "compliance", "stats", "home"}
ROW_FIELDS = [
    (form, name)
    for form in _our_forms()
    for name, field in form.base_fields.items()
    if isinstance(field, forms.ModelChoiceField)
]


def test_the_walk_finds_the_forms_that_choose_rows():
    names = {f"{form.__name__}.{name}" for form, name in ROW_FIELDS}
    assert {"AppointmentForm.participants", "SupervisionForm.participants", "AssignForm.person"} <= names


@pytest.mark.parametrize(("form", "name"), ROW_FIELDS, ids=[f"{f.__name__}.{n}" for f, n in ROW_FIELDS])
def test_every_choice_of_rows_refuses_a_bad_id_before_the_database(db, form, name):
    field = form.base_fields[name]
    if isinstance(field, forms.ModelMultipleChoiceField):
        # Django's own field passes any whole number to the database (SQLite: OverflowError).
        assert isinstance(field, BoundedModelMultipleChoiceField), f"{form.__name__}.{name}"
    if field.queryset is None:
        return  # set when the form is made; a single choice is looked up exactly, which Django bounds
    for bad in BAD_IDS:
        value = [bad] if isinstance(field, forms.ModelMultipleChoiceField) else bad
        with pytest.raises(ValidationError):
            field.clean(value)


# -- ids read by hand ------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_notification_id_marks_nothing(client, world, bad):
    case = Case.objects.get()
    notice = Notification.objects.create(recipient=world.coordinator, case=case, kind="warning")
    login_verified(client, world.coordinator)
    response = client.post(reverse("notification_read"), {"id": bad, "next": f"/cases/{case.pk}/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("notification_list")
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_case_id_prefills_nothing(client, world, bad):
    login_verified(client, world.coordinator)
    response = client.get(reverse("appointment_create"), {"case": bad})
    assert response.status_code == 200
    assert not response.context["form"].initial.get("case_number")


@pytest.mark.parametrize("bad", [bad for bad in BAD_IDS if bad != "0"])  # 0: "created", a choice
def test_a_bad_audit_filter_shows_everything(client, world, bad):
    login_verified(client, world.coordinator)
    response = client.get(reverse("audit_log"), {"action": bad})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == LogEntry.objects.count()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_version_shows_the_newest(client, world, bad):
    login_verified(client, world.coordinator)
    year = world.kwargs["assessment_detail"]["year"]
    response = client.get(reverse("assessment_detail", args=[year]), {"version": bad})
    assert response.status_code in (200, 404)
