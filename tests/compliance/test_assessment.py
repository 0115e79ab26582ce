"""Starting a year, who writes which field of an answer, edits that cross each
other, marking a year ready, and what a past year keeps pointing at."""

import html
from datetime import date

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import gettext, ngettext, override

from compliance import services
from compliance.models import (
    Answer,
    Assessment,
    AssessmentState,
    EvidenceDocument,
    EvidenceLink,
    Requirement,
    Status,
)
from compliance.services import SNAPSHOT_FIELDS
from members.models import BoardRole, BoardTerm, Person
from tests.personas import login_verified

from .cycle import assess_all, chair_person

YEAR = 2025
CONFLICT = (
    "Someone else saved this requirement while you were editing. Your text is kept below; "
    "compare it with what is saved now and save again."
)


def _start(by, year=YEAR, from_previous=False):
    return services.start_year(year=year, by=by, from_previous=from_previous)


def _edit_url(code="G1"):
    return reverse("answer_edit", args=[YEAR, code])


def _board_post(answer, **changes):
    data = {
        "status": Status.MET,
        "comment": "",
        "responsible": "",
        "evidence_note": "",
        "evidence_date": "",
        "review_date": "",
        "lock_version": answer.lock_version,
    }
    data.update(changes)
    return data


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# -- starting a year -------------------------------------------------------


def test_a_year_keeps_the_requirements_as_they_read_when_it_started(people):
    assessment = _start(people.coordinator)
    requirements = list(assessment.revision.requirements.order_by("position"))
    answers = list(assessment.answers.order_by("position"))
    assert len(answers) == len(requirements) == 38
    for answer, requirement in zip(answers, requirements, strict=True):
        assert answer.requirement_id == requirement.pk
        assert {f: getattr(answer, f) for f in SNAPSHOT_FIELDS} == {f: getattr(requirement, f) for f in SNAPSHOT_FIELDS}
        assert (answer.status, answer.auditor_verdict) == (Status.UNASSESSED, Status.UNASSESSED)

    # A later correction of the catalogue row must not rewrite what the year was assessed against.
    original = requirements[0].title_sv
    Requirement.objects.filter(pk=requirements[0].pk).update(title_sv="Omskriven", explanation_sv="Ny text")
    answers[0].refresh_from_db()
    assert answers[0].title_sv == original


def test_next_year_takes_over_the_boards_text_and_documents_but_no_status_or_verdict(people):
    responsible = chair_person(people.board)
    last = _start(people.coordinator, year=YEAR - 1)
    assess_all(last, people.coordinator, status=Status.PARTLY, responsible=responsible)
    last.answers.update(
        auditor_verdict=Status.NOT_MET,
        auditor_comment="Revisorernas anteckning",
        evidence_date=date(2024, 3, 12),
        review_date=date(2024, 11, 1),
    )
    minutes = EvidenceDocument.objects.create(title="Styrelseprotokoll 2024-03-12")
    policy = EvidenceDocument.objects.create(title="Tystnadspolicy")
    for code, document in (("G1", minutes), ("G2", minutes), ("G2", policy), ("E6", policy)):
        EvidenceLink.objects.create(answer=last.answers.get(code=code), document=document)

    this = _start(people.coordinator, from_previous=True)

    old = {a.code: a for a in last.answers.all()}
    new = {a.code: a for a in this.answers.all()}
    assert new.keys() == old.keys()
    for code, answer in new.items():
        before = old[code]
        assert (answer.comment, answer.responsible_id, answer.evidence_note) == (
            before.comment,
            before.responsible_id,
            before.evidence_note,
        ), code
        assert set(answer.links.values_list("document", flat=True)) == set(
            before.links.values_list("document", flat=True)
        ), code
        assert answer.status == Status.UNASSESSED, code
        assert (answer.auditor_verdict, answer.auditor_comment) == (Status.UNASSESSED, ""), code
    assert old["G1"].comment == "Kommentar G1"  # the copy above compared real text, not blanks


