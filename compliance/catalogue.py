"""Loading a revision of the requirement catalogue from its JSON file.

A new revision from the federation is a new file and one command
(`python manage.py load_requirements FILE`); no code changes. A revision that
is already loaded is never rewritten: loading the same content again does
nothing, and different content under the same revision date is refused.

The one exception is ours, not the federation's: which signal of
compliance/evidence.py shows a requirement. When the code changes that mapping
in a bundled file, a data migration calls `sync_signals`, which changes the
signals and nothing else (the federation's text must be unchanged), and leaves
every signed year exactly as it was signed.
"""

import hashlib
import json
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import CatalogueRevision, Requirement

BUNDLED = Path(__file__).resolve().parent / "catalogue"
SIGNALS = {
    "volunteers_enough",
    "coordinator_employed",
    "assurance_sent",
    "federation_sending",
    "annual_meeting_report",
    "grants_report",
    # Older names, still on the answers of years that started (or were signed) with them.
    "coordinator_co_opted",
    "pledges_signed",
    "federation_export",
    "yearly_reports",
    "volunteer_followup",
    "first_contact_kpi",
    "leavers_blocked",
    "paper_shredded",
    "phone_forwarding",
    "mailbox_read",
}


class CatalogueError(Exception):
    """The file is not a valid catalogue, or conflicts with a loaded revision."""


def _text(value, where: str) -> dict:
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip() for k in ("sv", "en")):
        raise CatalogueError(f"{where}: needs a non-empty Swedish and English text ('sv' and 'en')")
    return value


def parse(raw: bytes) -> dict:
    """Check the structure; return the parsed catalogue."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CatalogueError(f"not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise CatalogueError("the file must hold one JSON object")
    try:
        date.fromisoformat(str(data.get("revision")))
    except ValueError:
        raise CatalogueError("'revision' must be a date such as 2021-09-24") from None
    _text(data.get("title"), "title")
    if not isinstance(data.get("source"), str) or not data["source"].strip():
        raise CatalogueError("'source' must name the document the catalogue is made from")
    groups = data.get("groups")
    if not isinstance(groups, list) or not groups:
        raise CatalogueError("'groups' must be a non-empty list")
    codes = set()
    for group in groups:
        _text(group.get("title"), f"group {group.get('code')!r}")
        if not group.get("code") or not isinstance(group.get("requirements"), list) or not group["requirements"]:
            raise CatalogueError(f"group {group.get('code')!r}: needs a code and at least one requirement")
        for item in group["requirements"]:
            code = item.get("code")
            if not isinstance(code, str) or not code or code in codes:
                raise CatalogueError(f"requirement code {code!r} is missing or used twice")
            codes.add(code)
            _text(item.get("title"), f"{code} title")
            _text(item.get("explanation"), f"{code} explanation")
            if item.get("signal") not in SIGNALS | {None}:
                raise CatalogueError(f"{code}: unknown signal {item.get('signal')!r}")
    return data


def _requirements(data: dict) -> list[dict]:
    """The fields of each requirement row, in order, as a parsed file gives them."""
    rows = []
    for group in data["groups"]:
        for item in group["requirements"]:
            rows.append(
                {
                    "code": item["code"],
                    "position": len(rows) + 1,
                    "group_code": group["code"],
                    "group_title_sv": group["title"]["sv"],
                    "group_title_en": group["title"]["en"],
                    "section": item.get("section", ""),
                    "title_sv": item["title"]["sv"],
                    "title_en": item["title"]["en"],
                    "explanation_sv": item["explanation"]["sv"],
                    "explanation_en": item["explanation"]["en"],
                    "signal": item.get("signal") or "",
                }
            )
    return rows


@transaction.atomic
def load(raw: bytes, *, models=(CatalogueRevision, Requirement)) -> tuple[CatalogueRevision, bool]:
    """Load a catalogue file. Returns the revision and whether it was new.
    `models` lets a data migration pass its historical models."""
    revision_model, requirement_model = models
    data = parse(raw)
    digest = hashlib.sha256(raw).hexdigest()
    revision_date = date.fromisoformat(data["revision"])
    existing = revision_model.objects.filter(revision=revision_date).first()
    if existing is not None:
        if existing.content_sha256 != digest:
            raise CatalogueError(
                f"revision {revision_date} is already loaded with other content; a changed catalogue "
                "is a new revision with its own date"
            )
        return existing, False
    revision = revision_model.objects.create(
        revision=revision_date,
        title_sv=data["title"]["sv"],
        title_en=data["title"]["en"],
        source=data["source"],
        content_sha256=digest,
    )
    rows = [requirement_model(revision=revision, **fields) for fields in _requirements(data)]
    requirement_model.objects.bulk_create(rows)
    return revision, True


_TEXT_FIELDS = (
    "position",
    "group_code",
    "group_title_sv",
    "group_title_en",
    "section",
    "title_sv",
    "title_en",
    "explanation_sv",
    "explanation_en",
)


def _rows(data: dict) -> dict[str, dict]:
    """Each requirement's fields as the loader writes them, by code."""
    return {row["code"]: row for row in _requirements(data)}


@transaction.atomic
def sync_signals(raw: bytes, *, models) -> list[str]:
    """Take the signals of an already-loaded revision from its (changed) file.

    Refused unless the file's requirements and texts are exactly those loaded:
    only the signals may differ. Changes the requirements' signals, the signal
    of every answer of a year not yet signed (its copy of the requirement), and
    the revision's stored hash, so that loading the file again is a no-op.
    Answers of a signed year are left alone (the database refuses them anyway).
    `models`: (CatalogueRevision, Requirement, Answer), historical in a migration.
    Returns the codes whose signal changed; a revision not loaded is skipped."""
    revision_model, requirement_model, answer_model = models
    data = parse(raw)
    revision = revision_model.objects.filter(revision=date.fromisoformat(data["revision"])).first()
    if revision is None:
        return []
    wanted = _rows(data)
    loaded = {r.code: r for r in requirement_model.objects.filter(revision=revision)}
    if set(loaded) != set(wanted) or any(
        getattr(loaded[code], field) != wanted[code][field] for code in wanted for field in _TEXT_FIELDS
    ):
        raise CatalogueError(f"revision {revision.revision}: only the signals may change under a loaded revision")
    changed = []
    for code, requirement in loaded.items():
        signal = wanted[code]["signal"]
        if requirement.signal == signal:
            continue
        changed.append(code)
        requirement_model.objects.filter(pk=requirement.pk).update(signal=signal)
        answer_model.objects.filter(requirement=requirement, assessment__content_sha256="").update(signal=signal)
    revision_model.objects.filter(pk=revision.pk).update(content_sha256=hashlib.sha256(raw).hexdigest())
    return sorted(changed)


def sync_bundled_signals(models) -> list[str]:
    """`sync_signals` for every catalogue file shipped with the code (a data migration)."""
    return [code for path in sorted(BUNDLED.glob("*.json")) for code in sync_signals(path.read_bytes(), models=models)]


def load_bundled(models=(CatalogueRevision, Requirement)) -> list[CatalogueRevision]:
    """Every catalogue file shipped with the code (used by a data migration)."""
    return [load(path.read_bytes(), models=models)[0] for path in sorted(BUNDLED.glob("*.json"))]


def current_revision() -> CatalogueRevision | None:
    return CatalogueRevision.objects.order_by("-revision").first()
