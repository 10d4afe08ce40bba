from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from api.models import PersonalAccessToken
from api.selectors import token_fingerprint
from api.services import token_create, token_revoke
from deadlines.calendar import TZ

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"


def _client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.cookies["django_language"] = "en"
    return client


def test_token_create_stores_only_the_fingerprint():
    user = UserFactory()
    token, raw = token_create(user=user, name="周报脚本")
    assert raw.startswith("dlv_")
    assert token.token_sha256 == token_fingerprint(raw)
    assert token.prefix == raw[:12]
    stored = PersonalAccessToken.objects.filter(pk=token.pk).values().get()
    assert raw not in [str(value) for value in stored.values()]


def test_token_create_without_name_is_refused_and_nothing_stored():
    user = UserFactory()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        token_create(user=user, name="  ")
    assert error.value.message_dict == {"name": ["请按使用场景为令牌命名。"]}
    assert PersonalAccessToken.objects.count() == 0


@time_machine.travel(datetime.datetime(2026, 5, 6, 10, 0, tzinfo=TZ), tick=False)
def test_token_create_with_past_expiry_is_refused():
    user = UserFactory()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        token_create(user=user, name="x", expires_on=datetime.date(2026, 5, 5))
    assert error.value.message_dict == {"expires_on": ["到期日已经过去。"]}
    assert PersonalAccessToken.objects.count() == 0


def test_token_authenticates_and_records_use():
    user = UserFactory()
    token, raw = token_create(user=user, name="x")
    response = _client(raw).get(PROJECTS)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_revoked_is_refused():
    user = UserFactory()
    token, raw = token_create(user=user, name="x")
    token_revoke(token=token, user=user)
    response = _client(raw).get(PROJECTS)
    assert response.status_code == 401
    assert response.json() == {"detail": "The token has been revoked."}


def test_token_revoke_by_someone_else_is_refused_and_token_still_works():
    owner = UserFactory()
    token, raw = token_create(user=owner, name="x")
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, user=UserFactory())
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _client(raw).get(PROJECTS).status_code == 200


def test_token_expired_is_refused():
    user = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 5, 6, 10, 0, tzinfo=TZ), tick=False):
        _token, raw = token_create(user=user, name="x", expires_on=datetime.date(2026, 5, 6))
        assert _client(raw).get(PROJECTS).status_code == 200
    # Valid up to 24:00 of the expiry day (Asia/Shanghai), refused after.
    with time_machine.travel(datetime.datetime(2026, 5, 6, 23, 59, tzinfo=TZ), tick=False):
        assert _client(raw).get(PROJECTS).status_code == 200
    with time_machine.travel(datetime.datetime(2026, 5, 7, 0, 0, tzinfo=TZ), tick=False):
        response = _client(raw).get(PROJECTS)
    assert response.status_code == 401
    assert response.json() == {"detail": "The token has expired."}


def test_unknown_token_is_refused():
    response = _client("dlv_nothing").get(PROJECTS)
    assert response.status_code == 401
    assert response.json() == {"detail": "The token is not valid."}


def test_no_credentials_is_401():
    response = APIClient().get(PROJECTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_token_of_disabled_user_is_refused():
    user = UserFactory()
    _token, raw = token_create(user=user, name="x")
    user.is_active = False
    user.save()
    response = _client(raw).get(PROJECTS)
    assert response.status_code == 401


def test_session_auth_works_for_the_browser(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(PROJECTS).status_code == 200


def test_rate_limit_per_token(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/hour"}}
    from rest_framework.settings import api_settings

    api_settings.reload()
    from api.throttling import PerTokenRateThrottle

    PerTokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        user = UserFactory()
        _t1, first = token_create(user=user, name="a")
        _t2, second = token_create(user=user, name="b")
        codes = [_client(first).get(PROJECTS).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        # Another token of the same user has its own budget.
        assert _client(second).get(PROJECTS).status_code == 200
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
        api_settings.reload()
        PerTokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


# --- the profile page --------------------------------------------------------------------------


def test_profile_creates_token_and_shows_it_once(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("profile:token_new"), {"name": "周报脚本", "expires_on": ""})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("dlv_")
    assert raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    page = client.get(reverse("profile:page")).content.decode()
    assert raw not in page
    assert raw[:12] in page


def test_profile_token_without_name_shows_the_error(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("profile:token_new"), {"name": ""})
    assert response.status_code == 400
    assert PersonalAccessToken.objects.count() == 0


def test_profile_revoke_someone_elses_token_is_404(client):
    owner = UserFactory()
    token, _raw = token_create(user=owner, name="x")
    client.force_login(UserFactory())
    response = client.post(reverse("profile:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_profile_revoke_own_token(client):
    owner = UserFactory()
    token, _raw = token_create(user=owner, name="x")
    client.force_login(owner)
    response = client.post(reverse("profile:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_profile_needs_login(client):
    response = client.get(reverse("profile:page"))
    assert response.status_code == 302
