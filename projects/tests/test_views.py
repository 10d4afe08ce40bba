"""The pages: access on every URL, refusals, forms with bad input, what each page shows."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_fsm_log.models import StateLog

from accounts.models import Invitation
from accounts.tests.factories import AdminUserFactory, CustomerUserFactory, OrganizationFactory, VendorUserFactory
from projects.enums import MemberRole, Phase
from projects.models import Project, ProjectMember, Risk, StatusReport

from .factories import ProjectFactory, ProjectMemberFactory, RiskFactory, StatusReportFactory, project_with_full_team

pytestmark = pytest.mark.django_db


def _urls(project: Project) -> list[tuple[str, str]]:
    """Every project-scoped URL with the method that acts on it."""
    code = project.code
    member = project.members.first()
    work_item = project.work_items.first()
    item = project.responsibilities.first()
    risk = RiskFactory(project=project)
    return [
        ("get", reverse("projects:detail", args=[code])),
        ("get", reverse("projects:edit", args=[code])),
        ("post", reverse("projects:edit", args=[code])),
        ("post", reverse("projects:phase_advance", args=[code])),
        ("post", reverse("projects:phase_force", args=[code])),
        ("post", reverse("projects:phase_back", args=[code])),
        ("get", reverse("projects:team", args=[code])),
        ("get", reverse("projects:team_export", args=[code, "csv"])),
        ("get", reverse("projects:team_export", args=[code, "xlsx"])),
        ("get", reverse("projects:member_add", args=[code])),
        ("post", reverse("projects:member_add", args=[code])),
        ("get", reverse("projects:member_edit", args=[code, member.pk])),
        ("post", reverse("projects:member_remove", args=[code, member.pk])),
        ("get", reverse("projects:work", args=[code])),
        ("get", reverse("projects:work_item_add", args=[code])),
        ("get", reverse("projects:work_item_edit", args=[code, work_item.pk])),
        ("post", reverse("projects:work_item_delete", args=[code, work_item.pk])),
        ("get", reverse("projects:responsibility_edit", args=[code, item.pk])),
        ("post", reverse("projects:responsibility_edit", args=[code, item.pk])),
        ("get", reverse("projects:risks", args=[code])),
        ("get", reverse("projects:risk_add", args=[code])),
        ("get", reverse("projects:risk_edit", args=[code, risk.pk])),
        ("post", reverse("projects:risk_edit", args=[code, risk.pk])),
        ("get", reverse("projects:reports", args=[code])),
        ("get", reverse("projects:report_add", args=[code])),
        ("post", reverse("projects:report_add", args=[code])),
    ]


@pytest.mark.parametrize(
    "outsider", ["customer_of_another_project", "vendor_staff_not_member", "same_customer_not_member"]
)
def test_every_project_url_is_404_to_outsiders(client, outsider):
    project = ProjectFactory()
    other = ProjectFactory()
    users = {
        "customer_of_another_project": other.customer_lead,
        "vendor_staff_not_member": VendorUserFactory(),
        "same_customer_not_member": CustomerUserFactory(profile__organization=project.customer),
    }
    client.force_login(users[outsider])
    members_before = ProjectMember.objects.count()

    statuses = {(method, url): getattr(client, method)(url).status_code for method, url in _urls(project)}

    assert set(statuses.values()) == {404}
    assert ProjectMember.objects.count() == members_before
    project.refresh_from_db()
    assert project.phase == Phase.INITIATION


def test_manager_urls_are_403_to_team_members_who_are_not_the_pm(client):
    project = ProjectFactory()
    engineer = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER).user
    client.force_login(engineer)
    read_only = {"detail", "team", "team_export", "work", "risks", "reports"}

    for method, url in _urls(project):
        response = getattr(client, method)(url)
        name = response.resolver_match.url_name
        expected = 200 if name in read_only and method == "get" else 403
        assert (url, method, response.status_code) == (url, method, expected)


def test_anonymous_users_are_sent_to_log_in(client):
    project = ProjectFactory()

    response = client.get(reverse("projects:detail", args=[project.code]))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/projects/{project.code}/"


def test_customer_user_cannot_open_the_create_page(client):
    client.force_login(CustomerUserFactory())

    assert client.get(reverse("projects:create")).status_code == 403


def _create_form(**overrides: object) -> dict:
    data = {
        "code": "HX-2026-201",
        "name": "东海银行邮件系统新建项目",
        "customer": OrganizationFactory(name="东海商业银行股份有限公司").pk,
        "contract_number": "DH-2026-018",
        "contract_date": "2026-03-20",
        "services": ["deployment", "data_migration", "training"],
        "golive_applies": "on",
        "golive_basis": "new_system",
        "golive_note": "",
        "planned_start": "2026-04-01",
        "planned_end": "2026-10-31",
        "contact_directory_required": "on",
    }
    data.update(overrides)
    return data


def test_project_create_page_creates_the_project_and_goes_to_the_team(client):
    pm = VendorUserFactory()
    client.force_login(pm)

    response = client.post(reverse("projects:create"), _create_form(vendor_pm=pm.pk))

    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:team", args=["HX-2026-201"])
    assert (project.name, project.vendor_pm, project.services) == (
        "东海银行邮件系统新建项目",
        pm,
        ["deployment", "data_migration", "training"],
    )


def test_project_create_with_a_past_start_warns_but_creates(client):
    pm = VendorUserFactory()
    client.force_login(pm)

    response = client.post(reverse("projects:create"), _create_form(vendor_pm=pm.pk, planned_start="2020-01-06"))

    assert response.status_code == 302
    assert Project.objects.get().planned_start.isoformat() == "2020-01-06"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "项目 HX-2026-201 已创建。下一步：组建项目组。",
        "计划开始日期 2020-01-06 已经过去：请核对项目日期。",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"planned_end": "2026-03-01"}, "planned_end", "计划结束日期不能早于计划开始日期。"),
        ({"services": []}, "services", "这个字段是必填项。"),
        ({"services": ["deployment", "other"]}, "services_other", "请说明其他服务内容。"),
        ({"golive_applies": ""}, "golive_applies", "新购系统、新购标准模块和大版本升级均需上线。"),
        ({"code": "HX 2026/1"}, "code", "只能使用字母、数字、连字符和下划线，例如 HX-2026-001。"),
        ({"code": "new"}, "code", "该编号为系统保留，请另选一个。"),
    ],
)
def test_project_create_with_bad_input_shows_field_errors_and_saves_nothing(client, overrides, field, error):
    pm = VendorUserFactory()
    client.force_login(pm)

    response = client.post(reverse("projects:create"), _create_form(vendor_pm=pm.pk, **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert Project.objects.count() == 0


def test_project_create_with_a_duplicate_code_is_refused(client):
    pm = VendorUserFactory()
    ProjectFactory(code="HX-2026-201")
    client.force_login(pm)

    response = client.post(reverse("projects:create"), _create_form(vendor_pm=pm.pk))

    assert response.context["form"].errors["code"] == ["具有 项目编号 的 项目 已存在。"]
    assert Project.objects.count() == 1


def test_project_create_by_a_vendor_pm_cannot_name_another_pm(client):
    pm, other = VendorUserFactory(), VendorUserFactory()
    client.force_login(pm)

    response = client.post(reverse("projects:create"), _create_form(vendor_pm=other.pk))

    assert response.context["form"].errors["vendor_pm"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert Project.objects.count() == 0


def test_project_edit_no_longer_sets_the_kickoff_date(client):
    """The kick-off is met by the lead's confirmation of the meeting record, not by a typed date."""
    project = ProjectFactory()
    code = project.code
    client.force_login(project.vendor_pm)
    form = _create_form(
        customer=project.customer.pk,
        vendor_pm=project.vendor_pm.pk,
        customer_lead=project.customer_lead.pk,
        kickoff_held_on="2026-04-02",
    )
    del form["code"]

    response = client.post(reverse("projects:edit", args=[project.code]), form)

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.kickoff_held_on, project.code) == (None, code)


