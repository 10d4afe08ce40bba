"""The list pages: the project list with its filters, the dashboard, and the team export."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminUserFactory, OrganizationFactory
from projects.enums import MemberRole, Phase
from projects.selectors import ChecklistCard, ProjectRef

from .factories import ProjectFactory, ProjectMemberFactory, RiskFactory

pytestmark = pytest.mark.django_db


def test_project_list_filters_and_searches(client):
    admin = AdminUserFactory()
    customer = OrganizationFactory(name="西湖大学", short_name="西大")
    first = ProjectFactory(code="HX-1", name="邮件归档项目", customer=customer)
    ProjectFactory(code="HX-2", name="邮件系统升级", phase=Phase.EXECUTION)
    overdue = ProjectFactory(code="HX-3", name="数据迁移项目")
    overdue.responsibilities.filter(side="customer").update(due_date=datetime.date(2020, 1, 1))
    client.force_login(admin)

    def codes(**params: object) -> list[str]:
        response = client.get(reverse("projects:list"), params)
        return sorted(project.code for project in response.context["page"])

    assert codes() == ["HX-1", "HX-2", "HX-3"]
    assert codes(phase="execution") == ["HX-2"]
    assert codes(customer="西湖") == ["HX-1"]
    assert codes(customer="西大") == ["HX-1"]
    assert codes(customer="  西湖大学 ") == ["HX-1"]
    assert codes(customer="东海") == []
    assert codes(pm=first.vendor_pm.pk) == ["HX-1"]
    assert codes(overdue="on") == ["HX-3"]
    assert codes(q="归档") == ["HX-1"]
    assert codes(q="hx-2") == ["HX-2"]


def test_project_list_customer_filter_is_a_search_box(client):
    admin = AdminUserFactory()
    ProjectFactory(customer=OrganizationFactory(name="西湖大学"))
    client.force_login(admin)

    html = client.get(reverse("projects:list"), {"customer": "西湖"}).content.decode()

    assert (
        '<input type="search" name="customer" id="id_customer" value="西湖" maxlength="100" '
        'class="form-control form-control-sm" placeholder="客户名称">'
    ) in html
    assert '<select name="customer"' not in html


def test_project_list_shows_health(client):
    project = ProjectFactory()
    project.responsibilities.filter(side="customer").update(due_date=datetime.date(2020, 1, 1))
    RiskFactory.create_batch(2, project=project)
    RiskFactory(project=project, status="closed")
    client.force_login(project.vendor_pm)

    response = client.get(reverse("projects:list"))

    row = response.context["page"][0]
    assert (row.overdue_count, row.open_risk_count) == (5, 2)
    html = response.content.decode()
    assert "逾期 5 项" in html
    assert "未关闭风险 2 个" in html


def test_project_list_paginates(client):
    admin = AdminUserFactory()
    ProjectFactory.create_batch(26)
    client.force_login(admin)

    first = client.get(reverse("projects:list"), {"phase": "initiation"})
    second = client.get(reverse("projects:list"), {"phase": "initiation", "page": 2})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 1
    assert "?phase=initiation&amp;page=2" in first.content.decode()


def test_customer_lead_sees_only_their_project_in_the_list(client):
    mine, _other = ProjectFactory(code="HX-MINE"), ProjectFactory(code="HX-OTHER")
    client.force_login(mine.customer_lead)

    response = client.get(reverse("projects:list"))

    assert [project.code for project in response.context["page"]] == ["HX-MINE"]
    assert response.context["can_create"] is False


def test_dashboard_shows_my_projects_and_what_waits_for_me(client):
    project = ProjectFactory(name="江南制造邮件系统升级项目")
    item = project.responsibilities.filter(side="vendor").first()
    item.due_date = datetime.date(2020, 1, 1)
    item.save()
    RiskFactory(project=project, owner=project.vendor_pm, description="存储到货延期")
    ProjectFactory(name="别人的项目")
    client.force_login(project.vendor_pm)

    response = client.get(reverse("dashboard"))

    assert [p.name for p in response.context["my_projects"]] == ["江南制造邮件系统升级项目"]
    assert response.context["waiting_items"] == [
        ChecklistCard(label=item.label, due_date=datetime.date(2020, 1, 1), project=ProjectRef(project.code))
    ]
    assert [risk.description for risk in response.context["waiting_risks"]] == ["存储到货延期"]
    html = response.content.decode()
    assert "别人的项目" not in html
    assert "已逾期" in html


def test_team_exports_csv_and_xlsx(client):
    import io

    from openpyxl import load_workbook

    project = ProjectFactory(code="HX-EXP")
    lead = project.customer_lead
    client.force_login(lead)

    csv_response = client.get(reverse("projects:team_export", args=[project.code, "csv"]))
    xlsx_response = client.get(reverse("projects:team_export", args=[project.code, "xlsx"]))

    assert csv_response["Content-Disposition"] == 'attachment; filename="HX-EXP-contacts.csv"'
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    lead_member = project.members.get(user=lead)
    assert lines[0] == "参与方,角色,姓名,职位,手机,电子邮箱"
    assert (
        lines[1] == f"客户方,客户方项目经理,{lead.first_name},{lead_member.position},{lead_member.mobile},{lead.email}"
    )
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [cell.value for cell in sheet[3]] == ["参与方", "角色", "姓名", "职位", "手机", "电子邮箱"]
    assert sheet["A4"].value == "客户方"
    assert sheet.max_row == 5


def test_team_export_of_unknown_format_is_404(client):
    project = ProjectFactory()
    client.force_login(project.vendor_pm)

    assert client.get(reverse("projects:team_export", args=[project.code, "pdf"])).status_code == 404


def test_dashboard_hides_risks_of_projects_the_owner_has_left(client):
    project = ProjectFactory()
    engineer = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER)
    RiskFactory(project=project, owner=engineer.user, description="存储到货延期")
    engineer.delete()
    client.force_login(engineer.user)

    response = client.get(reverse("dashboard"))

    assert list(response.context["waiting_risks"]) == []
