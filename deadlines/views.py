from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from delivery.cache import cache_get, cache_set

from .calendar import current_calendar_version, local_date
from .selectors import calendar_year_get

# Far enough either way for any contract; beyond this a year page is a typo.
FIRST_YEAR, LAST_YEAR = 2000, 2100
BODY_CACHE_SECONDS = 60 * 60 * 24


@login_required
def calendar_year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The official working-day calendar of one year (SPEC §5), as twelve month grids."""
    today = local_date(timezone.now())
    year = year or today.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    calendar = SimpleLazyObject(lambda: calendar_year_get(year=year, today=today))
    context = {
        "year": year,
        "calendar": calendar,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
    }
    # The twelve grids are most of the page's time and depend only on these: drawn once per
    # calendar version (a calendar edit changes it), language and day (today is marked).
    key = f"deadlines:calendar-year:{year}:{current_calendar_version()}:{get_language()}:{today.isoformat()}"
    body = cache_get(key)
    if not isinstance(body, str):
        body = render_to_string("deadlines/_calendar_year_body.html", context)
        cache_set(key, body, timeout=BODY_CACHE_SECONDS)
    return render(request, "deadlines/calendar_year.html", {**context, "body": mark_safe(body)})  # noqa: S308
