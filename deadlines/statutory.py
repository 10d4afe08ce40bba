"""The statutory holidays of a year whose State Council schedule is not published yet (SPEC §5).

《全国年节及纪念日放假办法》, as amended in 2024 and in force from 2025, gives every citizen:
元旦 1 day (1 January); 春节 4 days (除夕 and 初一 to 初三); 清明 1 day (the day of the 清明 solar
term); 劳动节 2 days (1–2 May); 端午 1 day (lunar 5/5); 中秋 1 day (lunar 8/15); 国庆 3 days
(1–3 October). The yearly schedule then moves days around weekends and adds make-up working days
(调休); those are never guessed here. Until a year is published, these days are rest days and every
result relying on them stays provisional.

Lunar dates and the solar term come from ``lunar-python`` (6tail's lunar, an astronomical
calculation, not a table), imported on first use: only unpublished years need it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from .sources import DaySpec

# The names and English names the seeded official schedules use (chinese-calendar), so a provisional
# day and the published one read the same in explanations and on the year page.
NEW_YEAR = ("元旦", "New Year's Day")
SPRING_FESTIVAL = ("春节", "Spring Festival")
TOMB_SWEEPING = ("清明", "Tomb-sweeping Day")
LABOUR_DAY = ("劳动节", "Labour Day")
DRAGON_BOAT = ("端午", "Dragon Boat Festival")
MID_AUTUMN = ("中秋", "Mid-autumn Festival")
NATIONAL_DAY = ("国庆节", "National Day")
STATUTORY_NAMES = dict([NEW_YEAR, SPRING_FESTIVAL, TOMB_SWEEPING, LABOUR_DAY, DRAGON_BOAT, MID_AUTUMN, NATIONAL_DAY])
# The source named wherever a provisional statutory day is shown.
LAW = "《全国年节及纪念日放假办法》(2024)"


def spring_festival_eve(year: int) -> date:
    """除夕: the last day of the 12th lunar month (the 29th or the 30th), the day before 初一 of ``year``."""
    from lunar_python import Lunar  # noqa: PLC0415 (lunar_python is heavy: loaded only when a year's statutory days are computed)

    first = Lunar.fromYmd(year, 1, 1).getSolar()
    return date(first.getYear(), first.getMonth(), first.getDay()) - timedelta(days=1)


def lunar_day(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar  # noqa: PLC0415 (lunar_python is heavy: loaded only when a year's statutory days are computed)

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def qingming(year: int) -> date:
    """The day of the 清明 solar term (4, 5 or 6 April), Beijing time."""
    from lunar_python import Solar  # noqa: PLC0415 (lunar_python is heavy: loaded only when a year's statutory days are computed)

    term = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return date(term.getYear(), term.getMonth(), term.getDay())


@lru_cache(maxsize=32)
def statutory_days(year: int) -> tuple[DaySpec, ...]:
    """The statutory rest days of ``year`` under the 2024 rules, in date order.

    When two fall on one day (中秋 on 1–3 October), the day is listed once, under both names.
    """
    eve = spring_festival_eve(year)
    rows: list[tuple[date, tuple[str, str]]] = [
        (date(year, 1, 1), NEW_YEAR),
        *[(eve + timedelta(days=offset), SPRING_FESTIVAL) for offset in range(4)],
        (qingming(year), TOMB_SWEEPING),
        (date(year, 5, 1), LABOUR_DAY),
        (date(year, 5, 2), LABOUR_DAY),
        (lunar_day(year, 5, 5), DRAGON_BOAT),
        (lunar_day(year, 8, 15), MID_AUTUMN),
        *[(date(year, 10, day), NATIONAL_DAY) for day in (1, 2, 3)],
    ]
    by_day: dict[date, DaySpec] = {}
    for day, (name_zh, name_en) in rows:
        if day.year != year:  # cannot happen with these rules; never let a day leak into another year
            continue
        if day in by_day:
            known = by_day[day]
            name_zh, name_en = f"{known.name_zh}、{name_zh}", f"{known.name_en}, {name_en}"
        by_day[day] = DaySpec(date=day, kind="holiday", name_zh=name_zh, name_en=name_en)
    return tuple(by_day[day] for day in sorted(by_day))
