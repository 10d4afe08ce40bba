"""The admin: every model registered, phase transitions as buttons, forcing with a reason."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django_fsm_log.models import StateLog

from projects.enums import Phase
from projects.models import Project, ProjectMember, ResponsibilityItem, Risk, StatusReport, WorkItem

from .factories import ProjectFactory, project_with_full_team

pytestmark = pytest.mark.django_db


def test_every_projects_model_is_in_the_admin():
    models = {Project, ProjectMember, WorkItem, ResponsibilityItem, Risk, StatusReport}

    assert models <= set(admin.site._registry)


def test_admin_change_page_offers_only_the_transitions_the_gate_allows(admin_client):
    project = ProjectFactory()

    html = admin_client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()

    assert 'value="force_advance"' in html
    assert 'value="start_planning"' not in html  # the gate is not met
    assert 'value="move_back"' not in html  # nothing before initiation


def _change_form_data(response) -> dict:
    """What the browser would submit: the change form's and every inline's current values."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_admin_forward_button_when_the_gate_is_met(admin_client, admin_user):
    project = project_with_full_team(kickoff_held_on=datetime.date(2026, 4, 2))
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = admin_client.get(url)

    assert 'value="start_planning"' in page.content.decode()
    admin_client.post(url, {**_change_form_data(page), "_fsm_transition_to": "start_planning"})

    project.refresh_from_db()
    assert project.phase == Phase.PLANNING
    log = StateLog.objects.get()
    assert (log.transition, log.by) == ("start_planning", admin_user)


def test_admin_force_asks_for_a_reason_and_logs_it(admin_client, admin_user):
    project = ProjectFactory(phase=Phase.EXECUTION)
    url = reverse("admin:projects_project_transition", args=[project.pk, "force_advance"])

    empty = admin_client.post(url, {"description": ""})
    admin_client.post(url, {"description": "上线确认单已线下签署"})

    assert empty.status_code == 200
    project.refresh_from_db()
    assert project.phase == Phase.CLOSING
    log = StateLog.objects.get()
    assert (log.transition, log.source_state, log.state, log.by, log.description) == (
        "force_advance",
        "execution",
        "closing",
        admin_user,
        "上线确认单已线下签署",
    )


def test_admin_force_goes_through_the_service_and_tells_the_team(admin_client, admin_user):
    from notifications.models import Notification

    project = ProjectFactory(phase=Phase.EXECUTION)
    url = reverse("admin:projects_project_transition", args=[project.pk, "force_advance"])

    admin_client.post(url, {"description": "上线确认单已线下签署"})

    told = Notification.objects.filter(recipient=project.customer_lead).get()
    assert told.verb == "projects.phase_forced"
    assert told.context["reason"] == "上线确认单已线下签署"


def test_admin_forward_button_with_an_unmet_gate_says_what_is_missing(admin_client):
    project = ProjectFactory(phase=Phase.PLANNING)
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = admin_client.get(url)

    response = admin_client.post(url, {**_change_form_data(page), "_fsm_transition_to": "start_execution"}, follow=True)

    project.refresh_from_db()
    assert project.phase == Phase.PLANNING
    assert [str(m) for m in response.context["messages"]][-1].startswith("未通过阶段门，尚缺：需求确认单")
