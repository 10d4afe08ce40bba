from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .selectors import invitation_get_by_token
from .services import invitation_accept as invitation_accept_service
from .services import invitation_renew as invitation_renew_service


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
