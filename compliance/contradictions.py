"""Where the board's status and the evidence from the data disagree.

A requirement marked "met" while its signal says "not ok", or "not met" while
it says "ok", may be right (the data can miss what the board knows), but not
silently: the board writes why before the year goes to the auditors, and the
auditors and the assurance see the disagreement beside the justification.
"Partly met" and the signals the system cannot evidence contradict nothing.
"""

from .evidence import NOT_OK, OK, Evidence
from .models import Status

CONTRADICTING = {Status.MET: NOT_OK, Status.NOT_MET: OK}


def contradicts(status: str, live: Evidence | dict | None) -> bool:
    if not live:
        return False
    state = live["state"] if isinstance(live, dict) else live.state
    return CONTRADICTING.get(status) == state


def unexplained(answers, found: dict) -> list:
    """The answers whose status contradicts their evidence (``found``: signal ->
    Evidence) with no justification written."""
    return [a for a in answers if contradicts(a.status, found.get(a.signal)) and not a.justification.strip()]
