"""The API's lists cost the same number of queries whatever their length."""

from __future__ import annotations

import pytest

from api.tests.conftest import client_for
from changes.tests.factories import change_filed
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _count(client, url: str, django_assert_max_num_queries) -> int:
    client.get(url)  # the token's first use of the minute records it (one UPDATE)
    with django_assert_max_num_queries(50) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_project_list_queries_do_not_grow(django_assert_max_num_queries):
    first = ProjectFactory()
    client = client_for(first.vendor_pm)
    one = _count(client, "/api/v1/projects/", django_assert_max_num_queries)
    for _ in range(2):
        ProjectFactory(vendor_pm=first.vendor_pm)
    assert _count(client, "/api/v1/projects/", django_assert_max_num_queries) == one


def test_change_list_and_deadlines_queries_do_not_grow(django_assert_max_num_queries):
    project = ProjectFactory()
    change_filed(project)
    client = client_for(project.vendor_pm)
    changes = f"/api/v1/projects/{project.code}/changes/"
    deadlines = f"/api/v1/projects/{project.code}/deadlines/"
    counts = [_count(client, url, django_assert_max_num_queries) for url in (changes, deadlines, "/api/v1/deadlines/")]
    change_filed(project)
    change_filed(project)
    again = [_count(client, url, django_assert_max_num_queries) for url in (changes, deadlines, "/api/v1/deadlines/")]
    assert again == counts
