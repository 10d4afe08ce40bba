from __future__ import annotations

from celery import shared_task

from delivery.effects import effect_task

from .emails import invitation_email_build, stepup_code_email_build
from .models import Invitation, OneTimeCode
from .services import invitation_mark_sent, invitation_prepare
from .stepup import stepup_code_issue, stepup_code_release


@shared_task(name="accounts.invitation_send", bind=True, max_retries=5, default_retry_delay=60)
@effect_task
def invitation_send_task(self, *, invitation_id: int) -> bool:
    """E-mail the invitation, at least once: marked sent only after the mail server accepted it;
    a resend after a crash carries the same link and Message-ID. A sent invitation is not resent."""
    invitation = Invitation.objects.select_related("user__profile", "invited_by").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    token = invitation_prepare(invitation=invitation)
    if token is None:
        return False
    try:
        invitation_email_build(invitation=invitation, token=token).send()
    except OSError as exc:  # the mail server is unreachable: the retry sends the same link
        raise self.retry(exc=exc) from exc
    invitation_mark_sent(invitation=invitation)
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