def test_a_year_is_started_once(client, people):
    _start(people.coordinator)
    counts = (Assessment.objects.count(), Answer.objects.count(), EvidenceLink.objects.count())

    with override("en"), pytest.raises(ValidationError) as refused:
        _start(people.board, from_previous=True)
    assert refused.value.messages == [f"The assessment of {YEAR} has already been started."]

    login_verified(client, people.coordinator)
    response = client.post(reverse("assessment_list"), {"year": YEAR, "from_previous": "on"})
    assert response.status_code == 200
    with override(settings.LANGUAGE_CODE):
        expected = gettext("The assessment of %(year)s has already been started.") % {"year": YEAR}
    assert expected in html.unescape(response.content.decode())
    assert (Assessment.objects.count(), Answer.objects.count(), EvidenceLink.objects.count()) == counts


# -- who writes which field ------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "board"])
def test_the_coordinator_and_the_board_write_the_boards_fields_only(client, people, role):
    user = getattr(people, role)
    answer = _start(people.coordinator).answers.get(code="G1")
    login_verified(client, user)

    response = client.post(
        _edit_url(),
        _board_post(
            answer,
            status=Status.PARTLY,
            comment="Antaget på styrelsemötet",
            auditor_verdict=Status.NOT_MET,
            auditor_comment="Skrivet av styrelsen",
        ),
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.status, answer.comment, answer.updated_by) == (Status.PARTLY, "Antaget på styrelsemötet", user)
    assert (answer.auditor_verdict, answer.auditor_comment, answer.auditor_updated_by) == (
        Status.UNASSESSED,
        "",
        None,
    )


def test_the_auditor_writes_the_verdict_only(client, people):
    answer = _start(people.coordinator).answers.get(code="G1")
    login_verified(client, people.auditor)

    response = client.post(
        _edit_url(),
        _board_post(
            answer,
            status=Status.MET,
            comment="Skrivet av revisorn",
            auditor_verdict=Status.PARTLY,
            auditor_comment="Protokollet saknar paragraf",
        ),
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.auditor_verdict, answer.auditor_comment, answer.auditor_updated_by) == (
        Status.PARTLY,
        "Protokollet saknar paragraf",
        people.auditor,
    )
    assert (answer.status, answer.comment, answer.updated_by) == (Status.UNASSESSED, "", None)


@pytest.mark.parametrize(
    ("save", "role"),
    [
        (services.save_board_answer, "auditor"),
        (services.save_board_answer, "alex"),
        (services.save_auditor_answer, "board"),
        (services.save_auditor_answer, "coordinator"),
    ],
)
def test_the_services_refuse_the_other_sides_fields(people, save, role):
    answer = _start(people.coordinator).answers.get(code="G1")
    data = {
        "status": Status.MET,
        "comment": "Fel person",
        "responsible": None,
        "evidence_note": "",
        "evidence_date": None,
        "review_date": None,
        "auditor_verdict": Status.MET,
        "auditor_comment": "Fel person",
    }
    with pytest.raises(ValidationError) as refused:
        save(answer_id=answer.pk, lock_version=answer.lock_version, data=data, by=getattr(people, role))
    assert refused.value.code == "role"
    answer.refresh_from_db()
    assert (answer.comment, answer.auditor_comment, answer.lock_version) == ("", "", 0)


def test_an_edit_made_on_an_older_copy_shows_the_conflict_and_keeps_the_other_save(client, people):
    answer = _start(people.coordinator).answers.get(code="G1")
    loaded = answer.lock_version
    services.save_board_answer(
        answer_id=answer.pk,
        lock_version=loaded,
        data={
            "status": Status.MET,
            "comment": "Marias text",
            "responsible": None,
            "evidence_note": "",
            "evidence_date": None,
            "review_date": None,
        },
        by=people.board,
    )
    login_verified(client, people.coordinator)

    response = client.post(_edit_url(), _board_post(answer, comment="Kims text", lock_version=loaded))

    assert response.status_code == 200
    with override(settings.LANGUAGE_CODE):
        assert gettext(CONFLICT) in html.unescape(response.content.decode())
    assert response.context["conflict"].comment == "Marias text"
    answer.refresh_from_db()
    assert (answer.comment, answer.updated_by, answer.lock_version) == ("Marias text", people.board, loaded + 1)

    # The page now carries the newer lock version, so saving again on purpose goes through.
    assert response.context["form"].data["lock_version"] == str(loaded + 1)
    again = client.post(_edit_url(), _board_post(answer, comment="Kims text", lock_version=loaded + 1))
    assert again.status_code == 302
    answer.refresh_from_db()
    assert answer.comment == "Kims text"


