"""Go-live notice, written objection and deemed acceptance (§3.1.4, SPEC §5)."""

from __future__ import annotations

import datetime as dt
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import DEFAULT_PASSWORD
from deadlines.enums import DeadlineStatus
from deadlines.services import deadline_sweep
from delivery.audit import RequestMeta
from documents.enums import VersionState
from documents.models import DeliverableVersion
from documents.services import version_sign
from golive.enums import NoticeStatus
from golive.services import golive_actual_record, golive_notice_issue, golive_objection_file
from notifications.models import Notification
from projects.enums import Phase
from projects.models import Project
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
META = RequestMeta(ip_address="10.0.0.9", user_agent="pytest")
RECEIVED = dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH)  # Monday before Mid-autumn and National Day
PLANNED_START = dt.date(2026, 9, 25)  # Friday, a Mid-autumn holiday


@pytest.fixture
def project():
    project = ProjectFactory(golive_applies=True)
    Project.objects.filter(pk=project.pk).update(phase=Phase.CLOSING)  # the notice belongs to closing
    project.refresh_from_db()
    return project


@pytest.fixture
def notice(project):
    with time_machine.travel(RECEIVED, tick=False):
        return golive_notice_issue(project=project, user=project.vendor_pm, meta=META, planned_start=PLANNED_START)


def _sweep_at(year: int, month: int, day: int, hour: int = 0, minute: int = 30):
    moment = dt.datetime(year, month, day, hour, minute, tzinfo=SH)
    with time_machine.travel(moment, tick=False):
        return deadline_sweep(now=moment)


def test_notice_starts_both_clocks_across_the_holidays(notice):
    # (a) 15 working days after Mon 09-21: Mid-autumn 09-25..27 and National Day 10-01..07 are
    # skipped, Saturday 10-10 is a make-up working day → Monday 10-19.
    assert notice.objection_deadline.due_date == dt.date(2026, 10, 19)
    # (b) 15 working days after the stated start, Friday 09-25 → Thursday 10-22.
    assert notice.arrangement_deadline.due_date == dt.date(2026, 10, 22)
    assert notice.version.state == VersionState.SUBMITTED
    assert notice.received_at == RECEIVED


def test_neither_objection_nor_golive_is_deemed_on_the_later_end_exactly_once(notice, project):
    _sweep_at(2026, 10, 20)  # (a) has ended, (b) still runs
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RUNNING

    _sweep_at(2026, 10, 23)
    _sweep_at(2026, 10, 23, 1)  # a second sweep changes nothing

    notice.refresh_from_db()
    project.refresh_from_db()
    assert notice.status == NoticeStatus.DEEMED
    assert notice.deemed_on == dt.date(2026, 10, 22)
    assert project.golive_on == dt.date(2026, 10, 22)
    confirmations = DeliverableVersion.objects.filter(
        deliverable__project=project, deliverable__type__code="golive_confirmation"
    )
    assert [v.state for v in confirmations] == [VersionState.DEEMED_ACCEPTED]
    statement = confirmations[0].content["statement"]
    assert "§3.1.4" in statement
    assert "2026-10-19" in statement and "2026-10-22" in statement


def test_objection_in_time_stops_deemed_acceptance(notice, project):
    with time_machine.travel(dt.datetime(2026, 10, 19, 23, 0, tzinfo=SH), tick=False):
        golive_objection_file(notice=notice, user=project.customer_lead, meta=META, reason="测试环境仍有一级缺陷。")

    _sweep_at(2026, 10, 23)

    notice.refresh_from_db()
    project.refresh_from_db()
    assert notice.status == NoticeStatus.OBJECTED
    assert project.golive_on is None
    assert notice.objection_deadline.status == DeadlineStatus.CANCELLED
    assert Notification.objects.filter(recipient=project.vendor_pm, verb="golive.objected").count() == 1


def test_objection_after_window_is_refused_with_the_date(notice, project):
    with time_machine.travel(dt.datetime(2026, 10, 20, 9, 0, tzinfo=SH), tick=False):
        with pytest.raises(ValidationError) as error:
            golive_objection_file(notice=notice, user=project.customer_lead, meta=META, reason="太晚了")

    assert error.value.messages == ["书面异议期已于 2026-10-19 结束（§3.1.4），不能再提出异议。"]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RUNNING
    assert notice.objections.count() == 0


def test_objection_by_the_vendor_or_without_reason_is_refused(notice, project):
    with pytest.raises(PermissionDenied):
        golive_objection_file(notice=notice, user=project.vendor_pm, meta=META, reason="x")
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=SH), tick=False):
        with pytest.raises(ValidationError):
            golive_objection_file(notice=notice, user=project.customer_lead, meta=META, reason="  ")

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RUNNING


