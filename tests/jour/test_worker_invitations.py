"""A real Celery worker on Redis sends an invitation queued by a request."""

import time

import pytest

from jour.models import Invitation, Role
from tests.personas import build_personas
from tests.worker import producer_on, redis_url_or_skip, wait_for, worker_process

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_on_redis_sends_the_invitation_once(tmp_path):
    redis_url = redis_url_or_skip()
    people = build_personas()
    invitation = Invitation.objects.create(
        email="nora@jour.test", name="Nora Newcomer", role=Role.SUPPORT_PERSON, invited_by=people.coordinator
    )
    with worker_process(redis_url, tmp_path) as (queue, process), producer_on(redis_url) as producer:
        # Two deliveries of the same task, as after a redelivery: one e-mail.
        for _ in range(2):
            producer.send_task("jour.tasks.send_invitation", args=[invitation.pk], queue=queue)
        sent = wait_for(lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists())
        assert sent, process.stdout.read1().decode() if process.poll() is not None else "worker did not send"
        wait_for(lambda: len(list(tmp_path.glob("*.log"))) >= 1)
        # Give the second delivery time to run, then count.
        time.sleep(2)
    messages = [path.read_text() for path in tmp_path.glob("*.log")]
    assert len(messages) == 1
    assert "Nora" not in messages[0] and "Newcomer" not in messages[0]
    assert "/accounts/invitation/" in messages[0]
