"""Where calendar exceptions come from: plain rows, and the official schedules of ``chinese-calendar``.

Used only by the seeding data migration and the ``calendar_seed`` command: at run time the
database is the source of truth and request code never imports the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DaySpec:
    """One exception row as loaded from a file or a package: date, kind and names."""

    date: date
    kind: str  # "holiday" | "makeup" (DayKind values)
    name_zh: str
    name_en: str = ""


def package_source() -> str:
    import chinese_calendar  # noqa: PLC0415 (chinese_calendar is needed only when seeding the calendar)

    return f"chinese-calendar {chinese_calendar.__version__}"


def package_days() -> dict[int, list[DaySpec]]:
    """Every year the package covers (2004–2026 in 1.11.0), each with its holidays and make-up days."""
    from chinese_calendar import Holiday, holidays, workdays  # noqa: PLC0415 (chinese_calendar is needed only when seeding the calendar)

    names = {holiday.value: (holiday.chinese, holiday.value) for holiday in Holiday}
    years: dict[int, list[DaySpec]] = {}
    for table, kind in ((holidays, "holiday"), (workdays, "makeup")):
        for day, english in table.items():
            chinese, english = names.get(english, (english, english))
            years.setdefault(day.year, []).append(DaySpec(date=day, kind=kind, name_zh=chinese, name_en=english))
    for days in years.values():
        days.sort(key=lambda spec: spec.date)
    return dict(sorted(years.items()))
