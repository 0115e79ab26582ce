"""Signing: who may sign, with which code, and what the first signature freezes.
After that nothing may change the signed version: not a view, not a model, not
a queryset, not the admin."""

import hashlib
import json
import threading
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from compliance import content, selectors, services
from compliance.models import (
    ActionItem,
    ActionPlan,
    Answer,
    Assessment,
    AssessmentState,
    EvidenceDocument,
    EvidenceLink,
    EvidenceRevision,
    FrozenError,
    Requirement,
    Signature,
    Status,
)
from compliance.services import SNAPSHOT_FIELDS
from jour.models import Role
from jour.otp import issue_backup_codes, match_code
from members.models import Person
from tests.personas import login_verified, make_user

from .cycle import chair_person, fresh_code, ready_year, second_auditor, sign_as

YEAR = 2025
PDF = b"%PDF-1.4\n% evidence for the signing tests\n"


@pytest.fixture
def ready(people, settings):
    settings.JOUR_ASSURANCE_SIGNATURES = 2
    return ready_year(YEAR, people.coordinator)


def _pdf(name="protokoll.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def frozen(people, ready):
    """A version with board text, dates, a responsible person and a linked document,
    signed by one auditor (so frozen, still being signed)."""
    chair = chair_person(people.board)
    g1 = ready.answers.get(code="G1")
    services.save_board_answer(
        answer_id=g1.pk,
        lock_version=g1.lock_version,
        data={
            "status": Status.PARTLY,
            "comment": "Rutinen antogs i mars",
            "responsible": chair,
            "evidence_note": "Protokoll § 4",
            "evidence_date": date(2025, 3, 12),
            "review_date": date(2025, 11, 1),
        },
        by=people.coordinator,
    )
    g1.refresh_from_db()
    minutes = services.add_evidence_file(answer=g1, upload=_pdf(), title="Styrelseprotokoll", by=people.coordinator)
    spare = services.add_evidence_file(
        answer=ready.answers.get(code="G2"), upload=_pdf(), title="Policy", by=people.coordinator
    ).document
    sign_as(ready, people.auditor)
    ready.refresh_from_db()
    g1.refresh_from_db()
    return SimpleNamespace(assessment=ready, answer=g1, linked=minutes.document, spare=spare)


def _failed_code(code: str) -> str:
    # Another six digits; a clash with a neighbouring time step's code is a one-in-a-million chance.
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def _clear_throttle(user):
    # django-otp makes a device wait after a wrong code; the next check in the same second would be refused.
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def _unsigned(assessment):
    assessment.refresh_from_db()
    return not assessment.frozen and not assessment.signatures.exists() and assessment.frozen_json == ""


# -- who signs with what ---------------------------------------------------


def test_a_wrong_code_does_not_sign(people, ready):
    good, _step = fresh_code(people.auditor)
    with pytest.raises(ValidationError) as refused:
        services.sign(assessment=ready, by=people.auditor, code=_failed_code(good))
    assert refused.value.code == "otp"
    assert _unsigned(ready) and ready.state == AssessmentState.READY


def test_a_backup_code_does_not_sign(people, ready):
    backup = issue_backup_codes(people.auditor, 3)
    with pytest.raises(ValidationError) as refused:
        services.sign(assessment=ready, by=people.auditor, code=backup[0])
    assert refused.value.code == "otp"
    assert _unsigned(ready)
    assert match_code(people.auditor, backup[0]) is not None  # a valid backup code, and signing did not spend it


def test_a_code_signs_once(people, ready):
    earlier = ready_year(YEAR - 1, people.coordinator)
    code, _step = fresh_code(people.auditor)
    services.sign(assessment=earlier, by=people.auditor, code=code)

    with pytest.raises(ValidationError) as refused:
        services.sign(assessment=ready, by=people.auditor, code=code)
    assert refused.value.code == "otp"
    assert _unsigned(ready)

    # A fresh code signs the same version: the refusal was the reused code's.
    _clear_throttle(people.auditor)
    sign_as(ready, people.auditor)
    assert ready.signatures.count() == 1


# -- guessing codes (issue 16, item 5) ----------------------------------------


def _failures(user):
    return TOTPDevice.objects.get(user=user).throttling_failure_count


def _let_the_throttle_pass(user):
    """As if the wait after the last wrong code had passed (the count stays)."""
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=timezone.now() - timedelta(days=1))


