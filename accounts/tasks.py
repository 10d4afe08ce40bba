from __future__ import annotations

from celery import shared_task

from delivery.effects import effect_task

from .emails import invitation_email_build, stepup_code_email_build
from .models import Invitation, OneTimeCode
from .services import invitation_issue_token, invitation_release
from .stepup import stepup_code_issue, stepup_code_release


@shared_task(name="accounts.invitation_send", bind=True, max_retries=5, default_retry_delay=60)
def invitation_send_task(self, *, invitation_id: int) -> bool:
    """Mint the invitation's token and e-mail it. Safe to run twice: the first run claims it."""
    invitation = Invitation.objects.select_related("user__profile", "invited_by").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    token = invitation_issue_token(invitation=invitation)
    if token is None:
        return False
    try:
        invitation_email_build(invitation=invitation, token=token).send()
    except OSError as exc:
        invitation_release(invitation=invitation)
        raise self.retry(exc=exc) from exc
    return True


@shared_task(name="accounts.stepup_code_send", bind=True, max_retries=3, default_retry_delay=30)
@effect_task
def stepup_code_send_task(self, *, code_id: int) -> bool:
    """Mint a one-time code and e-mail it. Safe to run twice: the first run claims it."""
    code = OneTimeCode.objects.select_related("user__profile").filter(pk=code_id).first()
    if code is None:
        return False
    digits = stepup_code_issue(code=code)
    if digits is None:
        return False
    try:
        stepup_code_email_build(code=code, digits=digits).send()
    except OSError as exc:
        stepup_code_release(code=code)
        raise self.retry(exc=exc) from exc
    return True
