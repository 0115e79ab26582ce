"""The partners' part of the federation's count (cases/contacts_actions.py):
every referral out is an action. A referral in is how the case came to the
jour, not something done for the seeker, and is not counted."""

from django.utils.translation import gettext_lazy as _

from cases.contacts_actions import ACTION, Kind

from .models import Direction, Referral


def referrals_out(now):
    return Referral.objects.filter(direction=Direction.OUT)


SOURCE = {
    "name": "referrals",
    "rows": referrals_out,
    "happened": "made_on",
    "kinds": {None: Kind("referrals_out", _("Referrals to partners"), ACTION, 40)},
}
