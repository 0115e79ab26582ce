""" "Ansvarig styrelseledamot": only the board members proper are offered, not the
coordinator co-opted to the board (no vote, not a member: members.board)."""

from datetime import date

from compliance.forms import ActionItemForm, BoardAnswerForm
from compliance.models import Answer
from members.models import BoardRole, BoardTerm, Person

YEAR = date.today().year


def _seat(name: str, role: BoardRole, **dates) -> Person:
    person = Person.objects.create(name=name)
    BoardTerm.objects.create(
        person=person, role=role, start=dates.get("start", date(YEAR - 1, 5, 1)), end=dates.get("end")
    )
    return person


def test_the_co_opted_coordinator_is_not_offered_as_responsible(db):
    chair = _seat("Ada Chair", BoardRole.CHAIR)
    deputy = _seat("Dan Deputy", BoardRole.DEPUTY)
    coordinator = _seat("Cora Coordinator", BoardRole.CO_OPTED)
    form = BoardAnswerForm(instance=Answer(), year=YEAR)
    offered = set(form.fields["responsible"].queryset)
    assert offered == {chair, deputy}
    assert coordinator not in offered
    # Posting her anyway is refused.
    bound = BoardAnswerForm({"responsible": coordinator.pk}, instance=Answer(), year=YEAR)
    bound.is_valid()
    assert "responsible" in bound.errors


def test_a_past_choice_stays_visible(db):
    """An answer that already names her (from before this rule) still shows who it names."""
    coordinator = _seat("Cora Coordinator", BoardRole.CO_OPTED)
    form = BoardAnswerForm(instance=Answer(responsible=coordinator), year=YEAR)
    assert coordinator in set(form.fields["responsible"].queryset)


def test_an_action_item_may_still_be_owned_by_the_coordinator(db):
    """Owning an action item is work, not a seat: the co-opted coordinator may own one."""
    coordinator = _seat("Cora Coordinator", BoardRole.CO_OPTED)
    form = ActionItemForm(year=YEAR, codes=[])
    assert coordinator in set(form.fields["owner"].queryset)
