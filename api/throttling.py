"""Rate limits per token (API_RATE_LIMIT, e.g. "1000/hour"), per user for browser sessions."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from .models import PersonalAccessToken


class PerTokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, PersonalAccessToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
