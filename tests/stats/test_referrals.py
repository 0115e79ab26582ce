"""Referrals to partners count as support given, by the seeker's gender; referrals in do not."""

from datetime import date

from partners.models import Partner
from partners.services import record_referral
from stats import figures
from tests.cases.factories import make_case


def test_referrals_out_are_counted_by_gender_and_period(people):
    police = Partner.objects.create(name="Polisen", kind="police")
    woman = make_case(people.coordinator, gender="woman")
    man = make_case(people.coordinator, gender="man")
    out = {"direction": "out", "partner": police, "reason": "protection", "consent": True, "consent_way": "oral"}
    record_referral(case=woman, data={**out, "made_on": date(2026, 3, 2)}, by=people.coordinator)
    record_referral(case=woman, data={**out, "made_on": date(2026, 4, 2)}, by=people.coordinator)
    record_referral(case=man, data={**out, "made_on": date(2026, 3, 3)}, by=people.coordinator)
    record_referral(
        case=man,
        data={"direction": "in", "partner": police, "reason": "police_referral", "made_on": date(2026, 3, 4)},
        by=people.coordinator,
    )
    march = figures.support_given(figures.Period(date(2026, 3, 1), date(2026, 4, 1)))
    year = figures.support_given(figures.Period(date(2026, 1, 1), date(2027, 1, 1)))
    referrals = [value for value, _label in figures.SUPPORT_ROWS].index("referrals")
    assert march.matrix()[referrals] == [1, 1, 0, 0]
    assert year.matrix()[referrals] == [2, 1, 0, 0]
