"""Swedish by default, English on request, for the whole page."""

import gettext
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.personas import login_verified


def test_pages_are_swedish_by_default(client, people):
    login_verified(client, people.coordinator)
    html = client.get(reverse("start")).content.decode()
    assert 'lang="sv"' in html and "Välkommen, Kim" in html and "Logga ut" in html


def test_english_is_one_click_away(client, people):
    login_verified(client, people.coordinator)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("start")}, follow=True)
    html = response.content.decode()
    assert 'lang="en"' in html and "Welcome, Kim" in html and "Log out" in html


def test_the_compiled_catalogue_matches_the_sources():
    # Every msgid in django.po must be in the compiled django.mo with the same text,
    # so an edited .po without `make messages` fails here.
    directory = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES"
    with open(directory / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    entries = _parse_po(directory / "django.po")
    assert entries, "no translations found"
    for msgid, msgstr in entries.items():
        assert msgstr, f"untranslated: {msgid!r}"
        assert catalogue.get(msgid) == msgstr, f"django.mo is stale for {msgid!r}"


def _parse_po(path: Path) -> dict[str, str]:
    """Singular entries of a .po file (enough for this check), keyed as in a .mo:
    "context\x04msgid" for an entry with a msgctxt."""
    entries, key, current = {}, None, {"msgctxt": "", "msgid": "", "msgstr": ""}
    lines = path.read_text(encoding="utf-8").splitlines() + [""]
    for line in lines:
        if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            key = line.split(" ", 1)[0]
            current[key] = _unquote(line.split(" ", 1)[1])
        elif line.startswith('"') and key:
            current[key] += _unquote(line)
        elif not line.strip():
            if current["msgid"] and key:
                prefix = current["msgctxt"] + "\x04" if current["msgctxt"] else ""
                entries[prefix + current["msgid"]] = current["msgstr"]
            key, current = None, {"msgctxt": "", "msgid": "", "msgstr": ""}
        elif line.startswith(("msgid_plural", "msgstr[")):
            key = None
            current = {"msgctxt": "", "msgid": "", "msgstr": ""}
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].encode("raw_unicode_escape").decode("unicode_escape")
