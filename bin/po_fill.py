"""Fill msgstr entries of a catalogue from a JSON map {msgid: translation}; lists what is left.

.venv/bin/python bin/po_fill.py <path/to/django.po> <translations.json>
"""

import json
import sys

import polib


def main(po_path: str, json_path: str) -> None:
    catalogue = polib.pofile(po_path)
    with open(json_path, encoding="utf-8") as fh:
        translations = json.load(fh)
    for entry in catalogue:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.metadata.update(
        {"Language": "zh_Hans", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    )
    catalogue.save()
    left = [e.msgid for e in catalogue if not e.obsolete and (not e.msgstr or "fuzzy" in e.flags)]
    print(json.dumps({"untranslated": left}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:3])
