"""Simplified Chinese is the default language: every message of every catalogue is translated.

Site-wide strings live in locale/; each app keeps its own in <app>/locale/.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(path for path in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in path.parts)


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|\{\w+\}", text))


def test_site_catalogue_exists():
    assert ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_chinese_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))

    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_chinese_catalogue_keeps_placeholders(path):
    catalogue = polib.pofile(str(path))

    broken = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if _placeholders(entry.msgid) != _placeholders(entry.msgstr)
    ]
    assert broken == []
