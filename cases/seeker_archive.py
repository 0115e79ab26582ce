"""The seeker's data (cases/seeker_data.py) as it leaves the jour: a PDF to read
and the same as JSON, in a ZIP encrypted with AES-256 under a one-time
passphrase.

The passphrase is made here, shown once to the coordinator (who reads it to
the seeker on the phone) and then forgotten: it is never stored, logged,
e-mailed or put in a URL. Only the encrypted archive waits, in the
coordinator's own session, for one download within a few minutes; the
download is a POST that names it by a random token, so the token is not in a
URL either.
"""

import base64
import io
import secrets
import time
from dataclasses import dataclass

import pyzipper
from django.template.loader import render_to_string
from django.utils.translation import override

from jour import pdf

from .models import Case
from .seeker_data import Export, as_json, collect

# 24 characters of the base32 alphabet, 5 bits each: 120 bits, far beyond guessing
# even at the speed an attacker tries ZIP passwords offline. Lower case is quicker
# to type on a phone; there are no 0, 1, 8 or 9 to mistake for letters.
ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
GROUPS, GROUP_LENGTH = 6, 4
SESSION_KEY = "seeker_data_archive"
VALID_SECONDS = 10 * 60


def passphrase() -> str:
    """Six groups of four, joined by hyphens, which are part of it ("k7qm-2xhp-...")."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))


def as_pdf(export: Export) -> bytes:
    with override(export.language):
        html = render_to_string("cases/seeker_data_pdf.html", {"data": export})
    return pdf.render(html, stylesheets=("cases/seeker_data_pdf.css",))


def file_name(case: Case, extension: str) -> str:
    return f"personuppgifter-{case.number}.{extension}"


def pack(*, case: Case, export: Export, secret: str) -> bytes:
    """The PDF and the JSON in one ZIP, AES-256 (WinZip AE) with `secret`."""
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(secret.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(file_name(case, "pdf"), as_pdf(export))
        archive.writestr(file_name(case, "json"), as_json(export))
    return buffer.getvalue()


@dataclass(frozen=True)
class Prepared:
    token: str
    passphrase: str
    case_numbers: list[str]


def prepare(session, *, case: Case, language: str) -> Prepared:
    """Build the archive, keep it in `session` for one download, and return the
    passphrase for the page that shows it once. A newer archive replaces an older one."""
    export = collect(case, language=language)
    secret = passphrase()
    token = secrets.token_urlsafe(32)
    session[SESSION_KEY] = {
        "token": token,
        "case": case.pk,
        "expires": time.time() + VALID_SECONDS,
        "data": base64.b64encode(pack(case=case, export=export, secret=secret)).decode(),
    }
    return Prepared(token, secret, [found.number for found in export.cases])


def take(session, *, case: Case, token: str) -> bytes | None:
    """The archive waiting in `session` for this case and token, once; None if
    there is none, it is another's, or it has expired. Any attempt uses it up."""
    waiting = session.pop(SESSION_KEY, None)
    if not waiting or not token or waiting.get("case") != case.pk:
        return None
    if not secrets.compare_digest(str(waiting.get("token")), token) or waiting.get("expires", 0) < time.time():
        return None
    return base64.b64decode(waiting["data"])
