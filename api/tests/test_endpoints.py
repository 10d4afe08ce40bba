"""Each endpoint × role, with the pages' expectations: 404 for outsiders, customers never see
internal deliverables or drafts, validation errors as JSON with the pages' messages, the audit."""

from __future__ import annotations

import pytest

from api.tests.conftest import client_for
from changes.enums import ChangeEventKind, ChangeKind, ChangeState
from changes.models import ChangeEvent, ChangeRequest
from changes.services import change_review_start
from changes.tests.factories import META, change_filed, deliverable_confirmed
from documents.services import deliverable_get_or_create, version_draft_create
from golive.models import OperationProblem
from projects.lifecycle import gate_checklist, gate_facts_collect

pytestmark = pytest.mark.django_db


def _url(project, tail: str = "") -> str:
    return f"/api/v1/projects/{project.code}/{tail}"


# --- projects -----------------------------------------------------------------------------------


def test_project_list_shows_only_visible_projects(project, lead, outsider):
    assert [p["code"] for p in client_for(lead).get("/api/v1/projects/").json()["results"]] == [project.code]
    assert client_for(outsider).get("/api/v1/projects/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_project_list_filters_by_phase_and_search(project, pm):
    client = client_for(pm)
    assert client.get("/api/v1/projects/", {"phase": "initiation"}).json()["count"] == 1
    assert client.get("/api/v1/projects/", {"phase": "closing"}).json()["count"] == 0
    assert client.get("/api/v1/projects/", {"search": project.code.lower()}).json()["count"] == 1
    response = client.get("/api/v1/projects/", {"phase": "nonsense"})
    assert response.status_code == 400
    assert list(response.json()) == ["phase"]


@pytest.mark.parametrize("who", ["pm", "lead"])
def test_project_detail_with_gate(project, who, request):
    response = client_for(request.getfixturevalue(who)).get(_url(project))
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == project.code
    assert body["phase"] == "initiation"
    assert body["gate_met"] is False
    expected = gate_checklist(gate_facts_collect(project))
    assert body["gate"] == [{"label": str(item.label), "met": item.met} for item in expected]


@pytest.mark.parametrize("tail", ["", "team/", "deliverables/", "deadlines/", "changes/", "problems/"])
def test_project_endpoints_are_404_for_outsiders(project, outsider, other_vendor, tail):
    for user in (outsider, other_vendor):
        response = client_for(user).get(_url(project, tail))
        assert response.status_code == 404
        assert list(response.json()) == ["detail"]


def test_team_lists_both_sides(project, lead):
    names = [m["name"] for m in client_for(lead).get(_url(project, "team/")).json()]
    assert names == [lead.get_full_name(), project.vendor_pm.get_full_name()]


# --- deliverables -------------------------------------------------------------------------------


def _internal_draft(project):
    deliverable = deliverable_get_or_create(project=project, code="project_summary_report")
    return version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content={})


def test_customer_never_sees_internal_deliverables(project, pm, lead):
    _internal_draft(project)
    customer_types = [row["type"] for row in client_for(lead).get(_url(project, "deliverables/")).json()]
    vendor_types = [row["type"] for row in client_for(pm).get(_url(project, "deliverables/")).json()]
    assert "project_summary_report" not in customer_types
    assert "project_summary_report" in vendor_types
    versions = "deliverables/project_summary_report/versions/"
    assert client_for(lead).get(_url(project, versions)).status_code == 404
    assert client_for(lead).get(_url(project, versions + "1/")).status_code == 404
    assert client_for(pm).get(_url(project, versions + "1/")).status_code == 200


def test_confirmed_version_with_content_signature_and_pdf_link(project, lead):
    version = deliverable_confirmed(project, "requirements_confirmation")
    body = client_for(lead).get(_url(project, "deliverables/requirements_confirmation/versions/1/")).json()
    assert body["state"] == "confirmed"
    assert body["content"]["items"][0]["text"] == version.content["items"][0]["text"]
    assert [s["signer"] for s in body["signatures"]] == [lead.get_full_name()]
    assert body["signatures"][0]["version_sha256"] == version.signatures.get().version_sha256
    assert body["signatures"][0]["role"] == "customer_lead"
    # Rendered and sealed by the task (eager in tests) unless no certificate is configured.
    assert body["sealed_pdf"] is None or body["sealed_pdf"].endswith(
        f"/projects/{project.code}/deliverables/requirements_confirmation/1/pdf/"
    )


def test_customer_does_not_see_drafts(project, pm, lead):
    deliverable = deliverable_get_or_create(project=project, code="project_plan")
    version_draft_create(deliverable=deliverable, user=pm, meta=META, content={})
    assert client_for(lead).get(_url(project, "deliverables/project_plan/versions/")).json() == []
    assert client_for(lead).get(_url(project, "deliverables/project_plan/versions/1/")).status_code == 404
    assert [v["state"] for v in client_for(pm).get(_url(project, "deliverables/project_plan/versions/")).json()] == [
        "draft"
    ]


# --- change letters -----------------------------------------------------------------------------


LETTER = {
    "kind": ChangeKind.VENDOR_AT_FAULT,
    "title": "归档邮箱容量调整",
    "reason": "上线前发现归档策略与客户合规要求不一致。",
    "requirements_change": "归档保存期由 3 年改为 5 年。",
}


