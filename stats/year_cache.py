"""A year's counts (figures.parts) and a period's volunteers (figures.volunteering), kept
between requests until the data under them changes.

Counting a year by month and municipality takes a quarter of a second on a large jour,
and every statistics page of the board, the auditors and the coordinators needs it. The
counts are kept in the shared cache (settings: CACHES["stats"], Redis in production)
under a *version*: a random token replaced whenever a row the counts are made of is
saved or deleted (the signals in ``connect``), once at once and once more when the
transaction commits. The first makes the writer's own next page fresh; the second
covers a reader that counted between the two, while the write was not yet visible:
whatever it kept went under a token nobody asks for any more.

What the signals cannot see is at most ``TTL`` old: a queryset's ``update()`` (the
deadlines moved after a change of the working days, cases.deadlines), raw SQL, and time
itself (a case's deadline passing makes its first contact "decided"; for a past year
nothing moves). A caller that passes its own ``now`` counts afresh. Without a shared
cache (development's DummyCache) every call counts; with the cache down every call
counts too, and the log says so, without a number in it.
"""

import logging
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from calendars.models import Appointment
from cases.models import Action, Case, Circumstance, ContactAttempt
from jour.models import User
from partners.models import Referral

from . import figures

log = logging.getLogger(__name__)

ALIAS = "stats"
TTL = 5 * 60
VERSION_KEY = "stats:version"
T = TypeVar("T")


def _cache():
    return caches[ALIAS]


def _version() -> str:
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def year_parts(year: int) -> figures.Parts:
    """The year's counts as of now (at most TTL old where no signal tells), kept or counted."""

    def count(version: str | None) -> figures.Parts:
        parts = figures.parts(year)
        parts.version = version
        return parts

    return _kept(f"counted:{year}", count)


def volunteering(period: figures.Period) -> figures.Volunteering:
    """The period's volunteers and their hours (figures.volunteering), kept like the counts:
    every statistics page of the period shows them."""
    name = f"volunteering:{period.start.isoformat()}:{period.end.isoformat()}:{period.municipality}"
    return _kept(name, lambda _version: figures.volunteering(period))


def _kept(name: str, count: Callable[[str | None], T]) -> T:
    """What ``count(version)`` gives, kept under the current version; counted afresh (with
    version None, and not kept) inside a transaction that wrote a counted row, or when the
    cache does not answer."""
    if _written_here():
        # This transaction's own rows are not for others to read: if it rolls back,
        # counts kept with them would outlive them.
        return count(None)
    try:
        version = _version()
        key = f"stats:{name}:{version}"
        # Half a megabyte to unpickle on a large jour: a process keeps what it last read.
        kept = _here(key) or _cache().get(key)
    except Exception as error:  # noqa: BLE001 - any cache failure: count instead
        log.warning("The statistics cache cannot be read (%s); counting afresh.", type(error).__name__)
        return count(None)
    if kept is None:
        kept = (time.time(), count(version))
        try:
            _cache().set(key, kept, timeout=TTL)
        except Exception as error:  # noqa: BLE001
            log.warning("The statistics cache cannot be written (%s).", type(error).__name__)
    _keep_here(key, kept, version)
    return kept[1]


# key -> (when counted, what was counted), in this process. A key names one version, so
# what it holds is out of date only by time: it is dropped TTL after it was counted.
_read: dict[str, tuple[float, object]] = {}


def _here(key: str) -> tuple[float, object] | None:
    kept = _read.get(key)
    return kept if kept is not None and time.time() - kept[0] < TTL else None


def _keep_here(key: str, kept: tuple[float, object], version: str) -> None:
    # What an older version named is never asked for again: half a megabyte a year.
    for old in [old for old in _read if not old.endswith(f":{version}")]:
        del _read[old]
    if key not in _read and len(_read) >= 32:
        _read.clear()
    _read[key] = kept


def forget(**_kwargs) -> None:
    """Whatever is kept is out of date: a new version now and again at commit."""
    _renew()
    if connection.in_atomic_block:
        connection.stats_written = True
    transaction.on_commit(_committed)


def _committed() -> None:
    connection.stats_written = False
    _renew()


def _written_here() -> bool:
    """Whether the open transaction saved or deleted a counted row. Outside one the answer is
    no; a transaction rolled back leaves the mark to the next one, which then counts afresh
    until it ends too (slower, never wrong)."""
    if not connection.in_atomic_block:
        connection.stats_written = False
    return getattr(connection, "stats_written", False)


def settle() -> None:
    """For a bench that works in one transaction it rolls back at the end: treat what it
    wrote so far as committed, so its pages read the kept counts as production's would."""
    connection.stats_written = False


def _renew() -> None:
    try:
        _cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as error:  # noqa: BLE001 - the kept counts expire within TTL
        log.warning("The statistics cache cannot be renewed (%s).", type(error).__name__)


def _forget_a_role(update_fields=None, **kwargs) -> None:
    """A user's role decides who counts as a volunteer; a login (last_login) decides nothing."""
    if update_fields is None or "role" in update_fields or "is_active" in update_fields:
        forget(**kwargs)


def connect() -> None:
    """Renew on every save and delete of what figures.parts and figures.volunteering
    count (stats.apps)."""
    for model in (Case, ContactAttempt, Action, Circumstance, Referral, Appointment):
        post_save.connect(forget, sender=model, dispatch_uid=f"stats-forget-save-{model._meta.label}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"stats-forget-delete-{model._meta.label}")
    m2m_changed.connect(forget, sender=Case.circumstances.through, dispatch_uid="stats-forget-markers")
    m2m_changed.connect(forget, sender=Appointment.participants.through, dispatch_uid="stats-forget-participants")
    post_save.connect(_forget_a_role, sender=User, dispatch_uid="stats-forget-roles")
    post_delete.connect(forget, sender=User, dispatch_uid="stats-forget-users")
