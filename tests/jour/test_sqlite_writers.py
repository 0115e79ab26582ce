"""`make run` on SQLite: the web process and the worker both write without
"database is locked" (jour.env.SQLITE_OPTIONS: WAL, a busy timeout, transactions
that take the write lock when they begin), and the assurance is rendered outside
any transaction (compliance.assurance.produce).

The two writers run in a process of their own (tests/jour/sqlite_writers.py) on an
SQLite file, whatever database the suite itself uses. The control runs the same
with Django's SQLite defaults and must fail, or the test proves nothing.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compliance import assurance

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    template = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    _run(["manage.py", "migrate", "-v0"], template)
    return template


def _run(args: list[str], db: Path, **extra) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "JOUR_ENV": "test",
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "jour.settings",
        **extra,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=True
    )


def _writers(migrated: Path, name: str, **extra) -> dict:
    db = migrated.with_name(f"{name}.sqlite3")
    shutil.copy(migrated, db)
    done = _run(["-m", "tests.jour.sqlite_writers"], db, **extra)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_web_writes_while_the_worker_holds_a_write_transaction(migrated):
    result = _writers(migrated, "jour")
    assert result["worker"] == "ok"
    assert result["web"] == [302] * 6, result["web"]
    assert result["counts"] == {"appointments": 3, "places": 4}
    assert result["journal"] == "wal"


def test_the_control_with_djangos_defaults_is_locked(migrated):
    result = _writers(migrated, "plain", JOUR_SQLITE_PLAIN="1")
    failures = [status for status in [*result["web"], result["worker"]] if status not in (302, "ok")]
    assert any("database is locked" in str(status) for status in failures), result


def test_the_assurance_is_rendered_outside_a_transaction(monkeypatch):
    """The PDF is made while no transaction is open: only recording it takes the write lock."""
    from django.db import connection

    seen = []

    def render_pdf(assessment, document_json):
        seen.append(connection.in_atomic_block)
        raise RuntimeError("stop here")

    monkeypatch.setattr(assurance, "render_pdf", render_pdf)
    monkeypatch.setattr(assurance.Assessment.objects, "get", lambda pk: _Signed())
    monkeypatch.setattr(assurance.Assurance.objects, "filter", lambda **kw: _Nothing())
    monkeypatch.setattr(assurance.content, "document", lambda assessment: {})
    monkeypatch.setattr(assurance.content, "canonical", lambda document: "{}")
    with pytest.raises(RuntimeError, match="stop here"):
        assurance.produce(1)
    assert seen == [False]


class _Signed:
    state = assurance.AssessmentState.SIGNED


class _Nothing:
    def first(self):
        return None
