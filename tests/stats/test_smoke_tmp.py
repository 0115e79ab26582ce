from tests.calendars.helpers import client_for


def test_smoke(people):
    r = client_for(people.coordinator).get("/statistics/?kind=year&year=2026")
    assert r.status_code == 200
    print(r.content.decode()[:3000])
