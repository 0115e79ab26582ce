"""Uploaded files: checked by their content, stored under names we make up,
handed out only by views that have checked access.

- What a file is comes from its first bytes, never from its name or from the
  Content-Type the browser sent (both are the client's word).
- Files are stored under MEDIA_ROOT with a random name; only the extension of
  the detected kind is kept. The client's file name is never used: no path
  tricks, and no seeker's or volunteer's name ends up on disk or in the audit log.
- MEDIA_ROOT has no URL. `serve()` is for views that have checked access; it
  sends the file as a download, never to be shown inline by the browser.
"""

import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    name: str
    magic: bytes
    extension: str
    content_type: str
    label: str


KINDS = {
    kind.name: kind
    for kind in (
        Kind("pdf", b"%PDF-", "pdf", "application/pdf", "PDF"),
        Kind("png", b"\x89PNG\r\n\x1a\n", "png", "image/png", "PNG"),
        Kind("jpeg", b"\xff\xd8\xff", "jpg", "image/jpeg", "JPEG"),
    )
}
HEAD_BYTES = max(len(kind.magic) for kind in KINDS.values())
DEFAULT_ALLOWED = ("pdf", "png", "jpeg")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_MB = DEFAULT_MAX_BYTES // (1024 * 1024)
_FOLDER = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


def _head(file) -> bytes:
    """The first bytes of a file, leaving it positioned at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head or b""


def detect(file) -> str | None:
    """The kind of a file from its first bytes ("pdf", "png", "jpeg"), or None."""
    head = _head(file)
    for kind in KINDS.values():
        if head.startswith(kind.magic):
            return kind.name
    return None


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


def _megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:g}" if value >= 1 else f"{value:.2f}"


def validate_upload(file, *, allowed=DEFAULT_ALLOWED, max_bytes=DEFAULT_MAX_BYTES) -> str:
    """Check an uploaded file's size and real content; return its kind.

    Raises ValidationError (codes: file_empty, file_too_large, file_type) with
    a message that says what is accepted.
    """
    unknown = set(allowed) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown file kinds: {sorted(unknown)}")
    size = _size(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB): at most %(limit)s MB is accepted."),
            code="file_too_large",
            params={"size": _megabytes(size), "limit": _megabytes(max_bytes)},
        )
    kind = detect(file)
    if kind not in allowed:
        raise ValidationError(
            _(
                "This file is not of an accepted kind (%(kinds)s). Its content was checked, not its name: "
                "save or scan the document as %(kinds)s and try again."
            ),
            code="file_type",
            params={"kinds": ", ".join(KINDS[name].label for name in allowed)},
        )
    return kind


def store(file, folder: str) -> str:
    """Save an (already validated) file under MEDIA_ROOT/<folder>/ with a random
    name and the extension of its detected kind; return the stored name, for a
    FileField. The client's file name is ignored."""
    folder = folder.rstrip("/")
    if not _FOLDER.match(folder):
        raise ValueError(f"Not a plain relative folder name: {folder!r}")
    kind = detect(file)
    if kind is None:
        raise ValidationError(_("The file's content is not of an accepted kind."), code="file_type")
    name = f"{folder}/{secrets.token_hex(16)}.{KINDS[kind].extension}"
    file.seek(0)
    stored = default_storage.save(name, file)
    if stored != name:  # a storage that renamed it would break our naming promise
        default_storage.delete(stored)
        raise RuntimeError("The storage changed a generated file name")
    return stored


def delete(name: str) -> None:
    """Remove a stored file; a missing file is not an error."""
    if name:
        default_storage.delete(name)


def serve(stored_file, download_name: str) -> FileResponse:
    """A download of a stored file, for a view that has checked access.

    `stored_file` is a FieldFile or a stored name. The Content-Type comes from
    the file's content; the browser is told to save it, not to display it or
    guess its type, and not to keep a copy in its cache.
    """
    name = getattr(stored_file, "name", stored_file)
    storage = getattr(stored_file, "storage", default_storage)
    if not name:
        raise Http404
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404 from None
    kind = detect(handle)
    if kind is None:  # not something we stored: refuse rather than guess
        handle.close()
        raise Http404
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", download_name).strip("-") or "file"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{base}.{KINDS[kind].extension}",
        content_type=KINDS[kind].content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