def test_project_detail_shows_the_lifecycle_and_what_the_gate_misses(client):
    project = ProjectFactory(name="江南制造邮件系统升级项目")
    client.force_login(project.vendor_pm)

    response = client.get(reverse("projects:detail", args=[project.code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert [item.label for item in response.context["gate_items"] if not item.met] == [
        "已召开项目启动会",
        "项目组包含客户方技术负责人",
        "项目组包含售前顾问",
        "项目组包含交付顾问",
        "项目组包含销售经理",
        "项目组织通讯录已经客户方负责人确认",
    ]
    assert 'class="lifecycle-step is-current" aria-current="step"' in html
    assert "离开启动阶段的阶段门" in html
    assert "监控" in html


def test_phase_advance_page_refusal_lists_the_missing_items(client):
    project = project_with_full_team()
    client.force_login(project.vendor_pm)

    response = client.post(reverse("projects:phase_advance", args=[project.code]))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["未通过阶段门，尚缺：已召开项目启动会"]
    project.refresh_from_db()
    assert project.phase == Phase.INITIATION


def test_phase_advance_page_moves_the_project_on(client):
    project = project_with_full_team(kickoff_held_on=datetime.date(2026, 4, 2))
    client.force_login(project.vendor_pm)

    client.post(reverse("projects:phase_advance", args=[project.code]), {"description": "启动会已召开"})

    project.refresh_from_db()
    assert project.phase == Phase.PLANNING


def test_phase_force_page_needs_a_reason(client):
    project = ProjectFactory()
    client.force_login(AdminUserFactory())

    response = client.post(reverse("projects:phase_force", args=[project.code]), {"description": ""})

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["请填写原因：它将记入活动日志。"]
    project.refresh_from_db()
    assert project.phase == Phase.INITIATION
    assert StateLog.objects.count() == 0


def test_phase_force_and_back_pages_for_admin_are_shown_in_the_log(client):
    project = ProjectFactory()
    admin = AdminUserFactory(first_name="系统管理员")
    client.force_login(admin)

    client.post(reverse("projects:phase_force", args=[project.code]), {"description": "纸质通讯录已签字"})
    client.post(reverse("projects:phase_back", args=[project.code]), {"description": "误操作，退回"})
    response = client.get(reverse("projects:detail", args=[project.code]))

    html = response.content.decode()
    assert "纸质通讯录已签字" in html
    assert "由管理员强制推进" in html
    assert "误操作，退回" in html
    project.refresh_from_db()
    assert project.phase == Phase.INITIATION


def test_member_add_page_with_a_new_customer_lead_invites_them(client, django_capture_on_commit_callbacks):
    project = ProjectFactory(customer_lead=None)
    client.force_login(project.vendor_pm)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:member_add", args=[project.code]),
            {
                "role": "customer_pm",
                "full_name": "李静",
                "email": "li.jing@customer.example",
                "position": "信息中心主任",
                "mobile": "13900000002",
                "make_customer_lead": "on",
            },
        )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.customer_lead.email == "li.jing@customer.example"
    assert Invitation.objects.filter(user=project.customer_lead, sent_at__isnull=False).count() == 1
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已添加李静，设置密码的邀请邮件已发送至 li.jing@customer.example。"
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"role": "customer_pm"},
            {
                "full_name": ["请输入新成员的姓名，或选择已有人员。"],
                "email": ["请输入新成员的电子邮箱：邀请将发送到该地址。"],
            },
        ),
        ({"role": "engineer", "full_name": "张三", "email": "bad"}, {"email": ["输入一个有效的 Email 地址。"]}),
        (
            {"role": "engineer", "full_name": "李静", "email": "taken@example.com"},
            {"email": ["使用此电子邮箱的人员已有账户：请在“已有人员”中选择。"]},
        ),
        (
            {"role": "engineer", "full_name": "张三", "email": "z@example.com", "make_customer_lead": "on"},
            {"make_customer_lead": ["只有客户方成员才能担任客户方项目负责人。"]},
        ),
        (
            {"role": "engineer", "full_name": "张三", "email": "z@example.com", "mobile": "1380000"},
            {"mobile": ["请输入手机号码：11 位数字（如 13800000001），或以 + 开头的国际号码。"]},
        ),
    ],
)
def test_member_add_page_with_bad_input_shows_errors_and_saves_nothing(client, data, errors):
    project = ProjectFactory()
    VendorUserFactory(email="taken@example.com")
    client.force_login(project.vendor_pm)
    members_before = ProjectMember.objects.count()

    response = client.post(reverse("projects:member_add", args=[project.code]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert ProjectMember.objects.count() == members_before
    assert Invitation.objects.count() == 0


def test_member_add_page_shows_the_service_refusal_on_the_field(client):
    project = ProjectFactory()
    client.force_login(project.vendor_pm)

    response = client.post(
        reverse("projects:member_add", args=[project.code]),
        {"role": "customer_tech_lead", "user": VendorUserFactory().pk},
    )

    assert response.context["form"].errors == {"user": [f"客户方角色只能由该客户（{project.customer}）的人员担任。"]}


def test_risk_add_page_with_bad_input_saves_nothing(client):
    project = ProjectFactory()
    client.force_login(project.vendor_pm)

    response = client.post(reverse("projects:risk_add", args=[project.code]), {"description": "", "probability": "x"})

    assert response.context["form"].errors == {
        "description": ["这个字段是必填项。"],
        "probability": ["选择一个有效的选项。 x 不在可用的选项中。"],
        "impact": ["这个字段是必填项。"],
        "status": ["这个字段是必填项。"],
    }
    assert Risk.objects.count() == 0


def test_risk_add_page_adds_to_the_register(client):
    project = ProjectFactory()
    client.force_login(project.vendor_pm)

    response = client.post(
        reverse("projects:risk_add", args=[project.code]),
        {
            "description": "客户机房改造可能延期",
            "probability": "medium",
            "impact": "high",
            "owner": project.vendor_pm.pk,
            "response": "每周跟进机房进度",
            "status": "open",
        },
    )

    assert response.status_code == 302
    assert Risk.objects.get().owner == project.vendor_pm


def test_status_report_page_lists_reports_to_the_customer_lead(client):
    project = ProjectFactory()
    StatusReportFactory(project=project, progress_summary="完成邮件服务器安装。")
    client.force_login(project.customer_lead)

    response = client.get(reverse("projects:reports", args=[project.code]))

    assert "完成邮件服务器安装。" in response.content.decode()


def test_closed_project_page_still_lets_an_admin_move_it_back(client):
    project = ProjectFactory(phase=Phase.CLOSED)
    client.force_login(AdminUserFactory())

    html = client.get(reverse("projects:detail", args=[project.code])).content.decode()

    assert "项目已关闭，没有待通过的阶段门。" in html
    assert 'id="back-form"' in html
    assert 'id="force-form"' not in html
    assert 'id="back-description"' in html


def test_status_report_pages_draft_edit_publish_and_customer_view(client):
    project = ProjectFactory()
    reports_url = reverse("projects:reports", args=[project.code])
    client.force_login(project.vendor_pm)
    data = {
        "period_start": "2026-05-04",
        "period_end": "2026-05-08",
        "rag": "amber",
        "progress_summary": "完成部署。",
        "known_risks": "",
    }

    refused = client.post(reverse("projects:report_add", args=[project.code]), {**data, "period_end": "2030-01-11"})
    client.post(reverse("projects:report_add", args=[project.code]), data)
    report = StatusReport.objects.get()
    client.post(reverse("projects:report_edit", args=[project.code, report.pk]), {**data, "rag": "red"})
    client.force_login(project.customer_lead)
    before_publish = client.get(reports_url)
    client.force_login(project.vendor_pm)
    client.post(reverse("projects:report_publish", args=[project.code, report.pk]))
    frozen = client.get(reverse("projects:report_edit", args=[project.code, report.pk]))
    client.force_login(project.customer_lead)
    after_publish = client.get(reports_url)

    outside = "报告周期必须在项目计划日期 2026-04-01 – 2026-09-30 之内。"
    assert refused.context["form"].errors == {"period_start": [outside]}
    assert list(before_publish.context["reports"]) == []
    assert (frozen.status_code, frozen.url) == (302, reports_url)
    assert list(after_publish.context["reports"]) == [report]
    assert "红：偏离计划" in after_publish.content.decode()
    report.refresh_from_db()
    assert (report.status, report.rag) == ("published", "red")
