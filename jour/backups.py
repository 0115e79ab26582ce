"""Encrypted backups a jour can restore after a lost disk.

A backup is one file, ``jour-backup-<UTC time>.tar.age``: a tar holding the PostgreSQL
dump (``pg_dump --format=custom``), every private upload (``media/``), the seal's
certificate and key (``seal/``) and ``MANIFEST.json`` with the SHA-256 of each, all
encrypted with age (the ``pyrage`` package) to the public keys in
``JOUR_BACKUP_RECIPIENTS``. The matching secret key is kept offline by the jour (the
treasurer's USB stick, a password manager): the server can write backups, never read
them. ``restore`` takes the file and that key and fills an *empty* database and media
folder, refusing anything else.

The plain tar exists only in a private temporary folder while the file is made or read,
and is removed afterwards, whatever happens. A file is written under a ``.partial`` name
and renamed when complete, so a worker killed midway leaves no file that looks whole.
"""

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psycopg
import pyrage
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DataBackup

log = logging.getLogger(__name__)

SUFFIX = ".tar.age"
PREFIX = "jour-backup-"
DUMP = "database.dump"
MANIFEST = "MANIFEST.json"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for a person."""


@dataclass(frozen=True)
class Made:
    path: Path
    size: int
    sha256: str


def recipients(keys: list[str] | None = None) -> list:
    """The age recipients (``age1…`` keys, or ``ssh-ed25519``/``ssh-rsa`` public keys)."""
    keys = settings.JOUR_BACKUP_RECIPIENTS if keys is None else keys
    found = []
    for key in keys:
        try:
            if key.startswith("age1"):
                found.append(pyrage.x25519.Recipient.from_str(key))
            else:
                found.append(pyrage.ssh.Recipient.from_str(key))
        except pyrage.RecipientError as error:
            raise BackupError(_("“%(key)s…” is not an age or SSH public key.") % {"key": key[:12]}) from error
    if not found:
        raise BackupError(_("No recipient for backups: set JOUR_BACKUP_RECIPIENTS to the jour's age public key."))
    return found


def identities(text: str) -> list:
    """The secret keys in an age identity file (comment lines allowed)."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError as error:
            raise BackupError(_("The identity file holds something that is not an age secret key.")) from error
    if not found:
        raise BackupError(_("The identity file holds no age secret key."))
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _libpq(database: dict) -> dict:
    """libpq's connection parameters for a DATABASES entry (PostgreSQL only)."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(_("Backups need PostgreSQL (DATABASE_URL)."))
    params = {"dbname": database["NAME"], "connect_timeout": 10}
    for key in ("HOST", "PORT", "USER", "PASSWORD"):
        if database.get(key):
            params[key.lower()] = database[key]
    return params


def _pg_environment(database: dict) -> tuple[dict, str]:
    """The same parameters as the environment pg_dump and pg_restore read, and the name."""
    params = _libpq(database)
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    env = {**os.environ, "PGCONNECT_TIMEOUT": str(params["connect_timeout"])}
    env |= {names[key]: str(value) for key, value in params.items() if key in names}
    return env, params["dbname"]


def _run(command: list[str], env: dict) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our argv
    except FileNotFoundError as error:
        raise BackupError(_("%(tool)s is not installed on this server.") % {"tool": command[0]}) from error
    if done.returncode:
        # The tools' own words (table names, no rows); the caller shows them to an operator.
        raise BackupError(_("%(tool)s failed: %(error)s") % {"tool": command[0], "error": done.stderr.strip()[-500:]})


def _files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []


def make(out_dir: Path, *, database: dict | None = None, keys: list[str] | None = None, now=None) -> Made:
    """Write one encrypted backup into ``out_dir``."""
    to = recipients(keys)
    database = database or connections["default"].settings_dict
    env, name = _pg_environment(database)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    final = out_dir / f"{PREFIX}{stamp}{SUFFIX}"
    partial = final.with_name(final.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="jour-backup-") as work:
        work = Path(work)
        os.chmod(work, 0o700)
        dump = work / DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", name], env)
        members = {DUMP: dump}
        media = Path(settings.MEDIA_ROOT)
        for path in _files_under(media):
            members[f"media/{path.relative_to(media).as_posix()}"] = path
        seal = {"seal/seal-cert.pem": settings.JOUR_SEAL_CERT_FILE, "seal/seal-key.pem": settings.JOUR_SEAL_KEY_FILE}
        for member, file in seal.items():
            path = Path(file)
            if path.is_file():
                members[member] = path
        manifest = {
            "format": FORMAT,
            "made_at": now.isoformat(),
            "files": {
                member: {"sha256": _sha256(path), "size": path.stat().st_size} for member, path in members.items()
            },
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        plain = work / "backup.tar"
        with tarfile.open(plain, "w") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            for member, path in members.items():
                tar.add(path, arcname=member)
        try:
            pyrage.encrypt_file(str(plain), str(partial), to)
            os.chmod(partial, 0o600)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    made = Made(final, final.stat().st_size, _sha256(final))
    log.info("Backup written: %s (%s bytes).", final.name, made.size)
    return made


def _is_empty(database: dict) -> bool:
    with psycopg.connect(**_libpq(database)) as connection:
        found = connection.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%'"
        ).fetchone()[0]
    return found == 0


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for member in members:
        path = Path(member.name)
        if not member.isfile() or path.is_absolute() or ".." in path.parts:
            raise BackupError(_("The backup holds an unexpected entry: %(name)s") % {"name": member.name})
    return members


def read(file: Path, secret_keys: list, work: Path) -> dict:
    """Decrypt and unpack ``file`` into ``work``; every file checked against the manifest."""
    plain = work / "backup.tar"
    try:
        pyrage.decrypt_file(str(file), str(plain), secret_keys)
    except (pyrage.DecryptError, OSError) as error:  # a wrong key, or a damaged file (read as it streams)
        raise BackupError(_("The backup cannot be decrypted with this key (or the file is damaged).")) from error
    unpacked = work / "unpacked"
    with tarfile.open(plain) as tar:
        tar.extractall(unpacked, members=_safe_members(tar), filter="data")
    plain.unlink()
    manifest = json.loads((unpacked / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This backup is of a format this version cannot read."))
    for member, expected in manifest["files"].items():
        path = unpacked / member
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise BackupError(_("%(name)s does not match the backup's manifest.") % {"name": member})
    return {"manifest": manifest, "root": unpacked}


def restore(
    file: Path,
    secret_keys: list,
    *,
    database: dict | None = None,
    media_root: Path | None = None,
    seal_key_file: Path | None = None,
    seal_cert_file: Path | None = None,
) -> dict:
    """Fill an empty database and media folder from ``file``; the seal files where settings say."""
    database = database or connections["default"].settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    seal = {
        "seal/seal-key.pem": Path(seal_key_file or settings.JOUR_SEAL_KEY_FILE),
        "seal/seal-cert.pem": Path(seal_cert_file or settings.JOUR_SEAL_CERT_FILE),
    }
    if not _is_empty(database):
        raise BackupError(_("The database already holds tables: restore only into an empty database."))
    if _files_under(media_root):
        raise BackupError(_("The media folder %(path)s is not empty.") % {"path": media_root})
    env, name = _pg_environment(database)
    with tempfile.TemporaryDirectory(prefix="jour-restore-") as work:
        work = Path(work)
        os.chmod(work, 0o700)
        found = read(Path(file), secret_keys, work)
        root, manifest = found["root"], found["manifest"]
        for member, path in seal.items():
            # A seal already in place (a rollback keeps its volumes) is kept if it is this one.
            if path.exists() and (member not in manifest["files"] or _sha256(path) != _sha256(root / member)):
                raise BackupError(_("%(path)s already exists: a seal is never overwritten.") % {"path": path})
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={name}", str(root / DUMP)],
            env,
        )  # fmt: skip
        media_files = 0
        for member in manifest["files"]:
            source = root / member
            if member.startswith("media/"):
                target = media_root / member.removeprefix("media/")
                media_files += 1
            elif member in seal:
                target = seal[member]
                if target.exists():
                    continue  # the same seal, checked above
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            if member == "seal/seal-key.pem":
                os.chmod(target, 0o600)
    restored_seal = sorted(set(manifest["files"]) & set(seal))
    return {"made_at": manifest["made_at"], "media_files": media_files, "seal": restored_seal}


def prune(out_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (names sort by time), and stale partial files."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    made = sorted(out_dir.glob(f"{PREFIX}*{SUFFIX}"))
    gone = made[: max(0, len(made) - keep)]
    gone += list(out_dir.glob(f"{PREFIX}*{SUFFIX}.partial"))
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def overdue(now=None) -> str:
    """Why the start page should warn about backups, or "" when all is well."""
    if not settings.JOUR_BACKUP_RECIPIENTS:
        return _("No backups are made: JOUR_BACKUP_RECIPIENTS is not set.") if settings.PRODUCTION else ""
    last = DataBackup.objects.order_by("-made_at").first()
    if last is None:
        return _("No backup has been made yet.")
    if last.made_at < (now or timezone.now()) - timedelta(days=settings.JOUR_BACKUP_WARN_DAYS):
        return _("The last backup was made %(when)s, more than %(days)s days ago.") % {
            "when": timezone.localtime(last.made_at).strftime("%Y-%m-%d %H:%M"),
            "days": settings.JOUR_BACKUP_WARN_DAYS,
        }
    return ""


def make_and_record(out_dir: Path, *, keys: list[str] | None = None, now=None) -> Made:
    """A backup as the command and the nightly task make it: written, then recorded for the
    start page's warning."""
    now = now or timezone.now()
    made = make(out_dir, keys=keys, now=now)
    DataBackup.objects.create(made_at=now, name=made.path.name, size_bytes=made.size, sha256=made.sha256)
    return made


def nightly(now=None) -> Made:
    """The beat's nightly backup: one file, recorded, the oldest beyond JOUR_BACKUP_KEEP deleted."""
    made = make_and_record(Path(settings.JOUR_BACKUP_DIR), now=now)
    prune(Path(settings.JOUR_BACKUP_DIR), settings.JOUR_BACKUP_KEEP)
    return made
