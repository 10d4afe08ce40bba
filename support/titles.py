"""The fixed title of a support request (SPEC §6): 技术支持申请--<customer>--<project>--<sales name>--<date>.

The parts, decided here once:
- customer: the customer organisation's short name (its full name when it has none);
- project: the project's name, or 非项目 for non-project support;
- sales name: the filing sales person's full name (the user name when no name is set);
- date: the filing date in Asia/Shanghai, written YYYY-MM-DD.
A typed title that differs is refused with a message naming the wrong part.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from delivery.people import display_name

from .enums import TITLE_NO_PROJECT, TITLE_PREFIX, TITLE_SEPARATOR

_PART = r"(?:(?!--).)+"  # any text without the separator
TITLE_RE = re.compile(
    rf"^(?P<prefix>{_PART})--(?P<customer>{_PART})--(?P<project>{_PART})--(?P<sales>{_PART})--(?P<date>{_PART})$"
)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class TitleParts:
    customer: str
    project: str
    sales: str
    date: str

    @classmethod
    def build(cls, *, customer, project, sales, day: datetime.date) -> TitleParts:
        return cls(
            customer=(customer.short_name or customer.name).strip(),
            project=project.name.strip() if project is not None else TITLE_NO_PROJECT,
            sales=display_name(sales).strip(),
            date=day.isoformat(),
        )

    @property
    def title(self) -> str:
        return TITLE_SEPARATOR.join([TITLE_PREFIX, self.customer, self.project, self.sales, self.date])


def title_problems(title: str, *, expected: TitleParts) -> list[str]:
    """Why ``title`` is not the request's title, part by part, in the reader's language; [] if it is."""
    title = title.strip()
    if title == expected.title:
        return []
    match = TITLE_RE.match(title)
    if match is None:
        count = len(title.split(TITLE_SEPARATOR))
        return [
            _(
                "The title must have five parts separated by “--”: %(prefix)s, customer, project, sales name, "
                "date (it has %(count)s). Expected: %(expected)s"
            )
            % {"prefix": TITLE_PREFIX, "count": count, "expected": expected.title}
        ]
    found = match.groupdict()
    problems = []
    if found["prefix"] != TITLE_PREFIX:
        problems.append(
            _("The title must start with “%(prefix)s”, not “%(found)s”.")
            % {"prefix": TITLE_PREFIX, "found": found["prefix"]}
        )
    checks = [
        ("customer", _("The customer part is “%(found)s”; it must be the customer's short name “%(expected)s”.")),
        (
            "project",
            _(
                "The project part is “%(found)s”; it must be the project's name, "
                "or “%(no_project)s” without a project: “%(expected)s”."
            ),
        ),
        (
            "sales",
            _("The sales part is “%(found)s”; it must be the full name of the sales person filing it: “%(expected)s”."),
        ),
    ]
    for part, message in checks:
        if found[part] != getattr(expected, part):
            problems.append(
                message % {"found": found[part], "expected": getattr(expected, part), "no_project": TITLE_NO_PROJECT}
            )
    if not DATE_RE.match(found["date"]):
        problems.append(
            _("The date part “%(found)s” must be written YYYY-MM-DD: “%(expected)s”.")
            % {"found": found["date"], "expected": expected.date}
        )
    elif found["date"] != expected.date:
        problems.append(
            _("The date part is “%(found)s”; it must be the filing date “%(expected)s”.")
            % {"found": found["date"], "expected": expected.date}
        )
    return problems
