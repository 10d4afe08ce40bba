"""Customised templates: upload (checked as signing will use it), activate, retire, record use.

Lifecycle: upload → draft (version n+1 of its scope) → activate (the scope's previous active
version is retired in the same transaction) → retired. Every step is a TemplateEvent.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from delivery.audit import RequestMeta
from documents.enums import SignerRole
from documents.models import DeliverableType, DeliverableVersion
from projects.models import Project

from .context import sample_context
from .enums import TemplateEventKind, TemplateState
from .models import CustomTemplate, TemplateEvent
from .sandbox import Problem, TemplateProblems, template_check
from .selectors import template_versions_in_scope

MANAGE_PERMISSION = "doctemplates.change_customtemplate"


def _require_manager(user: AbstractUser) -> None:
    if not (user.is_active and user.is_staff and user.has_perm(MANAGE_PERMISSION)):
        raise PermissionDenied(_("Only administrators may manage document templates."))


def _event(
    template: CustomTemplate,
    kind: str,
    *,
    actor=None,
    meta: RequestMeta | None = None,
    from_state: str = "",
    version: DeliverableVersion | None = None,
    comment: str = "",
) -> TemplateEvent:
    meta = meta or RequestMeta()
    return TemplateEvent.objects.create(
        template=template,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
        from_state=from_state,
        to_state=template.state,
        version=version,
        comment=comment,
    )


def extra_signer_problems(*, deliverable_type: DeliverableType, roles) -> list[Problem]:
    """Extra signers sign after the type's own: known roles, each once, none the type already has."""
    if not isinstance(roles, list) or any(not isinstance(role, str) for role in roles):
        return [
            Problem(
                "extra_signer_roles",
                _("List the extra signers' roles in order, each one of: %(roles)s.")
                % {"roles": ", ".join(SignerRole.values)},
            )
        ]
    problems = [
        Problem(
            "extra_signer_roles",
            _("%(role)s is not a signer role; use one of: %(roles)s.")
            % {"role": role, "roles": ", ".join(SignerRole.values)},
        )
        for role in roles
        if role not in SignerRole.values
    ]
    if len(set(roles)) != len(roles):
        problems.append(Problem("extra_signer_roles", _("A role can sign a deliverable only once.")))
    problems += [
        Problem(
            "extra_signer_roles",
            _("The %(role)s already signs this deliverable type.") % {"role": SignerRole(role).label.lower()},
        )
        for role in dict.fromkeys(roles)
        if role in deliverable_type.signer_roles
    ]
    return problems


def template_validate(
    *,
    deliverable_type: DeliverableType,
    html: str,
    css: str,
    organization=None,
    project=None,
    extra_signer_roles: list[str] | None = None,
) -> bytes:
    """Refuse a template that would not render at signing time; returns the trial PDF.

    Raises TemplateProblems (each with the field it is about and, from Django, the line).
    """
    if (organization is None) == (project is None):
        raise TemplateProblems(
            [Problem(None, _("Choose a customer organisation or a project: exactly one of the two."))]
        )
    problems = extra_signer_problems(deliverable_type=deliverable_type, roles=extra_signer_roles or [])
    if problems:
        raise TemplateProblems(problems)
    return template_check(html=html, css=css, context=sample_context(deliverable_type), label=_("trial render"))


@transaction.atomic
def template_upload(
    *,
    user: AbstractUser,
    deliverable_type: DeliverableType,
    name: str,
    html: str,
    css: str,
    agreed_by: str,
    agreed_on: datetime.date,
    agreement_note: str = "",
    organization: Organization | None = None,
    project: Project | None = None,
    extra_signer_roles: list[str] | None = None,
    meta: RequestMeta | None = None,
) -> CustomTemplate:
    """A new draft version in its scope, after the same checks signing would meet."""
    _require_manager(user)
    extra_signer_roles = list(extra_signer_roles or [])
    template_validate(
        deliverable_type=deliverable_type,
        html=html,
        css=css,
        organization=organization,
        project=project,
        extra_signer_roles=extra_signer_roles,
    )
    # Uploads for one deliverable type are numbered one at a time (the type's row is the lock).
    list(DeliverableType.objects.select_for_update().filter(pk=deliverable_type.pk).values_list("pk", flat=True))
    scope = CustomTemplate.objects.filter(deliverable_type=deliverable_type, organization=organization, project=project)
    number = (scope.aggregate(n=Max("number"))["n"] or 0) + 1
    template = CustomTemplate.objects.create(
        deliverable_type=deliverable_type,
        organization=organization,
        project=project,
        name=name,
        number=number,
        html=html,
        css=css,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
        agreement_note=agreement_note,
        extra_signer_roles=extra_signer_roles,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    _event(template, TemplateEventKind.UPLOADED, actor=user, meta=meta)
    return template


def _lock(template: CustomTemplate) -> CustomTemplate:
    return CustomTemplate.objects.select_for_update().select_related("deliverable_type").get(pk=template.pk)


@transaction.atomic
def template_activate(
    *, template: CustomTemplate, user: AbstractUser, meta: RequestMeta | None = None
) -> CustomTemplate:
    """Make a draft the template of its scope; the scope's active one (if any) is retired.

    The template is checked again: the standard context may have changed since the upload.
    """
    _require_manager(user)
    template = _lock(template)
    if template.state != TemplateState.DRAFT:
        raise PermissionDenied(_("Only a draft template can be activated."))
    template_validate(
        deliverable_type=template.deliverable_type,
        html=template.html,
        css=template.css,
        organization=template.organization,
        project=template.project,
    )
    now = timezone.now()
    for current in template_versions_in_scope(template).select_for_update().filter(state=TemplateState.ACTIVE):
        current.retire(at=now)
        current.save()
        _event(
            current,
            TemplateEventKind.RETIRED,
            actor=user,
            meta=meta,
            from_state=TemplateState.ACTIVE,
            comment=_("Replaced by version %(number)s.") % {"number": template.number},
        )
    template.activate(by=user, at=now)
    template.save()
    _event(template, TemplateEventKind.ACTIVATED, actor=user, meta=meta, from_state=TemplateState.DRAFT)
    return template


@transaction.atomic
def template_retire(*, template: CustomTemplate, user: AbstractUser, meta: RequestMeta | None = None) -> CustomTemplate:
    """Stop using a template (or drop a draft): its scope falls back to the next level."""
    _require_manager(user)
    template = _lock(template)
    if template.state == TemplateState.RETIRED:
        raise PermissionDenied(_("This template is already retired."))
    from_state = template.state
    template.retire(at=timezone.now())
    template.save()
    _event(template, TemplateEventKind.RETIRED, actor=user, meta=meta, from_state=from_state)
    return template


def template_record_use(*, template: CustomTemplate, version: DeliverableVersion, failure: str = "") -> None:
    """The version's sealed PDF came from ``template`` (or, with ``failure``, it could not).

    Recorded once per version and outcome: the render task may run more than once.
    """
    kind = TemplateEventKind.FAILED if failure else TemplateEventKind.USED
    TemplateEvent.objects.get_or_create(
        template=template,
        version=version,
        kind=kind,
        defaults={"at": timezone.now(), "to_state": template.state, "comment": failure[:2000]},
    )
