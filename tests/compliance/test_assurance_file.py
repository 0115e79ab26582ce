"""The sealed assurance PDF: made once, what it says, and what verify() catches."""

import hashlib
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from kombu.exceptions import OperationalError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from compliance import assurance, content, seal, tasks
from compliance.models import AssessmentState, Assurance, Status
from jour import formatting
from tests.personas import login_verified

from .cycle import ready_year, second_auditor, sign_as

YEAR = 2025


@pytest.fixture
def signed(people, settings):
    settings.JOUR_ASSURANCE_SIGNATURES = 2
    assessment = ready_year(YEAR, people.coordinator)
    sign_as(assessment, people.auditor)
    sign_as(assessment, second_auditor())
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED
    return assessment


@pytest.fixture
def sealed(signed):
    found = assurance.produce(signed.pk)
    with found.pdf.open("rb") as handle:
        pdf = handle.read()
    return SimpleNamespace(assessment=signed, assurance=found, pdf=pdf)


def _failed(result) -> set[str]:
    return {check.name for check in result.checks if not check.ok}


def _flip(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def _padding(data: bytes) -> range:
    """The zeros after the DER signature inside the seal's /Contents <…> hex string."""
    marker = b"/Contents <"
    assert data.count(marker) == 1
    start = data.index(marker) + len(marker)
    end = data.index(b">", start)
    der = bytes.fromhex(data[start:end].decode())
    assert der[0] == 0x30 and der[1] > 0x80
    size = der[1] & 0x7F
    header, length = 2 + size, int.from_bytes(der[2 : 2 + size], "big")
    padding = range(start + 2 * (header + length), end)
    assert len(padding) > 100 and set(data[padding.start : padding.stop]) == {ord("0")}
    return padding


def _seal_holds(data: bytes) -> bool:
    check = assurance.Verification()
    assurance._check_seal(data, check)
    return check.ok


# -- making the file -------------------------------------------------------


def test_producing_twice_makes_one_assurance_and_one_file(signed, settings):
    first = assurance.produce(signed.pk)
    second = assurance.produce(signed.pk)

    assert second.pk == first.pk
    assert Assurance.objects.count() == 1
    files = list((Path(settings.MEDIA_ROOT) / "assurances").iterdir())
    assert [f.name for f in files] == [Path(first.pdf.name).name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == first.pdf_sha256


def test_a_file_stored_by_a_worker_killed_before_recording_it_is_removed(signed, settings):
    killed = SystemExit("SIGKILL")  # the process ends between storing the file and recording it
    with (
        mock.patch.object(assurance, "_record", side_effect=killed),
        mock.patch.object(assurance.default_storage, "delete"),
        pytest.raises(SystemExit),
    ):
        assurance.produce(signed.pk)
    folder = Path(settings.MEDIA_ROOT) / "assurances"
    assert len(list(folder.iterdir())) == 1 and not Assurance.objects.exists()

    made = assurance.produce(signed.pk)

    assert [f.name for f in folder.iterdir()] == [Path(made.pdf.name).name]
    # A run that finds the record already made tidies up too.
    (folder / f"{YEAR}-v{signed.version}-0000000000000000.pdf").write_bytes(b"left behind")
    (folder / f"{YEAR + 1}-v1-0000000000000000.pdf").write_bytes(b"another year's")
    assert assurance.produce(signed.pk).pk == made.pk
    assert sorted(f.name for f in folder.iterdir()) == sorted(
        [Path(made.pdf.name).name, f"{YEAR + 1}-v1-0000000000000000.pdf"]
    )


def test_a_version_still_being_signed_gets_no_file(people, settings):
    settings.JOUR_ASSURANCE_SIGNATURES = 2
    assessment = ready_year(YEAR, people.coordinator)
    sign_as(assessment, people.auditor)

    assert assurance.produce(assessment.pk) is None
    assert assessment.pk not in assurance.pending_ids()
    assert not Assurance.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "assurances").exists()


def test_the_sweep_renders_a_version_whose_task_never_reached_the_broker(
    people, settings, django_capture_on_commit_callbacks
):
    settings.JOUR_ASSURANCE_SIGNATURES = 2
    assessment = ready_year(YEAR, people.coordinator)
    sign_as(assessment, people.auditor)
    down = OperationalError("broker unreachable")
    with (
        mock.patch.object(tasks.render_assurance, "delay", side_effect=down) as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sign_as(assessment, second_auditor())

    queued.assert_called_once_with(assessment.pk)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SIGNED
    assert assurance.pending_ids() == [assessment.pk]

    assert tasks.render_pending_assurances() == 1
    assert Assurance.objects.filter(assessment=assessment).count() == 1
    assert tasks.render_pending_assurances() == 0


# -- what the file says ----------------------------------------------------


def test_the_pdf_names_every_requirement_both_auditors_and_the_content_hash(sealed):
    reader = pypdf.PdfReader(io.BytesIO(sealed.pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())

    codes = list(sealed.assessment.answers.values_list("code", flat=True))
    assert len(codes) == 38
    for code in codes:
        assert re.search(rf"\b{code}\b", text), code  # \b: G1 must not be found inside G10
    assert "JohanAuditor" in flat and "EvaAuditor" in flat
    assert sealed.assessment.content_sha256 in flat
    # The sealed content keeps ISO text; the file, in the site's language, writes the moments as pages do.
    with translation.override("sv"):
        for signature in sealed.assessment.signatures.all():
            assert "".join(formatting.moment(signature.signed_at, year=True).split()) in flat


def test_the_embedded_json_is_the_download_and_the_stored_record(client, people, sealed):
    embedded = pypdf.PdfReader(io.BytesIO(sealed.pdf)).attachments[assurance.json_name(YEAR)]
    login_verified(client, people.board)
    download = client.get(reverse("assurance_json", args=[YEAR, 1]))

    assert download.status_code == 200
    assert embedded == [download.content]
    assert download.content == sealed.assurance.document_json.encode()
    record = json.loads(download.content)
    assert record["content"] == json.loads(sealed.assessment.frozen_json)
    assert record["content_sha256"] == sealed.assessment.content_sha256
    assert [s["name"] for s in record["signatures"]] == ["Johan Auditor", "Eva Auditor"]


# -- verification ----------------------------------------------------------


def test_every_changed_byte_breaks_the_seal(sealed):
    data = sealed.pdf
    assert assurance.verify(data).ok
    spread = {round(i * (len(data) - 1) / 299) for i in range(300)}
    padding = _padding(data)
    assert len(spread) == 300

    # verify() also compares the whole file with the SHA-256 stored on this server, which
    # catches any change here; elsewhere only the seal does, so the seal alone must fail
    # for every byte it covers: all but the /Contents <…> hex string that holds the CMS
    # signature itself (the ByteRange leaves it out by design). Inside that string a flip
    # in the signature's unsigned wrapping (a tag a lenient parser reads the same, say)
    # changes nothing that was signed; there verify() still fails on the file's hash.
    # (The seal check on its own keeps ~430 positions within a few seconds.)
    start = data.index(b"/Contents <") + len(b"/Contents <")
    inside = range(start, data.index(b">", start))
    held = [p for p in sorted(spread | set(padding[::7])) if _seal_holds(_flip(data, p))]
    assert [p for p in held if p not in inside] == []
    for position in held:
        assert not assurance.verify(_flip(data, position)).ok, position

    # The padding never reaches the PDF reader, so it also goes through verify() whole.
    for position in padding[:: len(padding) // 4]:
        result = assurance.verify(_flip(data, position))
        assert "seal" in _failed(result), position


def test_bytes_appended_after_the_seal_are_caught(sealed):
    for tail in (b"\n", b"% a note\n", b"\n99 0 obj\n(x)\nendobj\n"):
        result = assurance.verify(sealed.pdf + tail)
        assert "seal" in _failed(result) and not result.ok, tail


def test_a_file_resealed_with_another_key_is_not_trusted(sealed, settings, tmp_path):
    ours = settings.JOUR_SEAL_KEY_FILE, settings.JOUR_SEAL_CERT_FILE
    settings.JOUR_SEAL_KEY_FILE = str(tmp_path / "other" / "key.pem")
    settings.JOUR_SEAL_CERT_FILE = str(tmp_path / "other" / "cert.pem")
    seal.create(name="Falska jouren")
    forged = assurance.seal_pdf(assurance.render_pdf(sealed.assessment, sealed.assurance.document_json))
    assert _failed(assurance.verify(forged)) == {"file"}  # a sound seal, by its own key

    settings.JOUR_SEAL_KEY_FILE, settings.JOUR_SEAL_CERT_FILE = ours
    assert _failed(assurance.verify(forged)) == {"seal", "file"}


def test_a_file_rendered_from_changed_content_does_not_match_the_record(sealed):
    record = json.loads(sealed.assurance.document_json)
    record["content"]["requirements"][0]["status"] = Status.NOT_MET
    digest = hashlib.sha256(content.canonical(record["content"]).encode()).hexdigest()
    record["content_sha256"] = digest
    for signature in record["signatures"]:
        signature["content_sha256"] = digest

    forged = assurance.seal_pdf(assurance.render_pdf(sealed.assessment, content.canonical(record)))

    # Sealed with the jour's own key and consistent in itself: only the stored record gives it away.
    assert _failed(assurance.verify(forged)) == {"record", "file"}


def test_the_verify_command(sealed, tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(sealed.pdf)
    out = io.StringIO()
    call_command("assurance_verify", str(good), stdout=out)
    assert "FAIL" not in out.getvalue() and f"{YEAR}" in out.getvalue()

    changed = tmp_path / "changed.pdf"
    changed.write_bytes(_flip(sealed.pdf, _padding(sealed.pdf)[10]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("assurance_verify", str(changed), stdout=out)
    assert "FAIL seal" in out.getvalue()


def test_the_status_partial_polls_until_the_file_exists(client, people, signed):
    login_verified(client, people.board)
    url = reverse("assurance_status", args=[YEAR, signed.version])
    links = (
        reverse("assurance_pdf", args=[YEAR, signed.version]),
        reverse("assurance_json", args=[YEAR, signed.version]),
    )

    waiting = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and f'hx-get="{url}"' in waiting
    assert not any(link in waiting for link in links)

    assurance.produce(signed.pk)
    done = client.get(url).content.decode()
    assert "hx-trigger" not in done
    assert all(f'href="{link}"' in done for link in links)


# -- files verify() cannot read --------------------------------------------


def _handmade_pdf(page: bytes, attachment: bytes) -> bytes:
    """An unsealed one-page PDF carrying an assurance JSON attachment."""
    writer = pypdf.PdfWriter()
    blank = writer.add_blank_page(width=200, height=200)
    font = {NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1")}
    font[NameObject("/BaseFont")] = NameObject("/Helvetica")
    blank[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): DictionaryObject(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(page)
    blank.replace_contents(stream)
    writer.add_attachment(assurance.json_name(YEAR), attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


READABLE_PAGE = b"BT /F1 12 Tf (Intyg) Tj ET"
BROKEN_PAGE = b"BT /F1 12 Tf <0<0> Tj ET"  # what a flipped byte in a compressed page stream can turn into
CRASH = (
    "BUG compliance/assurance.py verify(): it promises every check reported, but {what} raises {error} "
    "out of verify() (line {line}); the verify page answers 500 and assurance_verify a traceback, "
    "not 'does NOT verify'"
)


@pytest.mark.parametrize(
    ("page", "attachment"),
    [
        pytest.param(READABLE_PAGE, b"{}", id="readable"),
        pytest.param(
            BROKEN_PAGE,
            b"{}",
            id="broken-page-text",
        ),
        pytest.param(
            READABLE_PAGE,
            b"[]",
            id="json-not-an-object",
        ),
        pytest.param(
            READABLE_PAGE,
            b'{"content":{"version":1,"year":"x"}}',
            id="year-not-a-number",
        ),
    ],
)
def test_verify_reports_a_file_it_cannot_read_instead_of_raising(db, page, attachment):
    result = assurance.verify(_handmade_pdf(page, attachment))
    assert not result.ok and "seal" in _failed(result)


def test_the_verify_page_reports_a_file_it_cannot_read(client, people):
    login_verified(client, people.auditor)
    upload = SimpleUploadedFile("intyg.pdf", _handmade_pdf(BROKEN_PAGE, b"{}"), content_type="application/pdf")
    response = client.post(reverse("assurance_verify"), {"file": upload})
    assert response.status_code == 200
    assert response.context["result"] is not None and not response.context["result"].ok
