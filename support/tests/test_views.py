"""The pages: every stage renders, bad input shows a clear error on the page and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from deadlines.calendar import TZ
from delivery.tests.outbox import effects_recorded
from support.enums import RequestState
from support.models import PlanningDocument, ServiceForm, SupportRequest

from . import flows
from .conftest import META

pytestmark = pytest.mark.django_db


def _page(client, user, request) -> str:
    client.force_login(user)
    response = client.get(reverse("support:detail", args=[request.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("stage", ["filed", "accepted", "planned", "in_progress", "completed", "confirmed"])
def test_request_page_renders_at_every_stage_for_everyone(client, cast, stage):
    request = getattr(flows, stage)(cast)

    for person in (cast.technical_director, cast.engineer, cast.sales, cast.administration, cast.contact):
        assert request.reference in _page(client, person, request)


def test_engineer_sees_accept_form_on_a_filed_request(client, cast):
    request = flows.filed(cast)

    page = _page(client, cast.engineer, request)

    assert 'id="accept-form"' in page
    assert 'name="accept-engineer"' not in page  # an engineer takes it on themselves


def test_technical_director_assigns_an_engineer(client, cast):
    request = flows.filed(cast)
    client.force_login(cast.technical_director)

    response = client.post(
        reverse("support:accept", args=[request.pk]), {"accept-engineer": cast.engineer.pk, "accept-note": "王工负责"}
    )

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.engineer == cast.engineer
    assert request.state == RequestState.ACCEPTED


def test_assigning_a_person_without_the_engineer_role_is_refused_on_the_page(client, cast):
    request = flows.filed(cast)
    client.force_login(cast.technical_director)

    response = client.post(reverse("support:accept", args=[request.pk]), {"accept-engineer": cast.sales.pk})

    request.refresh_from_db()
    assert response.status_code == 200
    assert "选择一个有效的选项： 该选择不在可用的选项中。" in response.content.decode()
    assert request.state == RequestState.FILED


def test_sales_cannot_accept(client, cast):
    request = flows.filed(cast)
    client.force_login(cast.sales)

    response = client.post(reverse("support:accept", args=[request.pk]), {"accept-note": "我来"})

    request.refresh_from_db()
    assert response.status_code == 403
    assert request.state == RequestState.FILED


def test_empty_briefing_is_refused_on_the_page(client, cast):
    request = flows.accepted(cast)
    client.force_login(cast.engineer)

    response = client.post(
        reverse("support:briefing", args=[request.pk]),
        {"briefing-customer_situation": "  ", "briefing-preparation": "备件", "briefing-cautions": ""},
    )

    request.refresh_from_db()
    assert response.status_code == 200
    assert response.content.decode().count("这个字段是必填项。") == 2
    assert request.briefing_recorded_at is None


def test_start_work_is_refused_until_the_planning_is_done(client, cast):
    request = flows.accepted(cast)
    client.force_login(cast.engineer)

    response = client.post(reverse("support:start", args=[request.pk]), follow=True)

    request.refresh_from_db()
    page = response.content.decode()
    assert request.state == RequestState.ACCEPTED
    assert "请记录与销售的工作前沟通。" in page
    assert "请完成实施方案（填写每一节，或附上完成的文档）。" in page


def test_planning_document_starts_from_the_template(client, cast):
    request = flows.accepted(cast)
    client.force_login(cast.engineer)

    page = client.get(reverse("support:planning", args=[request.pk, "implementation_plan"])).content.decode()

    for section in ("目标与范围", "环境与前提条件", "实施步骤", "时间安排", "人员与分工", "风险与回退", "验证与验收"):
        assert section in page
    assert PlanningDocument.objects.count() == 0


def test_project_support_needs_the_five_planning_documents(client, cast):
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory(customer=cast.customer)
    request = flows.accepted(cast, project=project)

    page = _page(client, cast.engineer, request)

    for kind in ("proposal", "implementation_plan", "scope_statement", "schedule", "management_plan"):
        assert f'id="planning-{kind}"' in page


def test_planning_document_with_a_forbidden_file_is_refused(client, cast):
    request = flows.accepted(cast)
    client.force_login(cast.engineer)

    response = client.post(
        reverse("support:planning", args=[request.pk, "implementation_plan"]),
        {"section_objectives": "恢复收发", "file": SimpleUploadedFile("plan.exe", b"MZ", "application/octet-stream")},
    )

    assert response.status_code == 200
    assert "不接受“exe”类型的文件。" in response.content.decode()
    assert PlanningDocument.objects.count() == 0


def test_unknown_planning_document_kind_is_404(client, cast):
    request = flows.accepted(cast)
    client.force_login(cast.engineer)

    assert client.get(reverse("support:planning", args=[request.pk, "budget"])).status_code == 404


def test_paper_form_of_a_wrong_type_is_refused_on_the_page(client, cast):
    request = flows.in_progress(cast)
    client.force_login(cast.engineer)

    response = client.post(
        reverse("support:form_paper", args=[request.pk]),
        {"paper-scan": SimpleUploadedFile("form.docx", b"PK", "application/octet-stream")},
    )

    assert response.status_code == 200
    assert "不接受“docx”类型的文件。" in response.content.decode()
    assert ServiceForm.objects.count() == 0


def test_sending_the_service_form_needs_the_outcome(client, cast):
    request = flows.in_progress(cast)
    client.force_login(cast.engineer)

    response = client.post(
        reverse("support:form_send", args=[request.pk]),
        {"serviceform-work_summary": "清理队列", "serviceform-hours": "4"},
    )

    assert response.status_code == 200
    assert "请先记录工作结果：服务单会写明结果。" in response.content.decode()
    assert ServiceForm.objects.count() == 0


def test_customer_contact_signs_the_service_form_online(client, cast, certificate, django_capture_on_commit_callbacks):
    request = flows.in_progress(cast)
    from support.services import service_form_send, support_request_outcome_record

    support_request_outcome_record(support_request=request, user=cast.engineer, meta=META, outcome="网关恢复正常")
    service_form_send(
        support_request=request, user=cast.engineer, meta=META, work_summary="清理队列，升级补丁", hours=6
    )
    client.force_login(cast.contact)

    assert 'id="service-form-sign"' in client.get(reverse("support:detail", args=[request.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True), effects_recorded() as recorded:
        response = client.post(
            reverse("support:form_sign", args=[request.pk]),
            {"typed_name": "钱客户", "consent": "on", "password": DEFAULT_PASSWORD},
            REMOTE_ADDR="203.0.113.9",
            HTTP_USER_AGENT="Firefox",
        )

    form = ServiceForm.objects.get()
    assert response.status_code == 302
    assert form.state == "signed"
    assert (form.typed_name, form.ip_address, form.user_agent) == ("钱客户", "203.0.113.9", "Firefox")
    assert recorded == ["mail.notification", "pdf.service_form"]  # the engineer's e-mail and the PDF
    assert form.pdf_status == "ready"
    assert client.get(reverse("support:form_pdf", args=[request.pk])).status_code == 200


def test_wrong_password_shows_on_the_sign_page_and_signs_nothing(client, cast):
    request = flows.in_progress(cast)
    from support.services import service_form_send, support_request_outcome_record

    support_request_outcome_record(support_request=request, user=cast.engineer, meta=META, outcome="网关恢复正常")
    service_form_send(support_request=request, user=cast.engineer, meta=META, work_summary="清理队列", hours=2)
    client.force_login(cast.contact)

    response = client.post(
        reverse("support:form_sign", args=[request.pk]),
        {"typed_name": "钱", "consent": "", "password": "wrong"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "密码不正确。" in page
    assert "请勾选以确认您签署此服务单。" in page
    assert "请输入与账户一致的全名：钱客户。" in page
    assert ServiceForm.objects.get().state == "awaiting_signature"


def test_fifth_wrong_password_locks_service_form_signing(client, cast, django_capture_on_commit_callbacks):
    from accounts.models import SecurityEvent
    from accounts.tests.factories import VendorUserFactory, make_vendor_manager
    from notifications.models import Notification
    from support.services import service_form_send, support_request_outcome_record

    manager = VendorUserFactory()
    make_vendor_manager(manager)  # no project: the vendor managers hear of it
    request = flows.in_progress(cast)
    support_request_outcome_record(support_request=request, user=cast.engineer, meta=META, outcome="网关恢复正常")
    service_form_send(support_request=request, user=cast.engineer, meta=META, work_summary="清理队列", hours=2)
    client.force_login(cast.contact)
    url = reverse("support:form_sign", args=[request.pk])
    data = {"typed_name": "钱客户", "consent": "on", "password": "wrong"}
    for _ in range(4):
        client.post(url, data, REMOTE_ADDR="203.0.113.9")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data, REMOTE_ADDR="203.0.113.9")
    response = client.post(url, {**data, "password": DEFAULT_PASSWORD})

    assert "错误次数过多" in response.content.decode()
    assert ServiceForm.objects.get().state == "awaiting_signature"
    assert SecurityEvent.objects.get().ip_address == "203.0.113.9"
    locked = Notification.objects.filter(verb__startswith="accounts.stepup_locked")
    assert request.project is None
    assert sorted(locked.values_list("recipient_id", flat=True)) == sorted([cast.contact.pk, manager.pk])


def test_only_the_customer_contact_may_open_the_sign_page(client, cast):
    request = flows.in_progress(cast)
    from accounts.tests.factories import CustomerUserFactory

    client.force_login(CustomerUserFactory(profile__organization=cast.customer))

    assert client.get(reverse("support:form_sign", args=[request.pk])).status_code == 403


def test_emergency_then_formal_filing(client, cast):
    client.force_login(cast.technical_director)
    with time_machine.travel(dt.datetime(2026, 9, 29, 20, 0, tzinfo=TZ), tick=False):
        response = client.post(
            reverse("support:emergency"),
            {
                "customer": cast.customer.pk,
                "sales": cast.sales.pk,
                "engineer": cast.engineer.pk,
                "mode": "on_site",
                "description": "邮件系统全面中断",
                "reason": "客户全公司无法收发邮件",
            },
        )
    request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert request.state == RequestState.EMERGENCY
    assert request.title == ""
    assert 'id="emergency-banner"' in _page(client, cast.technical_director, request)

    client.force_login(cast.sales)
    with time_machine.travel(dt.datetime(2026, 9, 30, 9, 0, tzinfo=TZ), tick=False):
        bad = client.post(
            reverse("support:file_formal", args=[request.pk]),
            {"mode": "on_site", "description": "邮件系统全面中断", "title": "技术支持申请--江南制造--非项目--李销售"},
        )
        good = client.post(
            reverse("support:file_formal", args=[request.pk]), {"mode": "on_site", "description": "邮件系统全面中断"}
        )

    request.refresh_from_db()
    assert bad.status_code == 200
    assert "标题必须由“--”分隔的五部分组成" in bad.content.decode()
    assert good.status_code == 302
    assert request.state == RequestState.IN_PROGRESS
    assert request.title == "技术支持申请--江南制造--非项目--李销售--2026-09-30"


def test_cancel_without_a_reason_is_refused_on_the_page(client, cast):
    request = flows.filed(cast)
    client.force_login(cast.technical_director)

    response = client.post(reverse("support:cancel", args=[request.pk]), {"cancel-reason": ""})

    request.refresh_from_db()
    assert response.status_code == 200
    assert response.context["forms"]["cancel"].errors == {"reason": ["这个字段是必填项。"]}
    assert request.state == RequestState.FILED


def test_effort_with_negative_hours_is_refused_on_the_page(client, cast):
    request = flows.accepted(cast)
    client.force_login(cast.technical_director)

    response = client.post(
        reverse("support:effort_set", args=[request.pk]),
        {"effort-engineer": cast.engineer.pk, "effort-estimated_hours": "-3"},
    )

    assert response.status_code == 200
    assert "确保该值大于或等于0。" in response.content.decode()
    assert request.effort_accounts.count() == 0


def test_archive_holds_the_signed_form_and_the_attached_plan(client, cast):
    import io
    import zipfile

    request = flows.accepted(cast)
    client.force_login(cast.engineer)
    client.post(
        reverse("support:planning", args=[request.pk, "implementation_plan"]),
        {"section_objectives": "恢复收发", "file": SimpleUploadedFile("方案.pdf", flows.PDF, "application/pdf")},
    )

    response = client.get(reverse("support:archive", args=[request.pk]))

    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names == ["index.html", f"{request.reference}-implementation_plan-方案.pdf"]


def test_archive_renders_online_planning_documents_and_indexes_the_procedure(client, cast):
    import io
    import subprocess
    import zipfile

    from support.services import deviation_report, deviation_result_record

    request = flows.in_progress(cast)
    deviation = deviation_report(
        support_request=request, user=cast.engineer, meta=META, kind="effort", description="多两天"
    )
    deviation_result_record(deviation=deviation, user=cast.sales, meta=META, result="refused", note="按合同执行")
    client.force_login(cast.technical_director)

    response = client.get(reverse("support:archive", args=[request.pk]))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    plan = f"{request.reference}-implementation_plan.pdf"
    assert archive.namelist() == ["index.html", plan]
    index = archive.read("index.html").decode()
    assert plan in index
    assert "客户机房在苏州" in index  # the briefing
    assert "拒绝: 按合同执行" in index  # the deviation's agreed result
    assert "已开始工作" in index  # the history
    text = subprocess.run(["pdftotext", "-", "-"], input=archive.read(plan), capture_output=True, check=True).stdout
    assert "实施方案" in text.decode()


def test_pages_speak_english_on_request(client, cast):
    request = flows.in_progress(cast)
    client.force_login(cast.engineer)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()

    assert "Support requests" in page
    assert "Before work" in page
    assert "Support request response" in page
