"""The signer's credentials (SPEC §3), checked the same way on every signing page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.enums import StepUpPurpose
from accounts.stepup import StepUpRefused, stepup_verify
from delivery.people import display_name


class SignatureRefused(ValidationError):
    pass


def signature_credentials_check(
    *, user, typed_name: str, password: str, consent: bool, consent_message: str, meta=None, project=None
) -> str:
    """SPEC §3: a signature needs explicit consent, the typed full name of the account and a fresh
    step-up check (password, or the e-mailed code where the organisation chose it; wrong answers
    lock signing, see accounts.stepup). Raises SignatureRefused with a message per field; used by
    every signing page. Returns the step-up method, for the signature's record."""
    errors = {}
    if not consent:
        errors["consent"] = consent_message
    if (typed_name or "").strip() != display_name(user):
        errors["typed_name"] = _("Type your full name exactly as in your account: %(name)s.") % {
            "name": display_name(user)
        }
    try:
        method = stepup_verify(user=user, purpose=StepUpPurpose.SIGN, answer=password, origin=meta, project=project)
    except StepUpRefused as refused:
        errors["password"] = refused.messages
    if errors:
        raise SignatureRefused(errors)
    return method
