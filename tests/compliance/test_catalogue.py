"""The requirement catalogue: complete, bilingual, versioned, and in our own words."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.urls import reverse

from compliance import catalogue
from compliance.models import CatalogueRevision, Requirement
from tests.personas import login_verified

BUNDLED = Path(settings.BASE_DIR) / "compliance" / "catalogue" / "minimikrav-2021-09-24.json"
GROUPS = ["governance", "support", "confidentiality", "premises", "email"]


def test_the_2021_revision_is_loaded_by_the_migrations(db):
    revision = CatalogueRevision.objects.get(revision="2021-09-24")
    requirements = list(revision.requirements.order_by("position"))
    assert len(requirements) >= 30
    assert list(dict.fromkeys(r.group_code for r in requirements)) == GROUPS
    for requirement in requirements:
        for field in ("title_sv", "title_en", "explanation_sv", "explanation_en"):
            assert getattr(requirement, field).strip(), (requirement.code, field)
    signals = {r.signal for r in requirements}
    assert {"first_contact_kpi", "coordinator_co_opted", "pledges_signed", "leavers_blocked"} <= signals


def test_loading_the_same_file_again_changes_nothing(db):
    before = Requirement.objects.count()
    revision, created = catalogue.load(BUNDLED.read_bytes())
    assert not created and Requirement.objects.count() == before


def test_different_content_under_a_loaded_revision_is_refused(db):
    data = json.loads(BUNDLED.read_text())
    data["groups"][0]["requirements"][0]["title"]["sv"] = "Ändrad i efterhand"
    with pytest.raises(catalogue.CatalogueError, match="already loaded"):
        catalogue.load(json.dumps(data).encode())
    assert not Requirement.objects.filter(title_sv="Ändrad i efterhand").exists()


def test_a_new_revision_loads_beside_the_old_one(db, tmp_path):
    data = json.loads(BUNDLED.read_text())
    data["revision"] = "2027-05-01"
    data["groups"][0]["requirements"].append(
        {
            "code": "G99",
            "section": "Ny",
            "title": {"sv": "Nytt krav", "en": "New requirement"},
            "explanation": {"sv": "Förklaring.", "en": "Explanation."},
            "signal": None,
        }
    )
    path = tmp_path / "new.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("load_requirements", str(path))
    assert catalogue.current_revision().revision.isoformat() == "2027-05-01"
    assert CatalogueRevision.objects.count() == 2
    old = CatalogueRevision.objects.get(revision="2021-09-24")
    assert not old.requirements.filter(code="G99").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not valid JSON"),
        (b'{"revision": "soon"}', "revision"),
        (b'{"revision": "2030-01-01", "title": {"sv": "x", "en": "x"}, "source": "s", "groups": []}', "groups"),
    ],
)
def test_a_broken_file_is_refused_with_a_clear_message(db, tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("load_requirements", str(path))
    assert CatalogueRevision.objects.count() == 1


def test_a_revision_in_use_cannot_be_deleted(db):
    with pytest.raises(ProtectedError):
        CatalogueRevision.objects.get().delete()


def test_the_catalogue_page_for_governance_roles_in_both_languages(client, people):
    first = Requirement.objects.order_by("position").first()
    for user in (people.coordinator, people.board, people.auditor):
        login_verified(client, user)
        html = client.get(reverse("requirement_list")).content.decode()
        assert first.title_sv in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert first.title_en in client.get(reverse("requirement_list")).content.decode()
    login_verified(client, people.alex)
    assert client.get(reverse("requirement_list")).status_code == 403


def _shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_the_swedish_text_is_written_in_our_own_words():
    seeds = sorted((Path(settings.BASE_DIR).parent / "shared" / "seeds").glob("000_*.txt"))
    if not seeds:
        pytest.skip("the source document (../shared/seeds) is not beside the checkout")
    source = _shingles(seeds[0].read_text(encoding="utf-8"))
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    ours = " ".join(f"{r['title']['sv']}. {r['explanation']['sv']}" for g in data["groups"] for r in g["requirements"])
    overlap = _shingles(ours) & source
    assert not overlap, f"eight words in a row copied from the source: {sorted(overlap)[:3]}"
