"""The structured content of each deliverable type (SPEC §2): scalar fields and tables of rows.

One schema per type drives the draft form, the HTML view, the PDF and the comparison between
versions, so a type's content is described once. Rows carry a stable ``uid`` so that a row
edited between versions is seen as changed, not as removed and added.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projects.enums import MemberRole

from .enums import DeliverableCode as Code


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise
    kind: str = "text"  # text | textarea | date | datetime | choice | secret | mobile
    required: bool = True
    choices: tuple[tuple[str, Promise], ...] = ()

    def display(self, value: object) -> str:
        if self.kind == "choice":
            return str(dict(self.choices).get(value, value or ""))
        if self.kind == "secret":
            return str(_("(stored encrypted, not shown here)")) if value else ""
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Table:
    name: str
    label: Promise
    columns: tuple[Field, ...]
    min_rows: int = 0


@dataclass(frozen=True)
class Schema:
    code: str
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    # Milestone kinds that a project plan must contain (SPEC §2: at least preparation, implementation, go-live).
    extra: dict = field(default_factory=dict)

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


REQUIREMENT_KINDS = (
    ("requirement", _("Delivery requirement")),
    ("golive_condition", _("Go-live condition")),
    ("acceptance_criterion", _("Acceptance criterion")),
)
MILESTONE_KINDS = (
    ("preparation", _("Preparation")),
    ("implementation", _("Implementation")),
    ("golive", _("Go-live")),
    ("other", _("Other")),
)
MILESTONE_STATUSES = (
    ("planned", pgettext_lazy("milestone status", "Planned")),
    ("in_progress", pgettext_lazy("milestone status", "In progress")),
    ("done", pgettext_lazy("milestone status", "Done")),
    ("delayed", pgettext_lazy("milestone status", "Delayed")),
)
SIDES = (("vendor", _("Vendor")), ("customer", _("Customer")), ("both", _("Both sides")))
SUPPORT_MODES = (("onsite", _("On-site")), ("phone", _("Phone")), ("remote", _("Remote")))

SCHEMAS: dict[str, Schema] = {
    schema.code: schema
    for schema in [
        Schema(
            Code.CONTACT_DIRECTORY,
            tables=(
                Table(
                    "contacts",
                    _("Core members of both sides"),
                    (
                        Field("side", _("Side"), "choice", choices=SIDES[:2]),
                        Field("role", _("Role"), "choice", choices=tuple(MemberRole.choices)),
                        Field("name", _("Name")),
                        Field("position", _("Position"), required=False),
                        Field("mobile", _("Mobile"), "mobile", required=False),
                        Field("email", _("E-mail"), required=False),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Schema(
            Code.REQUIREMENTS_CONFIRMATION,
            tables=(
                Table(
                    "items",
                    _("Items"),
                    (
                        Field("kind", _("Kind"), "choice", choices=REQUIREMENT_KINDS),
                        Field("text", _("Item"), "textarea"),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Schema(
            Code.PROJECT_PLAN,
            tables=(
                Table(
                    "milestones",
                    _("Milestones"),
                    (
                        Field("name", _("Milestone")),
                        Field("kind", _("Kind"), "choice", choices=MILESTONE_KINDS),
                        Field("planned_start", _("Planned start"), "date"),
                        Field("planned_end", _("Planned end"), "date"),
                        Field("outputs", _("Outputs"), "textarea", required=False),
                        Field("status", _("Status"), "choice", choices=MILESTONE_STATUSES),
                        Field("actual_start", _("Actual start"), "date", required=False),
                        Field("actual_end", _("Actual end"), "date", required=False),
                    ),
                ),
                Table(
                    "activities",
                    _("Activities"),
                    (
                        Field("name", _("Activity")),
                        Field("side", _("Responsible side"), "choice", choices=SIDES),
                        Field("start", _("Start"), "date"),
                        Field("end", _("End"), "date"),
                        Field("notes", _("Notes"), required=False),
                    ),
                ),
            ),
            extra={"required_milestone_kinds": ("preparation", "implementation", "golive")},
        ),
        Schema(
            Code.IMPLEMENTATION_REPORT,
            fields=(
                Field("architecture", _("Deployment architecture"), "textarea"),
                Field("nonstandard_parameters", _("Non-standard parameter settings"), "textarea", required=False),
                Field("initialisation", _("Initialisation settings"), "textarea", required=False),
            ),
            tables=(
                Table(
                    "accounts",
                    _("Accounts used during implementation"),
                    (
                        Field("system", _("System")),
                        Field("username", _("Account")),
                        Field("password", _("Initial password"), "secret", required=False),
                        Field("note", _("Note"), required=False),
                    ),
                ),
            ),
        ),
        Schema(
            Code.GOLIVE_NOTICE,
            fields=(
                Field("planned_start", _("Planned go-live start date"), "date"),
                Field("note", _("Arrangements"), "textarea", required=False),
            ),
        ),
        Schema(
            Code.GOLIVE_CONFIRMATION,
            fields=(
                Field("in_production_since", _("In production since"), "date"),
                Field("statement", _("Confirmation against the requirements confirmation"), "textarea"),
            ),
        ),
        Schema(
            Code.OPERATION_PROBLEM_LOG,
            tables=(
                Table(
                    "problems",
                    _("Problems"),
                    (
                        Field("description", _("Problem"), "textarea"),
                        Field("support_mode", _("Support mode"), "choice", choices=SUPPORT_MODES),
                        Field("cause", _("Cause"), required=False),
                        Field("tracking", _("Tracking"), required=False),
                        Field("resolution", _("Resolution"), required=False),
                        Field("result", _("Result"), required=False),
                    ),
                ),
            ),
        ),
        Schema(
            Code.PROJECT_SUMMARY_REPORT,
            fields=(
                Field("background", _("Background"), "textarea"),
                Field("review", _("Review of people, time, phases, activities and results"), "textarea"),
                Field("went_right", _("What went right"), "textarea"),
                Field("went_wrong", _("What went wrong"), "textarea"),
            ),
        ),
        Schema(
            Code.FINAL_ACCEPTANCE_REPORT,
            fields=(
                Field("notice_time", _("Acceptance meeting time"), "datetime"),
                Field("notice_place", _("Acceptance meeting place")),
                Field("attendees", _("Attendees"), "textarea"),
                Field("duration", _("Project duration")),
                Field("stages", _("Stages"), "textarea"),
                Field("modules", _("Modules in use"), "textarea"),
                Field("evaluation", _("Overall evaluation"), "textarea"),
            ),
        ),
        Schema(
            Code.HANDOVER_RECORD,
            fields=(
                Field("documents", _("Documents handed over"), "textarea"),
                Field("system_status", _("System status"), "textarea"),
                Field("code_version", _("Code / version")),
                Field("open_problems", _("Open problems"), "textarea", required=False),
                Field("customer_notes", _("Customer notes"), "textarea", required=False),
            ),
        ),
    ]
}


def schema_for(code: str) -> Schema:
    return SCHEMAS[code]
