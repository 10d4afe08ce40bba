"""After acceptance or agreement: new deliverable versions drafted and linked, and the change
implemented once the customer lead has confirmed them through the deliverables sign-off (§4)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from changes.enums import ChangeEventKind, ChangeKind, ChangeState
from changes.models import ChangeRequest, ChangeVersion
from changes.services import change_reply, change_review_start, change_version_draft
from documents.enums import VersionState
from documents.services import version_draft_create, version_return
from notifications.models import Notification
from projects.enums import MemberRole
from projects.tests.factories import ProjectMemberFactory

from .factories import (
    META,
    REQUIREMENTS,
    change_approved,
    change_filed,
    deliverable_confirmed,
    version_signed,
    version_submitted,
)

pytestmark = pytest.mark.django_db


def _state(change) -> str:
    return ChangeRequest.objects.get(pk=change.pk).state


@pytest.fixture
def baseline(project):
    return deliverable_confirmed(project, "requirements_confirmation"), deliverable_confirmed(project, "project_plan")


def test_drafting_the_requirements_starts_implementing(project, pm, lead, baseline):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)

    version = change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")

    assert (version.number, version.state) == (2, VersionState.DRAFT)
    assert [row["text"] for row in version.content["items"]] == [REQUIREMENTS["items"][0]["text"]]
    assert _state(change) == ChangeState.IMPLEMENTING
    link = ChangeVersion.objects.get(change=change)
    assert (link.drafted_version, link.accepted_version) == (version, None)
    event = change.events.get(kind=ChangeEventKind.VERSION_DRAFTED)
    assert (event.actor, event.comment, event.from_state, event.to_state) == (
        pm,
        "需求确认单 v2",
        ChangeState.ACCEPTED,
        ChangeState.IMPLEMENTING,
    )
    assert Notification.objects.get(recipient=lead, verb="changes.drafted.requirements_confirmation").message == (
        f"{pm.get_full_name()} 已起草需求确认单第 2 版，以实施变更 {project.code} #1 归档邮箱容量调整"
    )


def test_implemented_when_every_linked_version_is_confirmed(project, pm, lead, baseline):
    change = change_approved(project, kind=ChangeKind.VENDOR_INITIATED)
    requirements = change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")
    plan = change_version_draft(change=change, user=pm, meta=META, type_code="project_plan")

    version_signed(version_submitted(requirements))
    assert _state(change) == ChangeState.IMPLEMENTING

    version_signed(version_submitted(plan))

    change.refresh_from_db()
    assert change.state == ChangeState.IMPLEMENTED
    assert change.implemented_at is not None
    assert list(change.versions.values_list("accepted_version__number", flat=True)) == [2, 2]
    assert list(change.events.order_by("at", "id").values_list("kind", flat=True))[-3:] == [
        ChangeEventKind.VERSION_CONFIRMED,
        ChangeEventKind.VERSION_CONFIRMED,
        ChangeEventKind.IMPLEMENTED,
    ]
    implemented = Notification.objects.filter(verb="changes.implemented").order_by("recipient_id")
    assert sorted(n.recipient_id for n in implemented) == sorted([pm.pk, lead.pk])


def test_returned_version_continues_and_its_successor_implements_the_change(project, pm, lead, baseline):
    change = change_approved(project)
    drafted = change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")
    version_submitted(drafted)

    successor = version_return(version=drafted, user=lead, meta=META, comment="请补充归档保存期。")
    assert _state(change) == ChangeState.IMPLEMENTING
    version_signed(version_submitted(successor))

    link = ChangeVersion.objects.get(change=change)
    assert (link.drafted_version.number, link.accepted_version.number) == (2, 3)
    assert _state(change) == ChangeState.IMPLEMENTED


def test_a_version_in_progress_is_linked_instead_of_a_new_one(project, pm, baseline):
    first = change_approved(project)
    second = change_approved(project)

    draft = change_version_draft(change=first, user=pm, meta=META, type_code="requirements_confirmation")
    same = change_version_draft(change=second, user=pm, meta=META, type_code="requirements_confirmation")
    version_signed(version_submitted(draft))

    assert same == draft
    assert (_state(first), _state(second)) == (ChangeState.IMPLEMENTED, ChangeState.IMPLEMENTED)


def test_a_version_waiting_for_signature_blocks_drafting(project, pm, baseline):
    change = change_approved(project)
    other = change_approved(project)
    version_submitted(change_version_draft(change=other, user=pm, meta=META, type_code="requirements_confirmation"))

    with pytest.raises(ValidationError) as error:
        change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")

    assert error.value.messages == ["需求确认单第 2 版正在等待签署；签署或退回后，再为本变更起草新版本。"]
    assert (_state(change), change.versions.count()) == (ChangeState.ACCEPTED, 0)


def test_the_same_deliverable_is_linked_once(project, pm, baseline):
    change = change_approved(project)
    change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")

    with pytest.raises(ValidationError) as error:
        change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")

    assert error.value.messages == ["需求确认单第 2 版已关联到本变更。"]


@pytest.mark.parametrize("step", ["submitted", "under_review", "rejected"])
def test_only_an_approved_change_is_implemented(project, pm, step):
    change = change_filed(project)
    if step != "submitted":
        change_review_start(change=change, user=pm, meta=META)
    if step == "rejected":
        change_reply(change=change, user=pm, meta=META, accept=False, reasons="不同意", findings="无")

    with pytest.raises(ValidationError) as error:
        change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")

    assert error.value.messages == ["只有已接受或已达成一致的变更才能起草交付物新版本。"]
    assert change.versions.count() == 0


def test_customer_lead_and_team_members_do_not_draft(project, lead, baseline):
    engineer = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER).user
    change = change_approved(project)

    for user in (lead, engineer):
        with pytest.raises(PermissionDenied):
            change_version_draft(change=change, user=user, meta=META, type_code="requirements_confirmation")

    assert (_state(change), change.versions.count()) == (ChangeState.ACCEPTED, 0)


def test_only_requirements_and_plan_are_drafted_for_a_change(project, pm):
    change = change_approved(project)

    with pytest.raises(ValidationError) as error:
        change_version_draft(change=change, user=pm, meta=META, type_code="implementation_report")

    assert error.value.messages == ["变更只更新需求确认单或项目计划。"]


def test_first_draft_of_a_deliverable_without_versions_starts_empty(project, pm):
    change = change_approved(project)

    version = change_version_draft(change=change, user=pm, meta=META, type_code="project_plan")

    assert version.number == 1
    assert version.content == {"milestones": [], "activities": []}


def test_confirming_an_unrelated_deliverable_changes_nothing(project, pm, baseline):
    change = change_approved(project)
    change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")
    plan = version_draft_create(deliverable=baseline[1].deliverable, user=pm, meta=META)

    version_signed(version_submitted(plan))

    assert _state(change) == ChangeState.IMPLEMENTING
    assert change.versions.get().accepted_version is None
