import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated():
    catalog = polib.pofile(str(LOCALE / "django.po"))
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []


def test_compiled_catalog_matches_the_po_file():
    catalog = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def lookup(entry):
        if entry.msgid_plural:
            return compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        return compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)

    def expected(entry):
        return entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr

    stale = [entry.msgid for entry in catalog.translated_entries() if lookup(entry) != expected(entry)]
    assert stale == [], "run `make messages` to recompile"
