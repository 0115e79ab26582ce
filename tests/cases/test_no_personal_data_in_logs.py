"""Figure 4, log output: a whole case's life, logged at INFO, names nobody."""

import logging
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases import deadlines, notifications
from tests.cases.factories import SEEKER, assign, make_case
from tests.personas import login_verified


def test_the_case_flow_logs_no_personal_data(client, people, caplog):
    caplog.set_level(logging.INFO)
    long_ago = timezone.now() - timedelta(days=10)
    case = make_case(people.coordinator, received_at=long_ago)
    assign(case, people.alex, by=people.coordinator)
    login_verified(client, people.alex)
    client.get(reverse("case_detail", args=[case.pk]))
    client.post(reverse("attempt_create", args=[case.pk]), {"made_at": "2000-01-01T00:00", "method": "phone"})
    deadlines.sweep()
    assert notifications.send_pending_emails() > 0
    login_verified(client, people.coordinator)
    client.get(reverse("start"))
    client.get(reverse("case_list"))

    assert mail.outbox, "the flow should have e-mailed an escalation"
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert case.number not in SEEKER.values()
    for value in SEEKER.values():
        assert value not in logged, value
    for message in mail.outbox:
        for value in SEEKER.values():
            assert value not in message.subject + message.body, value
