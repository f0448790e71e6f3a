"""Indonesian first, English complete: every string in the code has an Indonesian translation,
and the compiled catalogue that Django reads matches the source catalogue."""

from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    source = polib.pofile(str(PO))
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    compiled_messages = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in compiled}
    for entry in source.translated_entries():
        expected = entry.msgstr or entry.msgstr_plural.get(0)
        assert compiled_messages.get((entry.msgctxt, entry.msgid)) == expected, entry.msgid


def test_indonesian_is_the_default_and_english_is_available():
    with translation.override("id"):
        assert translation.gettext("Sign in") != "Sign in"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"
