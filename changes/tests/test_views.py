"""The pages: lists, the new letter, the letter with its timeline, deadline and reply form, claims.

Bad input comes back as a translated message on the page with nothing changed; other projects'
users get 404 on every view.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CustomerUserFactory, VendorUserFactory
from changes.enums import ChangeKind, ChangeState, ClaimState
from changes.models import ChangeRequest, CompensationClaim
from changes.services import compensation_windows_open
from deadlines.services import deadline_sweep
from projects.enums import MemberRole
from projects.tests.factories import ProjectFactory, ProjectMemberFactory

from .factories import change_approved, change_filed, deliverable_confirmed

pytestmark = pytest.mark.django_db


def _url(name: str, change, *extra) -> str:
    return reverse(f"changes:{name}", args=[change.project.code, change.number, *extra])


def _state(change) -> str:
    return ChangeRequest.objects.get(pk=change.pk).state


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Access: other projects' users get 404 everywhere --------------------------------------

CHANGE_VIEWS = [
    ("get", "change", ()),
    ("post", "review", ()),
    ("post", "reply", ()),
    ("post", "negotiate", ()),
    ("post", "propose", ()),
    ("post", "agree", ()),
    ("post", "withdraw", ()),
    ("post", "comment", ()),
    ("post", "draft", ("requirements_confirmation",)),
    ("get", "pdf", ("letter",)),
    ("get", "claim", ()),
    ("post", "claim", ()),
    ("post", "claim_answer", ()),
]
PROJECT_VIEWS = [("get", "list"), ("get", "create"), ("post", "create"), ("get", "claims")]


@pytest.fixture(params=["customer", "vendor"])
def outsider(request):
    """A lead of another project: of the other customer, or a vendor PM who is not in this team."""
    other = ProjectFactory()
    return other.customer_lead if request.param == "customer" else other.vendor_pm


@pytest.mark.parametrize(("method", "name", "extra"), CHANGE_VIEWS)
def test_change_views_are_404_for_other_projects_users(client, project, outsider, method, name, extra):
    change = change_filed(project)
    client.force_login(outsider)

    response = getattr(client, method)(_url(name, change, *extra))

    assert response.status_code == 404
    assert _state(change) == ChangeState.SUBMITTED


@pytest.mark.parametrize(("method", "name"), PROJECT_VIEWS)
def test_project_views_are_404_for_other_projects_users(client, project, outsider, method, name):
    client.force_login(outsider)

    response = getattr(client, method)(reverse(f"changes:{name}", args=[project.code]))

    assert response.status_code == 404
    assert ChangeRequest.objects.count() == 0


def test_attachment_is_404_for_other_projects_users(client, project, outsider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    change = change_filed(project, attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")])
    client.force_login(outsider)

    response = client.get(_url("attachment", change, change.attachments.get().pk))

    assert response.status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, project):
    response = client.get(reverse("changes:list", args=[project.code]))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Lists ----------------------------------------------------------------------------------


def test_my_list_shows_the_letters_of_my_projects_only(client, project, lead):
    mine = change_filed(project, title="我的变更")
    change_filed(ProjectFactory(), title="别人的变更")
    client.force_login(lead)

    response = client.get(reverse("changes:mine"))

    assert [c.pk for c in response.context["page"]] == [mine.pk]
    assert "我的变更" in response.content.decode()
    assert "别人的变更" not in response.content.decode()


def test_lists_filter_by_kind_state_and_overdue(client, project, pm):
    old = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT, now=timezone.now() - timedelta(days=30))
    change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    change_filed(project, kind=ChangeKind.VENDOR_INITIATED)
    deadline_sweep()
    client.force_login(pm)
    url = reverse("changes:list", args=[project.code])

    by_kind = client.get(url, {"kind": "4.1"}).context["page"]
    by_state = client.get(url, {"state": "submitted"}).context["page"]
    overdue = client.get(url, {"overdue": "on"})

    assert [c.kind for c in by_kind] == ["4.1"]
    assert len(by_state) == 3
    assert [c.pk for c in overdue.context["page"]] == [old.pk]
    assert "答复超期" in overdue.content.decode()


def test_unknown_filter_values_are_ignored(client, project, pm):
    change_filed(project)
    client.force_login(pm)

    response = client.get(reverse("changes:list", args=[project.code]), {"kind": "9.9", "state": "nonsense"})

    assert response.status_code == 200
    assert len(response.context["page"]) == 1


def test_project_list_offers_filing_to_both_leads(client, project, pm, lead):
    client.force_login(pm)
    pm_page = client.get(reverse("changes:list", args=[project.code])).content.decode()
    client.force_login(lead)
    lead_page = client.get(reverse("changes:list", args=[project.code])).content.decode()

    assert 'id="change-new"' in pm_page and 'id="change-new"' in lead_page


# --- New letter -----------------------------------------------------------------------------


def test_new_letter_form_offers_only_the_kinds_the_user_may_file(client, project, pm, lead):
    client.force_login(lead)
    lead_kinds = [value for value, _label in client.get(_new(project)).context["form"].fields["kind"].choices]
    client.force_login(pm)
    pm_kinds = [value for value, _label in client.get(_new(project)).context["form"].fields["kind"].choices]

    assert lead_kinds == ["4.2", "4.3", "4.4"]
    assert pm_kinds == ["4.1", "4.4"]


def _new(project) -> str:
    return reverse("changes:create", args=[project.code])


def test_team_member_who_may_file_nothing_is_told_why(client, project):
    engineer = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER).user
    client.force_login(engineer)

    response = client.get(_new(project))

    assert response.status_code == 403
    assert response.context["refusals"] == [
        "只有交付方项目经理可以提出 4.1 类（交付方发起）变更说明函。",
        "只有客户方项目负责人可以提出 4.2、4.3 类（客户方发起）变更说明函。",
        "只有双方的项目负责人可以提出 4.4 类（不可抗力）变更说明函。",
    ]


def test_filing_a_letter_in_the_browser(client, project, lead):
    client.force_login(lead)

    response = client.post(
        _new(project),
        {
            "kind": "4.2",
            "title": "归档策略调整",
            "reason": "交付的归档策略不符合要求。",
            "requirements_change": "保存 5 年。",
        },
    )

    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.code}/changes/1/"
    assert (change.kind, change.title, change.initiated_by) == ("4.2", "归档策略调整", lead)


def test_a_kind_the_user_may_not_file_is_refused_on_the_page(client, project, lead):
    client.force_login(lead)

    response = client.post(_new(project), {"kind": "4.1", "title": "x", "reason": "y", "plan_change": "z"})

    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["选择一个有效的选项。 4.1 不在可用的选项中。"]
    assert ChangeRequest.objects.count() == 0


def test_a_letter_without_the_requested_change_is_refused_on_the_page(client, project, lead):
    client.force_login(lead)

    response = client.post(_new(project), {"kind": "4.3", "title": "x", "reason": "y"})

    assert response.context["form"].errors == {
        "requirements_change": ["请填写对需求、项目计划或两者的变更内容。"],
    }
    assert ChangeRequest.objects.count() == 0


# --- The letter's page ----------------------------------------------------------------------


def test_letter_page_shows_the_deadline_and_how_it_was_computed(client, project, pm):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    client.force_login(pm)

    page = client.get(_url("change", change)).content.decode()

    deadline = change.project and response_deadline(change)
    assert deadline.due_date.isoformat() in page
    assert deadline.explanation in page
    assert "个工作日" in page
    assert 'id="review-start"' in page


def response_deadline(change):
    from changes.services import reply_deadline

    return reply_deadline(change)


def test_the_pm_replies_on_the_page(client, project, pm, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    client.force_login(pm)

    client.post(_url("review", change))
    page = client.get(_url("change", change)).content.decode()
    response = client.post(
        _url("reply", change), {"decision": "accept", "findings": "部署脚本遗漏参数。", "reasons": "确属交付质量问题。"}
    )

    assert 'id="reply-form"' in page
    assert response.status_code == 302
    assert _state(change) == ChangeState.ACCEPTED
    client.force_login(lead)
    shown = client.get(_url("change", change)).content.decode()
    assert "接受本变更。" in shown and "按期答复" in shown


def test_an_incomplete_reply_is_shown_again_with_errors(client, project, pm):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    client.force_login(pm)
    client.post(_url("review", change))

    response = client.post(_url("reply", change), {"decision": "accept", "reasons": "同意"})

    assert response.status_code == 400
    assert response.context["reply_form"].errors == {"findings": ["这个字段是必填项。"]}
    assert _state(change) == ChangeState.UNDER_REVIEW


def test_a_second_reply_is_refused_with_the_reason(client, project, pm):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    client.force_login(pm)
    client.post(_url("review", change))
    client.post(_url("reply", change), {"decision": "reject", "reasons": "超出范围"})

    response = client.post(_url("reply", change), {"decision": "accept", "reasons": "改为同意"})

    assert response.status_code == 400
    assert response.context["reply_form"].non_field_errors() == ["该变更说明函已经答复。"]
    assert _state(change) == ChangeState.REJECTED


def test_a_step_out_of_turn_is_a_message_not_an_error_page(client, project, pm):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    client.force_login(pm)
    first = client.post(_url("review", change), follow=True)

    response = client.post(_url("review", change), follow=True)

    assert _messages(first) == ["已开始内部审查，请按期答复。"]
    assert _messages(response) == ["变更说明函当前状态（审查中）下不能进行此操作。"]


def test_a_step_the_user_may_not_take_is_forbidden(client, project, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    client.force_login(lead)

    response = client.post(_url("review", change))

    assert response.status_code == 403
    assert _state(change) == ChangeState.SUBMITTED


def test_negotiation_proposal_and_confirmation_on_the_page(client, project, pm, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)
    client.force_login(lead)

    client.post(_url("negotiate", change))
    empty = client.post(_url("propose", change), {"note": ""})
    client.post(_url("propose", change), {"note": "双方同意顺延两周。"})
    own = client.post(_url("agree", change), follow=True)
    proposed_state = _state(change)
    client.force_login(pm)
    page = client.get(_url("change", change)).content.decode()
    client.post(_url("agree", change))

    assert empty.status_code == 400
    assert _messages(own)[-1] == "这些条款是您提出的：应由另一方负责人确认（或提出修改）。"
    assert proposed_state == ChangeState.IN_NEGOTIATION
    assert 'id="agreement-proposal"' in page and 'id="agree-submit"' in page and "双方同意顺延两周。" in page
    assert _state(change) == ChangeState.AGREED


def test_withdrawal_and_comment_on_the_page(client, project, lead):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    client.force_login(lead)

    client.post(_url("comment", change), {"text": "补充说明：涉及 3 个部门。"})
    client.post(_url("withdraw", change), {"reason": "需求取消。"})

    assert _state(change) == ChangeState.WITHDRAWN
    page = client.get(_url("change", change)).content.decode()
    assert "补充说明：涉及 3 个部门。" in page and "需求取消。" in page


def test_drafting_from_the_page_opens_the_new_version(client, project, pm):
    deliverable_confirmed(project, "requirements_confirmation")
    change = change_approved(project)
    client.force_login(pm)

    page = client.get(_url("change", change)).content.decode()
    response = client.post(_url("draft", change, "requirements_confirmation"))

    assert 'id="draft-requirements_confirmation"' in page and 'id="draft-project_plan"' in page
    assert response["Location"] == f"/projects/{project.code}/deliverables/requirements_confirmation/v2/"
    assert _state(change) == ChangeState.IMPLEMENTING


def test_drafting_an_unknown_deliverable_is_404(client, project, pm):
    change = change_approved(project)
    client.force_login(pm)

    assert client.post(_url("draft", change, "golive_notice")).status_code == 404


def test_overdue_letter_is_marked_on_its_page(client, project, pm):
    change = change_filed(project, now=timezone.now() - timedelta(days=30))
    deadline_sweep()
    client.force_login(pm)

    page = client.get(_url("change", change)).content.decode()

    assert 'id="overdue-alert"' in page


# --- Compensation ---------------------------------------------------------------------------


@pytest.fixture
def live_change(project):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=timezone.localdate() - timedelta(days=1))
    return change


def test_claim_filed_and_answered_on_the_pages(client, project, pm, lead, live_change):
    client.force_login(lead)
    form_page = client.get(_url("claim", live_change))
    client.post(_url("claim", live_change), {"days_requested": "12", "reason": "上线推迟影响服务期。"})
    client.force_login(pm)
    detail = client.get(_url("change", live_change)).content.decode()
    client.post(_url("claim_answer", live_change), {"decision": "accept", "days_granted": "8", "reasons": "部分批准"})

    claim = CompensationClaim.objects.get()
    assert 'id="claim-form"' in form_page.content.decode()
    assert 'id="claim-answer-form"' in detail
    assert (claim.state, claim.days_requested, claim.days_granted) == (ClaimState.ACCEPTED, 12, 8)
    listed = client.get(reverse("changes:claims", args=[project.code])).content.decode()
    assert "上线推迟影响服务期" not in listed and "12" in listed


def test_claim_page_once_claimed_says_so(client, project, lead, live_change):
    client.force_login(lead)
    client.post(_url("claim", live_change), {"days_requested": "3", "reason": "理由"})

    response = client.get(_url("claim", live_change))

    assert response.context["refusal"] == "该变更已经提出过补偿索赔。"


def test_claim_page_after_the_window_says_when_it_closed(client, project, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_INITIATED)
    compensation_windows_open(project=project, golive_on=date(2026, 10, 30))
    client.force_login(lead)

    response = client.get(_url("claim", change))
    posted = client.post(_url("claim", change), {"days_requested": "5", "reason": "x"})

    assert response.context["refusal"] == "索赔期已于 2026-11-20 结束，不能再提出补偿索赔。"
    assert 'id="claim-form"' not in response.content.decode()
    assert posted.status_code == 400
    assert posted.context["form"].non_field_errors() == ["索赔期已于 2026-11-20 结束，不能再提出补偿索赔。"]
    assert CompensationClaim.objects.count() == 0


def test_claim_page_is_for_the_customer_lead(client, project, pm):
    client.force_login(pm)

    response = client.get(_url("claim", change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)))

    assert response.status_code == 403


def test_claim_page_of_a_4_3_change_explains_why_and_files_nothing(client, project):
    change = change_approved(project, kind=ChangeKind.CUSTOMER_REASONS)
    client.force_login(project.customer_lead)

    response = client.get(_url("claim", change))
    posted = client.post(_url("claim", change), {"days_requested": "5", "reason": "x"})

    expected = "该变更不能索赔补偿：4.3 客户方发起（客户方原因） 不涉及补偿（§4）。只有 4.1 或 4.2 类变更可以索赔补偿。"
    assert (response.status_code, response.context["refusal"]) == (200, expected)
    assert 'id="claim-form"' not in response.content.decode()
    assert (posted.status_code, posted.context["refusal"]) == (400, expected)
    assert CompensationClaim.objects.count() == 0


def test_an_incomplete_claim_answer_is_shown_again(client, project, pm, lead, live_change):
    client.force_login(lead)
    client.post(_url("claim", live_change), {"days_requested": "12", "reason": "理由"})
    client.force_login(pm)

    response = client.post(_url("claim_answer", live_change), {"decision": "reject", "reasons": ""})

    assert response.status_code == 400
    assert response.context["claim_answer_form"].errors == {"reasons": ["请说明驳回索赔的理由。"]}
    assert CompensationClaim.objects.get().state == ClaimState.FILED


def test_claim_answer_without_a_claim_is_404(client, project, pm):
    change = change_approved(project)
    client.force_login(pm)

    assert client.post(_url("claim_answer", change), {"decision": "accept", "days_granted": "1"}).status_code == 404


# --- Dashboard card -------------------------------------------------------------------------


def test_dashboard_card_lists_the_letters_waiting_for_me(rf, project, pm, lead):
    from django.template import Context, Template

    waiting = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    change_filed(project, kind=ChangeKind.VENDOR_INITIATED)  # the lead's turn, not the PM's
    request = rf.get("/dashboard/")
    request.user = pm

    html = Template("{% load changes %}{% changes_waiting_for_me %}").render(Context({"request": request}))

    assert 'id="changes-waiting"' in html
    assert f"/projects/{project.code}/changes/{waiting.number}/" in html
    assert f"/projects/{project.code}/changes/2/" not in html


def test_dashboard_card_is_empty_for_a_user_with_nothing_waiting(rf, project):
    from django.template import Context, Template

    change_filed(project)
    request = rf.get("/dashboard/")
    request.user = CustomerUserFactory()

    html = Template("{% load changes %}{% changes_waiting_for_me %}").render(Context({"request": request}))

    assert html.strip() == ""


def test_vendor_staff_outside_the_team_see_no_letters(client, project):
    change_filed(project)
    client.force_login(VendorUserFactory())

    assert len(client.get(reverse("changes:mine")).context["page"]) == 0