# -- ready for audit -------------------------------------------------------


def test_ready_is_refused_while_a_requirement_is_unassessed(client, people):
    assessment = _start(people.coordinator)
    assess_all(assessment, people.coordinator)
    assessment.answers.filter(code="E6").update(status=Status.UNASSESSED)

    with override("en"), pytest.raises(ValidationError) as refused:
        services.mark_ready(assessment=assessment, by=people.coordinator)
    assert refused.value.messages == ["1 requirement has no status yet: assess every requirement first."]

    login_verified(client, people.coordinator)
    response = client.post(reverse("assessment_ready", args=[YEAR]))
    assert response.status_code == 302
    with override(settings.LANGUAGE_CODE):
        expected = ngettext(
            "%(n)s requirement has no status yet: assess every requirement first.",
            "%(n)s requirements have no status yet: assess every requirement first.",
            1,
        ) % {"n": 1}
    assert _messages(response) == [expected]
    assessment.refresh_from_db()
    assert (assessment.state, assessment.ready_at, assessment.ready_by) == (AssessmentState.DRAFT, None, None)


@pytest.mark.parametrize(
    ("board_role", "term_ended"),
    [(BoardRole.MEMBER, None), (BoardRole.TREASURER, None), (BoardRole.CHAIR, date(2023, 1, 1))],
    ids=["member", "treasurer", "former-chair"],
)
def test_a_board_member_who_is_not_chair_now_cannot_mark_ready(client, people, board_role, term_ended):
    person = Person.objects.create(name=people.board.name, account=people.board)
    BoardTerm.objects.create(person=person, role=board_role, start=date(2020, 1, 1), end=term_ended)
    assessment = _start(people.coordinator)
    assess_all(assessment, people.coordinator)

    with pytest.raises(ValidationError) as refused:
        services.mark_ready(assessment=assessment, by=people.board)
    assert refused.value.code == "role"

    login_verified(client, people.board)
    assert client.post(reverse("assessment_ready", args=[YEAR])).status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DRAFT


@pytest.mark.parametrize("who", ["coordinator", "chair"])
def test_the_coordinator_or_the_chair_marks_ready(client, people, who):
    user = people.coordinator
    if who == "chair":
        chair_person(people.board)
        user = people.board
    assessment = _start(people.coordinator)
    assess_all(assessment, people.coordinator)
    login_verified(client, user)

    response = client.post(reverse("assessment_ready", args=[YEAR]))

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.state, assessment.ready_by) == (AssessmentState.READY, user)
    assert assessment.ready_at is not None


# -- what a past year points at --------------------------------------------


def test_a_requirement_a_year_was_assessed_against_cannot_be_deleted(people):
    assessment = _start(people.coordinator, year=YEAR - 1)
    requirement = assessment.answers.get(code="G1").requirement

    with pytest.raises(ProtectedError):
        requirement.delete()
    with pytest.raises(ProtectedError):
        assessment.revision.delete()
    assert Requirement.objects.filter(pk=requirement.pk).exists()

    # A requirement no year points at can go: the refusal above is the answers' doing.
    unused = Requirement.objects.create(
        revision=assessment.revision,
        code="X9",
        position=999,
        group_code="X",
        group_title_sv="X",
        group_title_en="X",
        section="X",
        title_sv="X",
        title_en="X",
        explanation_sv="X",
        explanation_en="X",
    )
    unused.delete()


def test_a_linked_document_cannot_be_deleted(people):
    answer = _start(people.coordinator, year=YEAR - 1).answers.get(code="G1")
    linked = EvidenceDocument.objects.create(title="Styrelseprotokoll")
    EvidenceLink.objects.create(answer=answer, document=linked)
    unlinked = EvidenceDocument.objects.create(title="Utkast")

    with pytest.raises(ProtectedError):
        linked.delete()
    unlinked.delete()  # nothing points at it: the refusal above is the link's doing
    assert EvidenceDocument.objects.filter(pk=linked.pk).exists()
    assert not EvidenceDocument.objects.filter(pk=unlinked.pk).exists()
