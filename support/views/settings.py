"""The support settings page: the technical director (or an administrator) ticks each person's
support roles on one screen per person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.enums import OrganizationKind
from delivery.forms import form_add_service_error

from .. import services
from ..enums import SupportRoleKind
from ..forms import SupportRolesForm
from ..selectors import role_granters, vendor_people_with_roles

User = get_user_model()


def role_needed(request: HttpRequest, *roles: str) -> HttpResponse:
    """403 that says which role the page needs and who grants it (instead of a bare "forbidden")."""
    context = {
        "roles": [SupportRoleKind(role).label for role in roles],
        "granters": role_granters(),
    }
    return render(request, "support/role_needed.html", context, status=403)


@login_required
def role_settings(request: HttpRequest) -> HttpResponse:
    if not services.user_can_grant_roles(request.user):
        return role_needed(request, SupportRoleKind.TECHNICAL_DIRECTOR)
    return render(request, "support/role_settings.html", {"people": vendor_people_with_roles()})


@login_required
def role_person(request: HttpRequest, user_id: int) -> HttpResponse:
    if not services.user_can_grant_roles(request.user):
        return role_needed(request, SupportRoleKind.TECHNICAL_DIRECTOR)
    person = get_object_or_404(
        User.objects.select_related("profile__organization"),
        pk=user_id,
        is_active=True,
        profile__organization__kind=OrganizationKind.VENDOR,
    )
    current = list(person.support_roles.values_list("role", flat=True))
    form = SupportRolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.support_roles_set(user=request.user, person=person, roles=form.cleaned_data["roles"])
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Support roles saved."))
            return redirect("support:roles")
    return render(request, "support/role_person.html", {"person": person, "form": form})
