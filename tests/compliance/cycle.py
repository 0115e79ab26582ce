"""Helpers that run a year through the cycle, for the compliance tests."""

import time

from django_otp.oath import TOTP

from compliance import catalogue, services
from compliance.models import Status
from jour import access
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


JUSTIFIED = "Styrelsen har gått igenom underlaget; det som saknas i systemet finns i protokollen."


def assess_all(assessment, by, status=Status.MET, responsible=None, justification=JUSTIFIED):
    for answer in assessment.answers.order_by("position"):
        services.save_board_answer(
            answer_id=answer.pk,
            lock_version=answer.lock_version,
            data={
                "status": status,
                "comment": f"Kommentar {answer.code}",
                "justification": justification,
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


def give_verdicts(assessment, auditor, verdict=Status.MET):
    for answer in assessment.answers.order_by("position"):
        services.save_auditor_answer(
            answer_id=answer.pk,
            lock_version=answer.lock_version,
            data={"auditor_verdict": verdict, "auditor_comment": ""},
            by=auditor,
        )


def ready_year(year, by, verdicts=True):
    """A year started afresh, every requirement met, marked ready for audit and,
    unless ``verdicts`` is False, given the auditors' verdicts (by the first
    auditor there is): ready to be signed."""
    catalogue.load_bundled()  # a transactional test before this one may have flushed what the migration loaded
    assessment = services.start_year(year=year, by=by, from_previous=False)
    assess_all(assessment, by)
    services.mark_ready(assessment=assessment, by=by)
    auditor = access.may_audit.users().order_by("pk").first()
    if verdicts and auditor is not None:
        give_verdicts(assessment, auditor)
    assessment.refresh_from_db()
    return assessment
