"""In a real browser: an invited volunteer scans the enrolment QR code.

The page is screenshotted at a desktop and a phone size and the code decoded
from the pixels, as a phone camera would, to the otpauth:// URI holding the key
printed beside it; the code an app computes from the decoded key enrols the
account. (Typing the key by hand, as the other browser tests do, never showed
that the QR was clipped to one corner.)"""

import base64
import io
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from jour.models import Invitation, Role, User
from tests.personas import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and private passphrase"
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}


def _invitation_link(email: str) -> str:
    coordinator = User.objects.filter(role=Role.COORDINATOR).first() or make_user(
        "kim@jour.test", "Kim Coordinator", Role.COORDINATOR
    )
    invitation = Invitation.objects.create(
        email=email, name="Nora Newcomer", role=Role.BOARD_MEMBER, invited_by=coordinator
    )
    token = invitation.issue_token()
    invitation.save()
    return reverse("invitation", args=[token])


def _decode(png: bytes) -> str:
    # QR codes only, as an authenticator app reads: across some keys' patterns zxing also finds
    # a row of modules that happens to read as a linear (ITF) barcode.
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"{len(found)} codes found in the screenshot"
    return found[0].text


@pytest.mark.parametrize(("size", "options"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_enrolment_qr_scans_and_enrols(live_server, browser, size, options):
    email = f"nora.{size}@jour.test"
    context = browser.new_context(locale="sv-SE", **options)
    page = context.new_page()
    page.goto(live_server.url + _invitation_link(email))
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_password2").press("Enter")
    page.wait_for_url("**/accounts/enrol/**")

    qr = page.locator("figure.qr svg")
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["x"] >= 0 and box["x"] + box["width"] <= options["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
    shot = qr.screenshot(path=f"var/e2e-enrol-qr-{size}.png")
    uri = _decode(shot)
    # The whole page, as a phone pointed at the screen would see it, scans too.
    assert _decode(page.screenshot(path=f"var/e2e-enrol-page-{size}.png", full_page=True)) == uri

    assert uri.startswith("otpauth://totp/")
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    shown = "".join(page.locator("code.secret").inner_text().split())
    assert secret == shown

    # What the authenticator app computes from the scanned key.
    code = f"{TOTP(base64.b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"
    page.locator("#id_code").fill(code)
    page.locator("#id_code").press("Enter")
    page.wait_for_load_state()
    assert TOTPDevice.objects.filter(user__email=email, confirmed=True).count() == 1
    context.close()
