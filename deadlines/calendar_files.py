"""Reading a year's schedule from a file an admin prepared: CSV, a small YAML subset, or iCalendar.

The State Council's notice, typed up as one row per day that differs from the Monday–Friday week:
the date, holiday (a rest day) or workday (a weekend day worked instead, 调休), and the holiday's
name. deadlines/schedules/2026.csv, .yaml and .ics are the official 2026 schedule in each format
(loading one of them into the seeded database changes nothing).

CSV (UTF-8, header row; name_en optional; lines starting with # are comments)::

    date,kind,name,name_en
    2027-01-01,holiday,元旦,New Year's Day
    2027-02-07,workday,春节,Spring Festival

YAML (a list of flat mappings; PyYAML is not a dependency, so only this subset is read)::

    - date: 2027-01-01
      kind: holiday
      name: 元旦
    - {date: 2027-02-07, kind: makeup, name: 春节}

iCalendar (.ics): one VEVENT per holiday or make-up day (multi-day events are expanded). An event
is a make-up working day when its SUMMARY or CATEGORIES says so (班, 补班, 上班, make-up, workday);
otherwise it is a holiday. Markers such as "（休）" or " 补班" are removed from the name.

kind accepts holiday / 休 / 假 and makeup / make-up / workday / 班 / 补班 / 上班. A row without an
English name gets the usual one for the seven statutory holidays (元旦 → New Year's Day …).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from .enums import DayKind
from .sources import DaySpec
from .statutory import STATUTORY_NAMES

KIND_ALIASES = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "makeup": DayKind.MAKEUP_WORKDAY,
    "make-up": DayKind.MAKEUP_WORKDAY,
    "make-up working day": DayKind.MAKEUP_WORKDAY,
    "workday": DayKind.MAKEUP_WORKDAY,
    "working day": DayKind.MAKEUP_WORKDAY,
    "班": DayKind.MAKEUP_WORKDAY,
    "补班": DayKind.MAKEUP_WORKDAY,
    "上班": DayKind.MAKEUP_WORKDAY,
}
ICS_WORKDAY = re.compile(r"补班|上班|班|make-?up|working day|workday", re.IGNORECASE)
ICS_MARKERS = re.compile(
    r"\s*[（(]\s*(?:休|班|补班|上班|放假|休息|调休)\s*[)）]\s*|\s+(?:休息|补班|上班|放假|调休|休|班)\s*$"
)


class CalendarFileError(ValueError):
    pass


def _kind(value: str, where: str) -> str:
    kind = KIND_ALIASES.get(value.strip().lower())
    if kind is None:
        raise CalendarFileError(f"{where}: unknown kind {value!r} (use holiday or makeup).")
    return str(kind)


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CalendarFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None


def _spec(fields: dict[str, str], where: str) -> DaySpec:
    missing = [key for key in ("date", "kind", "name") if not (fields.get(key) or "").strip()]
    if missing:
        raise CalendarFileError(f"{where}: missing {', '.join(missing)}.")
    return DaySpec(
        date=_date(fields["date"], where),
        kind=_kind(fields["kind"], where),
        name_zh=fields["name"].strip(),
        name_en=(fields.get("name_en") or "").strip(),
    )


def parse_csv(text: str) -> list[DaySpec]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if reader.fieldnames is None or not {"date", "kind", "name"} <= {f.strip() for f in reader.fieldnames}:
        raise CalendarFileError("CSV: the header must name the columns date, kind, name (and optionally name_en).")
    return [
        _spec({(k or "").strip(): (v or "") for k, v in row.items()}, f"CSV row {number}")
        for number, row in enumerate(reader, start=2)
    ]


# --- YAML subset ----------------------------------------------------------------------------------
def _yaml_scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _strip_comment(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if char in "'\"":
            quote = "" if quote == char else (quote or char)
        elif char == "#" and not quote and (index == 0 or line[index - 1].isspace()):
            return line[:index]
    return line


def _split_flow(text: str) -> list[str]:
    """Split "a: 1, b: 'x, y'" on the commas outside quotes."""
    parts, current, quote = [], "", ""
    for char in text:
        if char in "'\"":
            quote = "" if quote == char else (quote or char)
        if char == "," and not quote:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _yaml_pairs(text: str, where: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in _split_flow(text):
        if not part.strip():
            continue
        key, colon, value = part.partition(":")
        if not colon:
            raise CalendarFileError(f"{where}: expected key: value, got {part!r}.")
        pairs[key.strip()] = _yaml_scalar(value)
    return pairs


def parse_yaml(text: str) -> list[DaySpec]:
    items: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw).rstrip()
        if not line.strip() or line.strip() in {"---", "days:"}:
            continue
        where = f"YAML line {number}"
        stripped = line.strip()
        if stripped.startswith("- "):
            body = stripped[2:].strip()
            items.append((number, {}))
            if body.startswith("{") and body.endswith("}"):
                items[-1][1].update(_yaml_pairs(body[1:-1], where))
                continue
            stripped = body
        if not items:
            raise CalendarFileError(f"{where}: expected a list item starting with '- '.")
        key, colon, value = stripped.partition(":")
        if not colon:
            raise CalendarFileError(f"{where}: expected key: value.")
        items[-1][1][key.strip()] = _yaml_scalar(value)
    return [_spec(fields, f"YAML item at line {number}") for number, fields in items]


# --- iCalendar ------------------------------------------------------------------------------------
def _ics_lines(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw[:1] in {" ", "\t"} and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def _ics_text(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value).strip()


def _ics_date(value: str, where: str) -> date:
    try:
        return datetime.strptime(value.strip()[:8], "%Y%m%d").date()
    except ValueError:
        raise CalendarFileError(f"{where}: {value!r} is not an iCalendar date.") from None


def _ics_event(props: dict[str, str], where: str) -> list[DaySpec]:
    if "DTSTART" not in props or not props.get("SUMMARY"):
        raise CalendarFileError(f"{where}: an event needs DTSTART and SUMMARY.")
    first = _ics_date(props["DTSTART"], where)
    end = _ics_date(props["DTEND"], where) if "DTEND" in props else first + timedelta(days=1)
    summary = _ics_text(props["SUMMARY"])
    marker_text = f"{summary} {props.get('CATEGORIES', '')}"
    kind = DayKind.MAKEUP_WORKDAY if ICS_WORKDAY.search(marker_text) else DayKind.HOLIDAY
    name = ICS_MARKERS.sub("", summary).strip() or summary
    days = max((end - first).days, 1)
    return [DaySpec(date=first + timedelta(days=i), kind=str(kind), name_zh=name) for i in range(days)]


def parse_ics(text: str) -> list[DaySpec]:
    specs: list[DaySpec] = []
    props: dict[str, str] | None = None
    for number, line in enumerate(_ics_lines(text), start=1):
        name_part, _colon, value = line.partition(":")
        name = name_part.split(";", 1)[0].upper()
        if name == "BEGIN" and value.upper() == "VEVENT":
            props = {}
        elif name == "END" and value.upper() == "VEVENT" and props is not None:
            specs.extend(_ics_event(props, f"ICS event ending at line {number}"))
            props = None
        elif props is not None:
            props[name] = value
    return specs


PARSERS = {".csv": parse_csv, ".yaml": parse_yaml, ".yml": parse_yaml, ".ics": parse_ics}


def parse_calendar_file(path: Path) -> list[DaySpec]:
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise CalendarFileError(f"{path.name}: unsupported file type; use .csv, .yaml/.yml or .ics.")
    specs = parser(path.read_text(encoding="utf-8-sig"))
    seen: dict[date, DaySpec] = {}
    for spec in specs:
        if not spec.name_en and spec.name_zh in STATUTORY_NAMES:
            spec = replace(spec, name_en=STATUTORY_NAMES[spec.name_zh])
        if spec.date in seen and seen[spec.date] != spec:
            raise CalendarFileError(f"{path.name}: {spec.date} is listed twice with different values.")
        seen[spec.date] = spec
    return sorted(seen.values(), key=lambda spec: spec.date)