def test_lead_files_a_change_letter_with_audit(project, lead):
    response = client_for(lead).post(_url(project, "changes/"), LETTER, format="json")
    assert response.status_code == 201
    assert response.json()["number"] == 1
    change = ChangeRequest.objects.get()
    assert change.initiated_by == lead
    event = ChangeEvent.objects.get(change=change)
    assert (event.kind, event.actor, event.ip_address) == (ChangeEventKind.FILED, lead, "127.0.0.1")
    assert [d["rule"] for d in client_for(project.vendor_pm).get(_url(project, "deadlines/")).json()["results"]] == [
        "change_reply"
    ]


def test_filing_validation_errors_are_the_pages_messages(project, lead):
    response = client_for(lead).post(_url(project, "changes/"), {**LETTER, "requirements_change": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "requirements_change": ["Describe the change requested to the requirements, to the project plan, or to both."]
    }
    assert ChangeRequest.objects.count() == 0


def test_filing_a_kind_the_user_may_not_file_is_refused(project, lead):
    response = client_for(lead).post(
        _url(project, "changes/"), {**LETTER, "kind": ChangeKind.VENDOR_INITIATED}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
    assert ChangeRequest.objects.count() == 0


def test_filing_bad_input_is_400(project, lead):
    response = client_for(lead).post(_url(project, "changes/"), {"kind": "9.9"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "title", "reason"}
    assert ChangeRequest.objects.count() == 0


def test_outsider_cannot_file(project, outsider):
    response = client_for(outsider).post(_url(project, "changes/"), LETTER, format="json")
    assert response.status_code == 404
    assert ChangeRequest.objects.count() == 0


def test_pm_replies_to_a_change_letter(project, pm):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    change_review_start(change=change, user=pm, meta=META)
    response = client_for(pm).post(
        _url(project, f"changes/{change.number}/reply/"), {"accept": True, "reasons": "同意。"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == ChangeState.ACCEPTED
    assert [e["kind"] for e in response.json()["events"]] == [
        ChangeEventKind.FILED,
        ChangeEventKind.REVIEW_STARTED,
        ChangeEventKind.ACCEPTED,
    ]


def test_reply_without_findings_for_4_2_is_refused(project, pm):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    change_review_start(change=change, user=pm, meta=META)
    response = client_for(pm).post(
        _url(project, f"changes/{change.number}/reply/"), {"accept": True, "reasons": "同意。"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"findings": ["§4.2: give the findings of the internal investigation."]}
    change.refresh_from_db()
    assert change.state == ChangeState.UNDER_REVIEW


def test_customer_lead_cannot_reply(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    change_review_start(change=change, user=pm, meta=META)
    response = client_for(lead).post(
        _url(project, f"changes/{change.number}/reply/"), {"accept": True, "reasons": "同意。"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    change.refresh_from_db()
    assert change.state == ChangeState.UNDER_REVIEW


def test_comment_on_a_change_letter(project, pm, lead, outsider):
    change = change_filed(project)
    url = _url(project, f"changes/{change.number}/comments/")
    response = client_for(pm).post(url, {"text": "正在调查。"}, format="json")
    assert response.status_code == 201
    assert response.json()["comment"] == "正在调查。"
    assert client_for(outsider).post(url, {"text": "x"}, format="json").status_code == 404
    blank = client_for(lead).post(url, {"text": ""}, format="json")
    assert blank.status_code == 400
    assert ChangeEvent.objects.filter(kind=ChangeEventKind.COMMENTED).count() == 1


def test_change_detail_and_list(project, lead, outsider):
    change = change_filed(project)
    assert client_for(lead).get(_url(project, f"changes/{change.number}/")).json()["title"] == change.title
    assert client_for(lead).get(_url(project, "changes/"), {"state": "submitted"}).json()["count"] == 1
    assert client_for(lead).get(_url(project, "changes/"), {"overdue": "true"}).json()["count"] == 0
    assert client_for(outsider).get(_url(project, f"changes/{change.number}/")).status_code == 404


# --- problems and support -----------------------------------------------------------------------


def test_record_an_operation_problem(project, lead, outsider):
    response = client_for(lead).post(
        _url(project, "problems/"), {"description": "收件延迟", "severity": "major", "support_mode": "remote"}
    )
    assert response.status_code == 201
    assert response.json()["number"] == 1
    assert client_for(lead).get(_url(project, "problems/1/")).json()["description"] == "收件延迟"
    assert client_for(outsider).post(_url(project, "problems/"), {"description": "x"}).status_code == 404
    bad = client_for(lead).post(_url(project, "problems/"), {"description": "", "severity": "huge"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"description", "severity"}
    assert OperationProblem.objects.count() == 1


def test_support_requests_are_scoped(project, lead, outsider):
    assert client_for(lead).get("/api/v1/support-requests/").json()["count"] == 0
    assert client_for(outsider).get("/api/v1/support-requests/999/").status_code == 404


def test_my_deadlines(project, pm, lead):
    change_filed(project)
    assert [d["rule"] for d in client_for(pm).get("/api/v1/deadlines/").json()["results"]] == ["change_reply"]
    body = client_for(pm).get("/api/v1/deadlines/").json()["results"][0]
    assert body["explanation"].startswith("5")
    assert client_for(lead).get("/api/v1/deadlines/").json()["count"] == 0


def test_schema_and_docs_are_served_from_our_own_static_files(client, pm):
    client.force_login(pm)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs


def test_messages_are_chinese_by_default(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    change_review_start(change=change, user=pm, meta=META)
    response = client_for(lead, language="").post(
        _url(project, f"changes/{change.number}/reply/"), {"accept": True, "reasons": "同意。"}
    )
    assert response.json() == {"detail": "您没有执行该操作的权限。"}
