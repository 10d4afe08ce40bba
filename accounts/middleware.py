from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .sessions import user_session_touch
from .stepup import run_after_request_effects


class SessionIdleMiddleware:
    """Signed-in sessions end after SESSION_IDLE_HOURS without a request (accounts.sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            user_session_touch(request)
        return self.get_response(request)


class StepUpEffectsMiddleware:
    """Writes a step-up lockout's records once the view's transactions are over (accounts.stepup)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return run_after_request_effects(self.get_response, request)
