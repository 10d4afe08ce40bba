"""Schemathesis against the OpenAPI schema on a real server (pytest-django's live server), with
bounded examples: no server errors, no response that contradicts the schema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.services import token_create
from changes.tests.factories import ChangeRequestFactory
from projects.tests.factories import ProjectFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ST = Path(sys.executable).with_name("st")
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, settings, certificate, tmp_path):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/hour"}}
    from rest_framework.settings import api_settings

    from api.throttling import PerTokenRateThrottle

    api_settings.reload()
    PerTokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    project = ProjectFactory(code="HX-ST-001")
    # A letter row without its PDF: nothing is rendered in this (possibly event-loop-owning) thread.
    ChangeRequestFactory(project=project)
    _token, raw = token_create(user=project.customer_lead, name="schemathesis")
    try:
        result = subprocess.run(
            [
                str(ST),
                "run",
                f"{live_server.url}/api/schema/",
                "--checks",
                CHECKS,
                "--max-examples",
                os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"),
                "--seed",
                "17",
                "--phases",
                "examples,coverage,fuzzing",
                "--header",
                f"Authorization: Bearer {raw}",
                "--request-timeout",
                "30",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    finally:
        api_settings.reload()
        PerTokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    summary = result.stdout[-6000:]
    assert result.returncode == 0, summary
