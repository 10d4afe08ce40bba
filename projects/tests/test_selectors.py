"""Reads whose result is more than one query's rows."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from projects.enums import ChecklistStatus, Phase
from projects.models import ResponsibilityItem
from projects.selectors import ProjectRef, UpcomingDate, upcoming_dates_for_user

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_upcoming_dates_merge_checklist_items_and_planned_ends_in_date_order():
    today = timezone.localdate()
    soon, later = today + datetime.timedelta(days=3), today + datetime.timedelta(days=20)
    project = ProjectFactory(code="HX-1", name="邮件系统", planned_start=today, planned_end=soon)
    pm = project.vendor_pm
    project.responsibilities.all().delete()
    ResponsibilityItem.objects.create(project=project, side="vendor", text="安装介质到位", due_date=later)
    ResponsibilityItem.objects.create(project=project, side="vendor", text="机房准入", due_date=soon)
    ResponsibilityItem.objects.create(
        project=project, side="vendor", text="已完成的事", due_date=soon, status=ChecklistStatus.DONE
    )
    ResponsibilityItem.objects.create(
        project=project, side="vendor", text="太远", due_date=today + datetime.timedelta(days=31)
    )
    ProjectFactory(vendor_pm=pm, phase=Phase.CLOSED, planned_start=today, planned_end=soon)

    dates = upcoming_dates_for_user(user=pm)

    ref = ProjectRef("HX-1", "邮件系统")
    assert dates == [
        UpcomingDate(soon, "机房准入", ref),
        UpcomingDate(soon, "计划结束", ref),
        UpcomingDate(later, "安装介质到位", ref),
    ]


def test_upcoming_dates_stop_at_the_limit():
    today = timezone.localdate()
    project = ProjectFactory(planned_start=today, planned_end=today + datetime.timedelta(days=9))
    project.responsibilities.all().delete()
    for day in range(5):
        ResponsibilityItem.objects.create(
            project=project, side="vendor", text=f"事项{day}", due_date=today + datetime.timedelta(days=day)
        )

    dates = upcoming_dates_for_user(user=project.vendor_pm, limit=3)

    assert [entry.label for entry in dates] == ["事项0", "事项1", "事项2"]
