"""The weekly follow-up reminder goes out once per ISO week, with a count and no names."""

from datetime import date, timedelta

from django.core import mail

from members import followup
from members.models import FollowupReminder, Person, VolunteerAssignment


def test_sent_once_a_week_and_again_the_next_week(people):
    person = Person.objects.create(name="Vera Volontär", email="vera@jour.test")
    VolunteerAssignment.objects.create(person=person, start=date(2025, 1, 1))
    monday = date(2026, 11, 23)

    assert followup.send_weekly_followup_reminder(monday) is True
    assert followup.send_weekly_followup_reminder(monday + timedelta(days=2)) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.coordinator.email]
    assert "Vera" not in message.subject + message.body and "vera@" not in message.body
    assert FollowupReminder.objects.get().volunteers_lacking == 1

    assert followup.send_weekly_followup_reminder(monday + timedelta(days=7)) is True
    assert len(mail.outbox) == 2


def test_a_week_with_nobody_lacking_follow_up_sends_nothing(people):
    assert followup.send_weekly_followup_reminder(date(2026, 11, 23)) is False
    assert mail.outbox == []
    assert FollowupReminder.objects.get().volunteers_lacking == 0
