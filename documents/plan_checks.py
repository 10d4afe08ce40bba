"""Plan sanity (§2, project plan): warnings shown while a plan is drafted and reviewed, never refusals.

A plan may rightly reach outside the contract's dates (a change is coming, a date is being
renegotiated); the vendor PM should simply not do it by accident.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from .gantt import _date


def plan_warnings(*, project, content: dict, today: dt.date, draft: bool) -> list[str]:
    """What looks wrong in a project plan against the project's planned period, in the reader's language.

    ``draft``: dates already past are worth a warning only while the plan is being written.
    """
    warnings: list[str] = []
    start, end = project.planned_start, project.planned_end
    period = {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    for row in content.get("milestones", []):
        name = row.get("name", "")
        first, last = _date(row.get("planned_start")), _date(row.get("planned_end"))
        if first is None or last is None:
            continue
        dates = {"name": name, "first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}", **period}
        if row.get("kind") == "golive" and last > end:
            warnings.append(
                _("The go-live milestone “%(name)s” ends on %(last)s, after the project's planned end %(end)s.") % dates
            )
        elif first < start or last > end:
            warnings.append(
                _(
                    "Milestone “%(name)s” (%(first)s – %(last)s) falls outside the project's planned period "
                    "%(start)s – %(end)s."
                )
                % dates
            )
        if draft and first < today and row.get("status") == "planned":
            warnings.append(_("Milestone “%(name)s” is planned to start on %(first)s, which is already past.") % dates)
    return warnings
