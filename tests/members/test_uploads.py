"""Figure 12, the helper: uploads are checked by content and size, stored under
generated names inside MEDIA_ROOT, and handed out only as downloads."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.urls import Resolver404, resolve

from jour import uploads
from tests.personas import login_verified

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
TEN_MB = 10 * 1024 * 1024


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- validate_upload ---------------------------------------------------------


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_accepted_kinds_are_recognised_by_content(content, kind):
    assert uploads.validate_upload(upload("scan.bin", content, "application/octet-stream")) == kind


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("pledge.pdf", b"just some plain text, not a PDF at all", "application/pdf"),
        ("pledge.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("pledge.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "image/png"),
        ("pledge.jpg", b"MZ\x90\x00 an executable", "image/jpeg"),
        ("pledge.pdf", b" %PDF-1.7 magic not at the start", "application/pdf"),
        ("pledge.pdf", b"PK\x03\x04 a zip or office file", "application/pdf"),
    ],
)
def test_wrong_magic_bytes_are_refused_whatever_the_name_and_content_type(name, content, content_type):
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload(name, content, content_type))
    assert error.value.code == "file_type"


def test_a_pdf_name_with_png_content_is_refused_where_only_pdf_is_allowed():
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload("pledge.pdf", PNG), allowed=("pdf",))
    assert error.value.code == "file_type"


def test_the_type_message_says_what_is_accepted():
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload("pledge.pdf", b"plain text"))
    message = error.value.messages[0]
    assert all(label in message for label in ("PDF", "PNG", "JPEG"))


def test_oversize_is_refused_and_the_limit_itself_is_accepted():
    at_limit = PDF + b"0" * (TEN_MB - len(PDF))
    assert uploads.validate_upload(upload("big.pdf", at_limit)) == "pdf"
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload("big.pdf", at_limit + b"0"))
    assert error.value.code == "file_too_large"
    assert "10" in error.value.messages[0]


def test_a_smaller_limit_is_respected():
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload("scan.png", PNG), max_bytes=len(PNG) - 1)
    assert error.value.code == "file_too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        uploads.validate_upload(upload("empty.pdf", b""))
    assert error.value.code == "file_empty"


def test_a_plain_file_object_works_too():
    assert uploads.validate_upload(io.BytesIO(JPEG)) == "jpeg"


def test_unknown_kinds_are_a_programming_error():
    with pytest.raises(ValueError, match="Unknown"):
        uploads.validate_upload(upload("a.pdf", PDF), allowed=("pdf", "docx"))


# --- store -------------------------------------------------------------------

RANDOM_NAME = re.compile(r"^pledges/[0-9a-f]{32}\.(pdf|png|jpg)$")


@pytest.mark.parametrize(
    "client_name",
    ["../../etc/passwd.pdf", "/etc/passwd.pdf", "..\\..\\windows\\win.ini.pdf", "Anna Andersson tystnadslöfte.pdf"],
)
def test_stored_name_is_random_inside_media_root_and_ignores_the_client_name(media, tmp_path, client_name):
    name = uploads.store(upload(client_name, PDF), "pledges")
    assert RANDOM_NAME.match(name), name
    stored = (Path(media) / name).resolve()
    assert stored.is_file() and stored.read_bytes() == PDF
    assert stored.parent == (Path(media) / "pledges").resolve()
    assert not (tmp_path / "etc").exists()
    assert "passwd" not in name and "Anna" not in name


def test_the_extension_comes_from_the_content(media):
    assert uploads.store(upload("pledge.pdf", PNG), "pledges").endswith(".png")
    assert uploads.store(upload("pledge.exe", JPEG), "pledges").endswith(".jpg")


def test_two_uploads_of_the_same_file_get_different_names(media):
    first = uploads.store(upload("pledge.pdf", PDF), "pledges")
    second = uploads.store(upload("pledge.pdf", PDF), "pledges")
    assert first != second


def test_store_refuses_unchecked_content_and_odd_folders(media):
    with pytest.raises(ValidationError):
        uploads.store(upload("pledge.pdf", b"plain text"), "pledges")
    for folder in ("../outside", "pledges/../..", "/abs", ""):
        with pytest.raises(ValueError):
            uploads.store(upload("pledge.pdf", PDF), folder)
    assert not list(Path(media).parent.glob("outside*"))


# --- serve -------------------------------------------------------------------


def test_serve_is_an_attachment_typed_by_content(media):
    name = uploads.store(upload("whatever.pdf", PNG), "pledges")
    response = uploads.serve(name, "pledge-7")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="pledge-7.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == PNG


def test_serve_cleans_the_download_name(media):
    name = uploads.store(upload("x.pdf", PDF), "pledges")
    response = uploads.serve(name, '../evil"\r\nSet-Cookie: a=b')
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ") and disposition.endswith('.pdf"')
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition


def test_serve_refuses_missing_or_foreign_files(media):
    with pytest.raises(Http404):
        uploads.serve("pledges/" + "0" * 32 + ".pdf", "pledge")
    with pytest.raises(Http404):
        uploads.serve("", "pledge")
    (Path(media) / "pledges").mkdir(parents=True, exist_ok=True)
    (Path(media) / "pledges" / "planted.pdf").write_bytes(b"<html>not ours</html>")
    with pytest.raises(Http404):
        uploads.serve("pledges/planted.pdf", "pledge")


# --- No URL serves the media root ---------------------------------------------


def test_media_root_is_outside_the_static_files():
    media = Path(django_settings.MEDIA_ROOT).resolve()
    for static in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        static = Path(static).resolve()
        assert media != static and static not in media.parents and media not in static.parents


def test_no_url_serves_the_media_root(media, people):
    name = uploads.store(upload("pledge.pdf", PDF), "pledges")
    with pytest.raises(Resolver404):
        resolve(f"/media/{name}")
    for who in (None, people.coordinator):
        client = Client()
        if who:
            login_verified(client, who)
        for path in (f"/media/{name}", f"/{name}", f"/static/../media/{name}", f"/static/{name}"):
            response = client.get(path)
            assert response.status_code == 404, (who, path, response.status_code)
