"""Encrypted backups (jour.backups): a backup of the demo jour with its signed year restores
into a fresh PostgreSQL database to the same rows, table by table, the same uploaded files
and a seal under which the restored assurance still verifies; the file holds nothing
readable without the offline key; and what cannot be done is refused with a reason."""

import hashlib
import os
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pyrage
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from compliance import assurance, seal
from compliance.models import Assessment, AssessmentState, Assurance
from jour import backups
from jour.models import DataBackup
from tests.leakguard import SEEDED_VALUES
from tests.worker import in_thread

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL"),
]


@pytest.fixture
def key():
    return pyrage.x25519.Identity.generate()


@pytest.fixture
def jour_files(settings, tmp_path):
    """A media folder and a seal of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOUR_SEAL_KEY_FILE = str(tmp_path / "seal" / "key.pem")
    settings.JOUR_SEAL_CERT_FILE = str(tmp_path / "seal" / "cert.pem")
    seal.create(name="Backupjouren")
    return tmp_path


def off_the_loop(work):
    """`work` in a thread of its own: pyhanko seals and checks with asyncio.run(), which
    refuses a thread where an event loop runs (the browser tests leave Playwright's)."""
    errors, results = [], []
    in_thread(work, errors, results).join()
    if errors:
        raise errors[0]
    return results[0]


@pytest.fixture
def demo(jour_files):
    off_the_loop(lambda: call_command("seed_demo", verbosity=0))
    signed = Assessment.objects.filter(state=AssessmentState.SIGNED).order_by("-year").first()
    assert signed is not None, "the demo signs a year"
    found = Assurance.objects.filter(assessment=signed).first() or off_the_loop(lambda: assurance.produce(signed.pk))
    return found


def _params(name: str) -> dict:
    database = connection.settings_dict
    params = {"dbname": name, "autocommit": True}
    for key, param in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if database.get(key):
            params[param] = database[key]
    return params


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**_params("postgres")) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**connection.settings_dict, "NAME": name}
    with psycopg.connect(**_params("postgres")) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_checksums(name: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and the MD5 of its rows in a fixed order."""
    with psycopg.connect(**_params(name)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t"  # noqa: S608
            ).fetchone()
            for table in tables
        }


def file_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_backup_restores_to_the_same_rows_files_and_seal(demo, key, tmp_path, fresh_database, settings):
    source_media = Path(settings.MEDIA_ROOT)
    made = backups.make(tmp_path / "out", keys=[str(key.to_public())])
    assert made.path.name.endswith(".tar.age") and made.size > 0
    assert not list((tmp_path / "out").glob("*.partial"))
    before = table_checksums(connection.settings_dict["NAME"])
    assert before["compliance_assurance"][0] == 1 and before["cases_case"][0] >= 4  # something to compare

    restored = tmp_path / "restored"
    done = backups.restore(
        made.path,
        [key],
        database=fresh_database,
        media_root=restored / "media",
        seal_key_file=restored / "seal" / "key.pem",
        seal_cert_file=restored / "seal" / "cert.pem",
    )

    assert table_checksums(fresh_database["NAME"]) == before
    assert file_hashes(restored / "media") == file_hashes(source_media) != {}
    assert done["media_files"] == len(file_hashes(source_media))
    assert (restored / "seal" / "key.pem").read_bytes() == Path(settings.JOUR_SEAL_KEY_FILE).read_bytes()
    assert os.stat(restored / "seal" / "key.pem").st_mode & 0o077 == 0
    # The restored assurance verifies under the restored seal (against rows shown identical above).
    settings.JOUR_SEAL_CERT_FILE = str(restored / "seal" / "cert.pem")
    pdf = (restored / "media" / demo.pdf.name).read_bytes()
    result = off_the_loop(lambda: assurance.verify(pdf))
    assert result.ok, [check for check in result.checks if not check.ok]


def test_the_backup_file_holds_no_readable_personal_data(demo, key, tmp_path):
    made = backups.make(tmp_path / "out", keys=[str(key.to_public())])
    data = made.path.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    # A plain tar would name its members (the dump itself is compressed by pg_dump).
    assert b"MANIFEST.json" not in data and b"database.dump" not in data
    present = [value for value in SEEDED_VALUES if len(value) >= 4 and value.lower().encode() in data.lower()]
    assert present == []
    # Not because there was nothing to find: decrypted, the dump's rows name the demo's people.
    unpacked = backups.read(made.path, [key], tmp_path)["root"]
    rows = tmp_path / "rows.sql"
    subprocess.run(["pg_restore", "--data-only", f"--file={rows}", str(unpacked / "database.dump")], check=True)
    text = rows.read_text().lower()
    assert [value for value in SEEDED_VALUES if len(value) >= 4 and value.lower() in text] != []


def restore_elsewhere(made, keys, tmp_path, database=None):
    """Restore into `database` (the test database when None) with media and seal in tmp_path."""
    places = {"media_root": tmp_path / "m", "seal_key_file": tmp_path / "k.pem", "seal_cert_file": tmp_path / "c.pem"}
    return backups.restore(made.path, keys, database=database, **places)


def test_the_wrong_key_is_refused_and_nothing_is_restored(demo, key, tmp_path, fresh_database):
    made = backups.make(tmp_path / "out", keys=[str(key.to_public())])
    with pytest.raises(backups.BackupError, match="kan inte dekrypteras"):
        restore_elsewhere(made, [pyrage.x25519.Identity.generate()], tmp_path, fresh_database)
    assert table_checksums(fresh_database["NAME"]) == {}


def test_a_database_that_is_not_empty_is_refused(jour_files, key, tmp_path):
    made = backups.make(tmp_path / "out", keys=[str(key.to_public())])
    with pytest.raises(backups.BackupError, match="tom databas"):
        restore_elsewhere(made, [key], tmp_path)


def test_a_changed_byte_is_caught(jour_files, key, tmp_path, fresh_database):
    made = backups.make(tmp_path / "out", keys=[str(key.to_public())])
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    made.path.write_bytes(bytes(data))
    with pytest.raises(backups.BackupError, match="kan inte dekrypteras"):
        restore_elsewhere(made, [key], tmp_path, fresh_database)
    assert table_checksums(fresh_database["NAME"]) == {}


def test_without_a_recipient_nothing_is_written(jour_files, tmp_path, settings):
    settings.JOUR_BACKUP_RECIPIENTS = []
    with pytest.raises(backups.BackupError, match="JOUR_BACKUP_RECIPIENTS"):
        backups.make(tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with pytest.raises(CommandError, match="inte en publik age- eller SSH-nyckel"):
        call_command("backup", "--out", str(tmp_path / "out"), "--recipient", "age1notakey")


def test_the_nightly_task_makes_nothing_unconfigured_and_says_what_is_missing(jour_files, key, tmp_path, settings):
    from jour import tasks

    settings.JOUR_BACKUP_DIR = str(tmp_path / "backups")
    settings.JOUR_BACKUP_RECIPIENTS = []
    assert tasks.back_up() == "not configured" and not (tmp_path / "backups").exists()
    settings.JOUR_BACKUP_RECIPIENTS = [str(key.to_public())]
    name = tasks.back_up()
    assert [path.name for path in (tmp_path / "backups").iterdir()] == [name]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", str(tmp_path / "nothing"))
        with pytest.raises(backups.BackupError, match="pg_dump är inte installerat"):
            backups.make(tmp_path / "again")


def test_the_nightly_backup_keeps_the_last_n_and_the_start_page_warns_when_it_is_late(
    jour_files, key, tmp_path, settings
):
    settings.JOUR_BACKUP_RECIPIENTS = [str(key.to_public())]
    settings.JOUR_BACKUP_DIR = str(tmp_path / "backups")
    settings.JOUR_BACKUP_KEEP = 2
    assert backups.overdue()  # none yet
    start = timezone.now() - timedelta(days=4)
    for day in range(4):
        backups.nightly(now=start + timedelta(days=day))
    kept = sorted(path.name for path in (tmp_path / "backups").iterdir())
    assert len(kept) == 2 and kept == sorted(kept)
    assert DataBackup.objects.count() == 4
    assert backups.overdue() == ""  # the last one is a day old
    assert backups.overdue(now=timezone.now() + timedelta(hours=22)) == ""  # not yet two days
    assert backups.overdue(now=timezone.now() + timedelta(days=1, hours=1))  # over two days: warned


def test_the_commands_back_up_and_refuse_to_restore_over_a_live_database(jour_files, key, tmp_path):
    call_command("backup", "--out", str(tmp_path / "out"), "--recipient", str(key.to_public()), verbosity=0)
    (made,) = (tmp_path / "out").iterdir()
    assert DataBackup.objects.get().name == made.name
    identity = tmp_path / "jour.key"
    identity.write_text(f"# the jour's offline key\n{key}\n")
    with pytest.raises(CommandError, match="tom databas"):
        call_command("restore", str(made), "--identity", str(identity))


def test_the_start_page_warns_the_coordinator_and_the_board(people, settings, key):
    from tests.personas import client_for

    settings.JOUR_BACKUP_RECIPIENTS = [str(key.to_public())]
    for user in (people.coordinator, people.board):
        page = client_for(user, None).get("/").content.decode()
        assert "Ingen säkerhetskopia har gjorts ännu." in page
    assert "säkerhetskopia" not in client_for(people.alex, None).get("/").content.decode()
    DataBackup.objects.create(made_at=timezone.now(), name="x", size_bytes=1, sha256="0" * 64)
    assert "säkerhetskopia" not in client_for(people.coordinator, None).get("/").content.decode()


def test_a_rollback_keeps_the_seal_in_place_and_another_seal_is_refused(jour_files, key, tmp_path, fresh_database):
    made = backups.make(tmp_path / "out", keys=[str(key.to_public())])
    other = tmp_path / "other-key.pem"
    other.write_text("not this jour's key\n")
    with pytest.raises(backups.BackupError, match="sigill skrivs aldrig över"):
        backups.restore(
            made.path, [key], database=fresh_database, media_root=tmp_path / "m", seal_key_file=other,
            seal_cert_file=tmp_path / "c.pem",
        )  # fmt: skip
    assert table_checksums(fresh_database["NAME"]) == {} and other.read_text() == "not this jour's key\n"
    # The volumes of a rollback: the jour's own seal still where the settings say.
    done = backups.restore(made.path, [key], database=fresh_database, media_root=tmp_path / "m")
    assert done["seal"] == ["seal/seal-cert.pem", "seal/seal-key.pem"]
    assert table_checksums(fresh_database["NAME"]) != {}