def test_each_wrong_code_counts_and_then_the_right_one_is_refused(people, ready):
    """The failure counter sits outside the refused signing: it persists after each
    refusal, and after repeated failures the right code is refused as well."""
    good, _step = fresh_code(people.auditor)
    for attempt in range(1, 9):
        with pytest.raises(ValidationError) as refused:
            services.sign(assessment=ready, by=people.auditor, code=_failed_code(good))
        assert refused.value.code == "otp"
        assert _failures(people.auditor) == attempt  # in the database, not rolled back with the refusal
        _let_the_throttle_pass(people.auditor)
    # The ninth wrong code, and the right one straight after it (inside the 2**8 seconds' wait):
    with pytest.raises(ValidationError):
        services.sign(assessment=ready, by=people.auditor, code=_failed_code(good))
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.sign(assessment=ready, by=people.auditor, code=good)
    assert refused.value.code == "otp_throttled"
    assert "Too many wrong codes" in " ".join(refused.value.messages)
    assert _unsigned(ready) and ready.state == AssessmentState.READY
    assert _failures(people.auditor) == 9

    # Once the wait is over, the right code signs and the count starts again.
    _let_the_throttle_pass(people.auditor)
    services.sign(assessment=ready, by=people.auditor, code=good)
    assert ready.signatures.count() == 1
    assert _failures(people.auditor) == 0


def test_guessing_through_the_page_is_counted_and_locked(client, people, ready):
    """The attack as reported: wrong codes at the signing URL, then the right one."""
    login_verified(client, people.auditor)
    client.cookies["django_language"] = "en"
    url = reverse("assessment_sign", args=[YEAR])
    good, _step = fresh_code(people.auditor)
    for attempt in range(1, 6):
        response = client.post(url, {"code": _failed_code(good), "confirm": "on"}, follow=True)
        assert "The code is not valid" in response.content.decode()
        assert _failures(people.auditor) == attempt
        _let_the_throttle_pass(people.auditor)
    for _guess in range(20):  # fast guesses inside the wait are not even checked
        client.post(url, {"code": _failed_code(good), "confirm": "on"})
    assert _failures(people.auditor) == 6

    response = client.post(url, {"code": good, "confirm": "on"}, follow=True)
    page = response.content.decode()
    assert "Too many wrong codes" in page
    assert _unsigned(ready) and ready.state == AssessmentState.READY


def test_a_lock_from_signing_holds_at_login_too(client, people, ready):
    """One device, one counter: guessing while signing also locks the login's second step."""
    good, _step = fresh_code(people.auditor)
    with pytest.raises(ValidationError):
        services.sign(assessment=ready, by=people.auditor, code=_failed_code(good))
    assert match_code(people.auditor, good) is None


