"""The project contact directory (§2) as CSV and Excel files."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Project, ProjectMember


def contact_directory_rows(*, members: list[ProjectMember]) -> list[list[str]]:
    """Header and one row per member, in the reader's language."""
    header = [_("Side"), _("Role"), _("Name"), _("Position"), _("Mobile"), _("E-mail")]
    rows = [
        [
            member.get_side_display(),
            member.get_role_display(),
            member.name,
            member.position,
            member.mobile,
            member.email,
        ]
        for member in members
    ]
    return [header, *rows]


def _filename(project: Project, extension: str) -> str:
    return f"{project.code}-contacts.{extension}"


def contact_directory_csv(*, project: Project, members: list[ProjectMember]) -> HttpResponse:
    buffer = io.StringIO()
    # A byte-order mark lets Excel open the UTF-8 file with the Chinese intact.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerows(contact_directory_rows(members=members))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(project, "csv")}"'
    return response


def contact_directory_xlsx(*, project: Project, members: list[ProjectMember]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Contact directory")[:31]
    rows = contact_directory_rows(members=members)
    sheet.append([project.code, project.name])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True)
    for column, width in zip("ABCDEF", (10, 22, 14, 20, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(project, "xlsx")}"'
    return response
