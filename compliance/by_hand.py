"""Requirements the site cannot evidence: the board assesses them by hand.

Whatever status the board gives one of these, it writes in the comment how it
knows, and the pages say why the data cannot tell. Minerva, the federation's
shared case system, is the clearest case: what happens there (G11, C3) never
reaches this site.
"""

from django.utils.translation import gettext_lazy as _

from . import evidence
from .models import Status

OUTSIDE_THE_SITE = {
    "G11": _(
        "Minerva, the federation's shared case system, is outside this site: whether the jour records its cases "
        "and statistics there cannot be seen here."
    ),
    "C3": _(
        "Handovers happen in Minerva, the federation's shared case system, which is outside this site: "
        "this site cannot see which channels were used."
    ),
}
NO_DATA = _("The site holds no data for this requirement.")


def reason(code: str, signal: str) -> str:
    """Why the requirement is assessed by hand, or "" when the data evidences it."""
    if code in OUTSIDE_THE_SITE:
        return str(OUTSIDE_THE_SITE[code])
    if signal in evidence.SIGNALS:
        return ""
    return str(NO_DATA)


def needs_comment(code: str, signal: str, status: str, comment: str) -> bool:
    return bool(reason(code, signal)) and status != Status.UNASSESSED and not comment.strip()
