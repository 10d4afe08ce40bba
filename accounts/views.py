from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from delivery.ratelimit import rate_limit_exceeded

from .enums import StepUpPurpose
from .forms import StepUpPasswordChangeForm
from .selectors import invitation_get_by_token
from .services import invitation_accept as invitation_accept_service
from .services import invitation_renew as invitation_renew_service
from .services import password_reset_mail_allowed
from .sessions import user_session_track, user_sessions_end
from .stepup import Origin, stepup_code_request

logger = logging.getLogger(__name__)

# Per client address, on top of the per-address mail limit (accounts.services).
PASSWORD_RESETS_PER_CLIENT_HOUR = 10
# One-time codes a person may ask for in an hour (each is an e-mail).
STEPUP_CODES_PER_HOUR = 5


def login_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer while sign-in is paused. The same for every name typed, known or not."""
    message = _(
        "Too many failed sign-in attempts for this account or from your address. Sign-in is paused "
        "for %(minutes)d minutes; an administrator can lift the pause sooner."
    ) % {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    context = {"form": AuthenticationForm(request), "locked_out": message, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with limits: the page answers the same whether or not a mail went out."""

    extra_email_context = {"product_name": settings.SITE_NAME}

    def form_valid(self, form) -> HttpResponse:
        over_client_limit = rate_limit_exceeded(
            request=self.request, scope="password_reset", limit=PASSWORD_RESETS_PER_CLIENT_HOUR, window_seconds=3600
        )
        if over_client_limit or not password_reset_mail_allowed(email=form.cleaned_data["email"]):
            logger.warning("Password reset withheld: limit reached")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password signs out every other session of the account; wrong old passwords
    count to the step-up lock like any other password re-entry."""

    form_class = StepUpPasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session under a new key
        user_sessions_end(
            user=form.user,
            actor=form.user,
            keep_session_key=self.request.session.session_key,
            meta=Origin.from_request(self.request),
        )
        user_session_track(sender=None, request=self.request, user=form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A password set through the e-mailed link signs out every session of the account."""

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        user_sessions_end(user=form.user, actor=None, meta=Origin.from_request(self.request))
        return response


@login_required
@require_POST
def stepup_code_send(request: HttpRequest) -> HttpResponse:
    """E-mail a one-time code for the step-up the page asks for (SPEC §3)."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = settings.LOGIN_REDIRECT_URL
    purpose = request.POST.get("purpose")
    if purpose not in StepUpPurpose.values:
        purpose = StepUpPurpose.SIGN
    if rate_limit_exceeded(
        request=request, scope="stepup_code", key=str(request.user.pk), limit=STEPUP_CODES_PER_HOUR, window_seconds=3600
    ):
        messages.error(request, _("Too many codes were requested. Please wait a while and try again."))
        return redirect(next_url)
    stepup_code_request(user=request.user, purpose=purpose, origin=Origin.from_request(request))
    messages.success(
        request,
        _("A one-time code is on its way to %(email)s. It is valid for 10 minutes.") % {"email": request.user.email},
    )
    return redirect(next_url)


def _unusable_link(request: HttpRequest, *, state: str, token: str) -> HttpResponse:
    """An unknown, used or expired link says so and offers the way to a new one."""
    return render(request, "accounts/invitation_unusable.html", {"state": state, "token": token}, status=410)


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_get_by_token(token=token)
    if invitation is None:
        return _unusable_link(request, state="unknown", token=token)
    if invitation.used_at is not None:
        return _unusable_link(request, state="used", token=token)
    if invitation.is_expired(timezone.now()):
        return _unusable_link(request, state="expired", token=token)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept_service(invitation=invitation, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return _unusable_link(request, state="used", token=token)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set. Welcome!"))
        return redirect("dashboard")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited_user": invitation.user})


@never_cache
@require_POST
def invitation_renew(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_get_by_token(token=token)
    renewed = invitation_renew_service(invitation=invitation) if invitation is not None else None
    return render(request, "accounts/invitation_renewed.html", {"renewed": renewed is not None})
