"""Helpers that run a year through the cycle, for the compliance tests."""

import time

from django_otp.oath import TOTP

from compliance import services
from compliance.models import Status
from jour.models import Role
from members.models import BoardRole, BoardTerm, Person
from tests.personas import make_user, totp_device


def fresh_code(user) -> str:
    """A code for the next time step, so that it is not the one the login used."""
    device = totp_device(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(int(time.time()) // 30, device.last_t + 1)
    totp.time = step * 30 + 1
    return f"{totp.token():06d}", step


def sign_as(assessment, user):
    """Sign with a code valid for the current or next step (the device's tolerance is one step)."""
    code, _step = fresh_code(user)
    return services.sign(assessment=assessment, by=user, code=code)


def assess_all(assessment, by, status=Status.MET, responsible=None):
    for answer in assessment.answers.order_by("position"):
        services.save_board_answer(
            answer_id=answer.pk,
            lock_version=answer.lock_version,
            data={
                "status": status,
                "comment": f"Kommentar {answer.code}",
                "responsible": responsible,
                "evidence_note": "Styrelseprotokoll",
                "evidence_date": None,
                "review_date": None,
            },
            by=by,
        )


def second_auditor():
    return make_user("eva@jour.test", "Eva Auditor", Role.AUDITOR)


def chair_person(user):
    person = Person.objects.create(name=user.name, account=user)
    BoardTerm.objects.create(person=person, role=BoardRole.CHAIR, start="2020-01-01")
    return person


def ready_year(year, by):
    """A year started afresh, every requirement met, and marked ready for audit."""
    assessment = services.start_year(year=year, by=by, from_previous=False)
    assess_all(assessment, by)
    services.mark_ready(assessment=assessment, by=by)
    assessment.refresh_from_db()
    return assessment
