"""Every response that shows a case's personal data writes an access entry
(issue 16, item 3; SECURITY.md figure 9).

An error page is a page: a form re-rendered with its errors (POST /cases/<pk>/close/
with an empty body) showed the seeker's name, phone and notes and wrote no access
entry. This walks every view, for every role that may open it, with GET and with
an empty POST, on real rows, and fails wherever a seeded value of the seeker is in
the body but no access entry was written during that request.
"""

import pytest
from auditlog.models import LogEntry

from cases import journal, services
from cases.models import Case
from jour.access import PASSWORD_STEP, PUBLIC
from jour.models import Role
from tests.personas import login_verified
from tests.urlwalk import path_of, real_url_kwargs, site_views

WALKIE = {
    "first_name": "Vandrika",
    "last_name": "Vandringsdotter",
    "phone": "070-909 18 27",
    "email": "walkie.vandring@seeker.example",
    "notes": "Seedad: portkoden är 9182",
}
VALUES = list(WALKIE.values())

VIEWS = [(name, route, access) for name, route, _cb, access in site_views() if access not in (PUBLIC, PASSWORD_STEP)]
# The files a view hands out are checked by their own tests (seeker data export: an
# access entry per archive made, see test_seeker_data_export; the calendar feed: see test_feeds).
FILES = {"seeker_data_archive", "seeker_data_download"}


@pytest.fixture
def world(people):
    people.kwargs = real_url_kwargs(people)
    case = Case.objects.get(first_name="Walkie")
    seeker = {key: value for key, value in WALKIE.items() if key != "notes"}
    services.update_case(case=case, data=seeker, expected_version=case.version, by=people.coordinator)
    journal.write(case=case, text=WALKIE["notes"], by=people.coordinator)
    return people


def _shows_personal_data(response) -> list[str]:
    if 300 <= response.status_code < 400 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    body = response.content.decode()
    return [value for value in VALUES if value in body]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPPORT_PERSON])
def test_every_page_with_a_seekers_data_writes_an_access_entry(client, world, role):
    user = world.by_role()[role]
    login_verified(client, user)
    missing = []
    for name, route, access in VIEWS:
        if role not in set(access) or name in FILES:
            continue
        path = path_of(name, route, world.kwargs)
        for method in ("get", "post"):
            before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
            response = getattr(client, method)(path)
            shown = _shows_personal_data(response)
            after = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
            if shown and after == before:
                missing.append(f"{method.upper()} {name} ({response.status_code}) shows {shown}")
            if method == "post" and response.status_code == 302:
                break  # the empty POST did something; the walk goes on with fresh rows next time
        login_verified(client, user)  # an action may have ended the session (a reset, a deactivation)
    assert missing == [], "\n".join(missing)
