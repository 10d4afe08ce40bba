"""Simplified Chinese is the default language: every message must have a translation."""

from __future__ import annotations

from pathlib import Path

import polib

PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(PO_FILE))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_chinese_catalogue_keeps_placeholders():
    catalogue = polib.pofile(str(PO_FILE))

    broken = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if sorted(_placeholders(entry.msgid)) != sorted(_placeholders(entry.msgstr))
    ]
    assert broken == []


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}", text)