@pytest.mark.django_db(transaction=True)
def test_one_code_signs_once_even_at_the_same_moment(people, settings):
    """Two signing requests with the same code at once (two versions to sign): the
    device's row lock lets one through; the other finds the code used."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency are tested on PostgreSQL")
    settings.JOUR_ASSURANCE_SIGNATURES = 2
    versions = [ready_year(YEAR, people.coordinator), ready_year(YEAR - 1, people.coordinator)]
    code, _step = fresh_code(people.auditor)
    barrier = threading.Barrier(len(versions))
    outcomes, lock = [], threading.Lock()

    def sign(assessment):
        try:
            barrier.wait(timeout=10)
            services.sign(assessment=assessment, by=people.auditor, code=code)
            outcome = "signed"
        except ValidationError as error:
            outcome = error.code
        except BaseException as error:  # reported below
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=sign, args=(version,)) for version in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["otp", "signed"]
    assert Signature.objects.count() == 1


def test_a_draft_is_not_signed(people):
    draft = services.start_year(year=YEAR, by=people.coordinator, from_previous=False)
    with pytest.raises(ValidationError) as refused:
        sign_as(draft, people.auditor)
    assert refused.value.code == "state"
    assert _unsigned(draft)


def test_an_auditor_signs_a_version_once(people, ready):
    sign_as(ready, people.auditor)
    with pytest.raises(ValidationError) as refused:
        sign_as(ready, people.auditor)
    assert refused.value.code == "signed"
    assert list(ready.signatures.values_list("auditor", flat=True)) == [people.auditor.pk]


@pytest.mark.parametrize("role", ["board", "coordinator"])
def test_only_auditors_sign(client, people, ready, role):
    user = getattr(people, role)
    code, _step = fresh_code(user)
    with pytest.raises(ValidationError) as refused:
        services.sign(assessment=ready, by=user, code=code)
    assert refused.value.code == "role"

    login_verified(client, user)
    response = client.post(reverse("assessment_sign", args=[YEAR]), {"code": code, "confirm": "on"})
    assert response.status_code == 403
    assert _unsigned(ready) and ready.state == AssessmentState.READY


# -- the first signature freezes -------------------------------------------


@pytest.mark.parametrize(
    ("required", "state"), [(1, AssessmentState.SIGNED), (2, AssessmentState.SIGNING), (3, AssessmentState.SIGNING)]
)
def test_the_state_after_one_signature(people, ready, settings, required, state):
    settings.JOUR_ASSURANCE_SIGNATURES = required
    sign_as(ready, people.auditor)
    ready.refresh_from_db()
    assert ready.state == state


def test_the_first_signature_freezes_and_the_second_signs_the_same_content(people, ready):
    first = sign_as(ready, people.auditor)
    ready.refresh_from_db()
    assert ready.state == AssessmentState.SIGNING
    assert ready.content_sha256 == hashlib.sha256(ready.frozen_json.encode()).hexdigest() == first.content_sha256
    assert ready.frozen_json == content.canonical(content.build(ready))
    assert [r["code"] for r in json.loads(ready.frozen_json)["requirements"]] == list(
        ready.answers.order_by("position").values_list("code", flat=True)
    )
    frozen_json = ready.frozen_json

    # The action plan is part of the content; a change to it between signatures must not be signed.
    plan = ActionPlan.objects.create(year=YEAR)
    owner = Person.objects.create(name="Ansvarig")
    ActionItem.objects.create(plan=plan, what="Ny rutin", owner=owner, due_on=date(2026, 2, 1))
    assert content.canonical(content.build(ready)) != frozen_json

    second = sign_as(ready, second_auditor())
    ready.refresh_from_db()
    assert ready.state == AssessmentState.SIGNED
    assert ready.frozen_json == frozen_json
    assert second.content_sha256 == first.content_sha256 == ready.content_sha256


# -- after freezing: nothing changes ---------------------------------------


def _snapshot(frozen, media_root=None):
    assessment = frozen.assessment
    files = sorted(str(p) for p in Path(media_root).rglob("*") if p.is_file()) if media_root else None
    return {
        "assessment": Assessment.objects.filter(pk=assessment.pk).values().get(),
        "answers": list(Answer.objects.filter(assessment=assessment).order_by("pk").values()),
        "links": list(EvidenceLink.objects.filter(answer__assessment=assessment).order_by("pk").values()),
        "revisions": list(EvidenceRevision.objects.order_by("pk").values()),
        "documents": list(EvidenceDocument.objects.order_by("pk").values()),
        "files": files,
    }


BOARD_FIELDS = {
    "status": Status.NOT_MET,
    "comment": "Ändrat efter underskriften",
    "responsible": "",
    "evidence_note": "",
    "evidence_date": "",
    "review_date": "",
}
WRITES = {
    "board-answer": (
        "board",
        lambda f: reverse("answer_edit", args=[YEAR, "G1"]),
        lambda f: {**BOARD_FIELDS, "lock_version": f.answer.lock_version},
        404,
    ),
    "auditor-answer": (
        "auditor",
        lambda f: reverse("answer_edit", args=[YEAR, "G1"]),
        lambda f: {"auditor_verdict": Status.NOT_MET, "auditor_comment": "Efteråt", "lock_version": 0},
        404,
    ),
    "upload": (
        "coordinator",
        lambda f: reverse("evidence_upload", args=[YEAR, "G1"]),
        lambda f: {"title": "Sent dokument", "file": _pdf()},
        302,
    ),
    "link": (
        "coordinator",
        lambda f: reverse("evidence_link", args=[YEAR, "G1"]),
        lambda f: {"document": f.spare.pk},
        302,
    ),
    "unlink": (
        "board",
        lambda f: reverse("evidence_unlink", args=[YEAR, "G1", f.linked.pk]),
        lambda f: {},
        302,
    ),
    "new-revision": (
        "coordinator",
        lambda f: reverse("evidence_new_revision", args=[YEAR, "G1", f.linked.pk]),
        lambda f: {"file": _pdf()},
        302,
    ),
    "ready": ("coordinator", lambda f: reverse("assessment_ready", args=[YEAR]), lambda f: {}, 302),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_no_view_writes_to_a_frozen_version(client, people, frozen, settings, write):
    role, url, data, status = write
    before = _snapshot(frozen, settings.MEDIA_ROOT)
    login_verified(client, getattr(people, role))

    response = client.post(url(frozen), data(frozen))

    assert response.status_code == status
    assert _snapshot(frozen, settings.MEDIA_ROOT) == before


def test_the_models_refuse_to_change_a_frozen_row(frozen):
    answer = frozen.answer
    answer.comment = "Ändrat efter underskriften"
    with pytest.raises(FrozenError):
        answer.save()
    with pytest.raises(FrozenError):
        answer.delete()
    with pytest.raises(FrozenError):
        EvidenceLink.objects.create(answer=answer, document=frozen.spare)
    with pytest.raises(FrozenError):
        EvidenceLink.objects.get(answer=answer, document=frozen.linked).delete()
    assert Answer.objects.get(pk=answer.pk).comment == "Rutinen antogs i mars"


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the guard triggers exist on PostgreSQL only")


QUERYSET_CHANGES = {
    "answers-update": lambda f: Answer.objects.filter(assessment=f.assessment).update(comment="Efteråt"),
    "answers-delete": lambda f: Answer.objects.filter(assessment=f.assessment, links__isnull=True).delete(),
    "links-update": lambda f: EvidenceLink.objects.filter(answer__assessment=f.assessment).update(document=f.spare),
    "links-delete": lambda f: EvidenceLink.objects.filter(answer__assessment=f.assessment).delete(),
    "frozen-json": lambda f: Assessment.objects.filter(pk=f.assessment.pk).update(frozen_json="{}"),
    "content-hash": lambda f: Assessment.objects.filter(pk=f.assessment.pk).update(content_sha256="0" * 64),
}


@pytest.mark.parametrize("change", QUERYSET_CHANGES.values(), ids=QUERYSET_CHANGES.keys())
def test_the_database_refuses_a_queryset_change_to_a_frozen_version(frozen, change):
    _needs_postgresql()
    with pytest.raises(IntegrityError, match="signed"), transaction.atomic():
        change(frozen)
    frozen_json = frozen.assessment.frozen_json
    frozen.assessment.refresh_from_db()
    assert frozen.assessment.frozen_json == frozen_json
    assert EvidenceLink.objects.filter(answer=frozen.answer, document=frozen.linked).exists()


def test_the_database_lets_an_unsigned_version_change(ready):
    _needs_postgresql()
    assert Answer.objects.filter(assessment=ready).update(comment="Ändrat före underskriften") == 38
    assert Assessment.objects.filter(pk=ready.pk).update(frozen_json="") == 1


def _repoint_link(frozen):
    draft = services.start_year(year=YEAR - 1, by=None, from_previous=False)
    link = EvidenceLink.objects.create(answer=draft.answers.get(code="G1"), document=frozen.spare)
    EvidenceLink.objects.filter(pk=link.pk).update(answer=frozen.answer)


ADDITIONS = {
    "repointed-link": _repoint_link,
    "evidence-link": lambda f: EvidenceLink.objects.bulk_create([EvidenceLink(answer=f.answer, document=f.spare)]),
    "answer": lambda f: Answer.objects.bulk_create(
        [
            Answer(
                assessment=f.assessment,
                requirement=Requirement.objects.create(
                    revision=f.assessment.revision,
                    code="X9",
                    position=999,
                    **dict.fromkeys(
                        ("group_code", "group_title_sv", "group_title_en", "section", "title_sv", "title_en"), "X"
                    ),
                    explanation_sv="X",
                    explanation_en="X",
                ),
                code="X9",
                position=999,
                status=Status.MET,
            )
        ]
    ),
}


@pytest.mark.parametrize("add", ADDITIONS.values(), ids=ADDITIONS.keys())
def test_the_database_refuses_a_row_added_to_a_frozen_version(frozen, add):
    _needs_postgresql()
    with pytest.raises(IntegrityError), transaction.atomic():
        add(frozen)


def test_the_admin_offers_no_compliance_model(client, people):
    for model in apps.get_app_config("compliance").get_models():
        assert not admin.site.is_registered(model), model
    root = make_user("root@jour.test", "Root Admin", Role.COORDINATOR, is_staff=True, is_superuser=True)
    login_verified(client, root)
    index = reverse("admin:index")
    assert client.get(f"{index}jour/user/").status_code == 200  # the admin itself is open to this account
    assert client.get(f"{index}compliance/answer/").status_code == 404
    assert client.get(f"{index}compliance/assessment/").status_code == 404


# -- a new version ---------------------------------------------------------

COPIED = (*SNAPSHOT_FIELDS, "requirement_id", "status", "comment", "responsible_id", "evidence_note") + (
    "evidence_date",
    "review_date",
)


def test_a_new_version_copies_the_signed_one_and_leaves_it_as_signed(people, frozen):
    signed = frozen.assessment
    before = (signed.frozen_json.encode(), _snapshot(frozen))

    copy = services.new_version(assessment=signed, by=people.coordinator)

    assert (copy.year, copy.version, copy.previous_id, copy.state) == (YEAR, 2, signed.pk, AssessmentState.DRAFT)
    assert not copy.frozen and selectors.current(YEAR) == copy
    old = {a.code: a for a in signed.answers.all()}
    new = {a.code: a for a in copy.answers.all()}
    assert new.keys() == old.keys()
    for code, answer in new.items():
        assert {f: getattr(answer, f) for f in COPIED} == {f: getattr(old[code], f) for f in COPIED}, code
        assert set(answer.links.values_list("document", flat=True)) == set(
            old[code].links.values_list("document", flat=True)
        ), code
    assert new["G1"].links.get().document == frozen.linked
    assert new["G1"].evidence_date == date(2025, 3, 12) and new["G1"].responsible is not None

    # Editing the copy leaves the signed version exactly as it was.
    g1 = new["G1"]
    services.save_board_answer(
        answer_id=g1.pk,
        lock_version=g1.lock_version,
        data={
            "status": Status.MET,
            "comment": "Rättat i version 2",
            "responsible": None,
            "evidence_note": "",
            "evidence_date": None,
            "review_date": None,
        },
        by=people.coordinator,
    )
    services.unlink_document(answer=g1, document=frozen.linked)
    signed.refresh_from_db()
    assert (signed.frozen_json.encode(), _snapshot(frozen)) == before
    assert signed.state == AssessmentState.SIGNING
    assert Signature.objects.filter(assessment=signed).count() == 1
