from __future__ import annotations

from celery import shared_task

from .emails import invitation_email_build
from .models import Invitation
from .services import invitation_issue_token, invitation_release


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
