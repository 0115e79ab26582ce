"""Queue Celery tasks after the surrounding transaction commits.

Tasks get ids only. If the broker is down, the request still succeeds: the
record is already saved, and the periodic sweep that owns the work picks it up.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *ids: int) -> None:
    def _send():
        try:
            task.delay(*ids)
        except Exception:  # the broker is down or refused: the sweep will catch up
            logger.warning("Could not queue %s; the periodic sweep will retry", task.name, exc_info=True)

    transaction.on_commit(_send)
