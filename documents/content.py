"""Canonical content: what a version's SHA-256 covers, and how content is shown and compared."""

from __future__ import annotations

from dataclasses import dataclass

from sealing.fingerprint import bytes_sha256, canonical_json, canonical_sha256  # noqa: F401  (re-exported)

from .schema import Schema, schema_for


def content_canonical_json(*, project_code: str, type_code: str, number: int, content: dict, attachments: list) -> str:
    """The exact bytes a signature is about: sorted keys, no whitespace, UTF-8."""
    payload = {
        "project": project_code,
        "type": type_code,
        "version": number,
        "content": content,
        "attachments": sorted([a.name, a.sha256] for a in attachments),
    }
    return canonical_json(payload)


def content_sha256(**kwargs) -> str:
    return bytes_sha256(content_canonical_json(**kwargs).encode())


@dataclass(frozen=True)
class DisplayField:
    label: str
    value: str


@dataclass(frozen=True)
class DisplayTable:
    name: str
    label: str
    columns: list[str]
    rows: list[list[str]]


def content_display(*, type_code: str, content: dict) -> tuple[list[DisplayField], list[DisplayTable]]:
    """Labels and values in the reader's language, for pages and PDFs alike."""
    schema = schema_for(type_code)
    fields = [DisplayField(str(f.label), f.display(content.get(f.name))) for f in schema.fields]
    tables = [
        DisplayTable(
            t.name,
            str(t.label),
            [str(c.label) for c in t.columns],
            [[c.display(row.get(c.name)) for c in t.columns] for row in content.get(t.name, [])],
        )
        for t in schema.tables
    ]
    return fields, tables


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    where: str  # field or table label
    row: int | None  # 1-based row number in the newer version (older for removed rows)
    details: list[tuple[str, str, str]]  # (column label, old, new)


def content_diff(*, type_code: str, old: dict, new: dict) -> list[Change]:
    """What changed from ``old`` to ``new``: fields changed, rows added, removed or edited."""
    schema: Schema = schema_for(type_code)
    changes: list[Change] = []
    for f in schema.fields:
        before, after = f.display(old.get(f.name)), f.display(new.get(f.name))
        if before != after:
            changes.append(Change("changed", str(f.label), None, [(str(f.label), before, after)]))
    for t in schema.tables:
        old_rows = {r.get("uid"): (i, r) for i, r in enumerate(old.get(t.name, []), start=1)}
        new_rows = {
            r.get("uid"): (i, r)
            for i, r in enumerate(_matched_uids(t, old.get(t.name, []), new.get(t.name, [])), start=1)
        }
        for uid, (i, row) in new_rows.items():
            if uid not in old_rows:
                changes.append(
                    Change(
                        "added", str(t.label), i, [(str(c.label), "", c.display(row.get(c.name))) for c in t.columns]
                    )
                )
                continue
            before = old_rows[uid][1]
            details = [
                (str(c.label), c.display(before.get(c.name)), c.display(row.get(c.name)))
                for c in t.columns
                if c.kind != "secret" and c.display(before.get(c.name)) != c.display(row.get(c.name))
            ]
            if details:
                changes.append(Change("changed", str(t.label), i, details))
        for uid, (i, row) in old_rows.items():
            if uid not in new_rows:
                changes.append(
                    Change(
                        "removed", str(t.label), i, [(str(c.label), c.display(row.get(c.name)), "") for c in t.columns]
                    )
                )
    return changes


def _matched_uids(table, old_rows: list[dict], new_rows: list[dict]) -> list[dict]:
    """Rows normally keep their uid from version to version. Rows typed in again (or imported)
    get new uids: pair those with an unmatched older row that has the same first column (the
    milestone's name, the item's kind and text), so an edit shows as a change."""
    old_uids = {r.get("uid") for r in old_rows}
    new_uids = {r.get("uid") for r in new_rows}
    key = table.columns[0].name
    spare = {}
    for row in old_rows:
        if row.get("uid") not in new_uids:
            spare.setdefault(row.get(key), []).append(row.get("uid"))
    matched = []
    for row in new_rows:
        if row.get("uid") not in old_uids and spare.get(row.get(key)):
            row = {**row, "uid": spare[row.get(key)].pop(0)}
        matched.append(row)
    return matched