def test_golive_signed_in_time_is_not_deemed(notice, project):
    lead = project.customer_lead
    with time_machine.travel(dt.datetime(2026, 10, 12, 10, 0, tzinfo=SH), tick=False):
        version = golive_actual_record(
            project=project,
            user=project.vendor_pm,
            meta=META,
            went_live_on=dt.date(2026, 10, 12),
            statement="系统已正式运行。",
        )
        version_sign(
            version=version,
            user=lead,
            meta=META,
            typed_name=lead.get_full_name(),
            password=DEFAULT_PASSWORD,
            consent=True,
        )

    _sweep_at(2026, 10, 23)

    notice.refresh_from_db()
    project.refresh_from_db()
    assert notice.status == NoticeStatus.CONFIRMED
    assert project.golive_on == dt.date(2026, 10, 12)
    assert notice.objection_deadline.status == DeadlineStatus.MET
    assert notice.arrangement_deadline.status == DeadlineStatus.MET


def test_new_notice_after_objection_starts_fresh_clocks_and_keeps_history(notice, project):
    with time_machine.travel(dt.datetime(2026, 10, 9, 9, 0, tzinfo=SH), tick=False):
        golive_objection_file(notice=notice, user=project.customer_lead, meta=META, reason="需要先完成数据迁移。")
        second = golive_notice_issue(
            project=project, user=project.vendor_pm, meta=META, planned_start=dt.date(2026, 10, 26)
        )

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.REPLACED
    assert notice.objections.count() == 1
    assert second.status == NoticeStatus.RUNNING
    assert second.version.number == 2
    # 15 working days after Fri 10-09, the make-up Saturday 10-10 counting → Thursday 10-29.
    assert second.objection_deadline.due_date == dt.date(2026, 10, 29)
    assert project.golive_notices.count() == 2


def test_second_notice_while_one_runs_is_refused(notice, project):
    with pytest.raises(ValidationError):
        golive_notice_issue(project=project, user=project.vendor_pm, meta=META, planned_start=dt.date(2026, 11, 2))


def test_deemed_confirmation_pdf_states_the_clause(
    notice, project, certificate, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sweep_at(2026, 10, 23)

    version = DeliverableVersion.objects.get(
        deliverable__project=project, deliverable__type__code="golive_confirmation"
    )
    path = tmp_path / "deemed.pdf"
    path.write_bytes(version.pdf.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "依据交付手册 §3.1.4 视为已接受" in text
    assert "2026-10-22" in text


def test_notice_with_a_start_date_in_the_past_is_refused(project):
    with time_machine.travel(RECEIVED, tick=False):
        with pytest.raises(ValidationError) as error:
            golive_notice_issue(project=project, user=project.vendor_pm, meta=META, planned_start=dt.date(2026, 9, 18))

    assert error.value.message_dict == {"planned_start": ["计划上线开始日期不能早于今天。"]}
    assert project.golive_notices.count() == 0


def test_notice_before_the_closing_phase_is_refused():
    project = ProjectFactory(golive_applies=True)

    with time_machine.travel(RECEIVED, tick=False):
        with pytest.raises(ValidationError) as error:
            golive_notice_issue(project=project, user=project.vendor_pm, meta=META, planned_start=PLANNED_START)

    assert error.value.messages == ["上线通知在收尾阶段、实施交付报告发布之后发出。"]


def test_notice_is_delivered_not_signed(notice, project):
    from documents.selectors import version_list_waiting_for_signature

    told = Notification.objects.get(recipient=project.customer_lead)

    assert told.verb == "golive.notice_delivered"
    assert told.message == (
        f"{project.vendor_pm.get_full_name()} 向您送达了 {project.code} 的项目上线通知：计划自 2026-09-25 起上线。"
        "您可在收到后 15 个工作日内提出书面异议（§3.1.4）。"
    )
    assert "签署" not in told.message
    assert list(version_list_waiting_for_signature(user=project.customer_lead)) == []
    assert (notice.received_at, notice.first_opened_at) == (RECEIVED, None)


def test_notice_first_opening_by_the_lead_is_recorded_once(client, notice, project):
    from django.urls import reverse

    url = reverse("golive:overview", args=[project.code])
    client.force_login(project.vendor_pm)
    client.get(url)
    notice.refresh_from_db()
    assert notice.first_opened_at is None  # the vendor looking is no evidence of receipt

    client.force_login(project.customer_lead)
    with time_machine.travel(dt.datetime(2026, 9, 22, 9, 15, tzinfo=SH), tick=False):
        page = client.get(url).content.decode()
    with time_machine.travel(dt.datetime(2026, 9, 23, 9, 0, tzinfo=SH), tick=False):
        client.get(url)

    notice.refresh_from_db()
    assert notice.first_opened_at == dt.datetime(2026, 9, 22, 9, 15, tzinfo=SH)
    assert "2026-09-21 10:00" in page and "2026-09-22 09:15" in page
