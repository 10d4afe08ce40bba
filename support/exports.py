"""The monthly effort table as an .xlsx workbook (§6: effort accounted per engineer and request)."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from delivery.people import display_name

from .selectors import EffortTable

HOURS_FORMAT = "0.0"


def _number(value):
    return float(value) if value is not None else None


def effort_table_xlsx(table: EffortTable, *, language: str | None = None) -> bytes:
    """One row per engineer × request, then a totals row; hours are numbers, not text."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = table.label
        header = [
            _("Engineer"),
            _("Request"),
            _("Title"),
            _("Customer"),
            _("Hours reported (signed)"),
            _("Estimated hours"),
            _("Accounted hours"),
            _("Accounted − estimated"),
        ]
        sheet.append(header)
        for row in table.rows:
            sheet.append(
                [
                    display_name(row.engineer),
                    row.support_request.reference,
                    row.support_request.title,
                    str(row.support_request.customer),
                    _number(row.reported_hours),
                    _number(row.estimated_hours),
                    _number(row.accounted_hours),
                    _number(row.difference),
                ]
            )
        sheet.append(
            [
                _("Total"),
                "",
                "",
                "",
                _number(table.total_reported),
                _number(table.total_estimated),
                _number(table.total_accounted),
                _number(table.total_accounted - table.total_estimated),
            ]
        )
    for cell in sheet[1] + sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in "EFGH":
        for cell in sheet[column][1:]:
            cell.number_format = HOURS_FORMAT
    for column, width in zip("ABCDEFGH", (14, 11, 60, 20, 16, 14, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
