from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .calendar import current_calendar_version, local_date
from .selectors import calendar_year_get

# Far enough either way for any contract; beyond this a year page is a typo.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@login_required
def calendar_year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The official working-day calendar of one year (SPEC §5), as twelve month grids."""
    today = local_date(timezone.now())
    year = year or today.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    context = {
        "year": year,
        # Drawn only when the page's cached fragment (per year, calendar version, language and
        # day) is missing: the year's twelve grids are most of the page's time.
        "calendar": SimpleLazyObject(lambda: calendar_year_get(year=year, today=today)),
        "calendar_version": current_calendar_version(),
        "today": today,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
    }
    return render(request, "deadlines/calendar_year.html", context)
