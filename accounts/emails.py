from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from delivery.mail import stable_message_id
from delivery.people import display_name

from .models import Invitation, OneTimeCode
from .services import invitation_link


def invitation_email_build(*, invitation: Invitation, token: str) -> EmailMultiAlternatives:
    """The invitation in the invited person's language (Chinese unless their profile says otherwise)."""
    user = invitation.user
    profile = getattr(user, "profile", None)
    with translation.override(getattr(profile, "language", None) or settings.LANGUAGE_CODE):
        inviter = invitation.invited_by
        context = {
            "name": display_name(user),
            "username": user.get_username(),
            "inviter": display_name(inviter),
            "link": invitation_link(token=token),
            "expires_at": invitation.expires_at,
            "product_name": settings.SITE_NAME,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        text = render_to_string("accounts/email/invitation_body.txt", context)
        html = render_to_string("accounts/email/invitation_body.html", context)
    message_id = stable_message_id(kind="invitation", pk=invitation.pk, created_at=invitation.created_at)
    email = EmailMultiAlternatives(subject=subject, body=text, to=[user.email], headers={"Message-ID": message_id})
    email.attach_alternative(html, "text/html")
    return email


def stepup_code_email_build(*, code: OneTimeCode, digits: str) -> EmailMessage:
    """The one-time code in the person's language; it is the only place the digits appear."""
    user = code.user
    profile = getattr(user, "profile", None)
    with translation.override(getattr(profile, "language", None) or settings.LANGUAGE_CODE):
        context = {
            "name": display_name(user),
            "purpose": code.get_purpose_display(),
            "code": digits,
            "expires_at": code.expires_at,
            "product_name": settings.SITE_NAME,
        }
        subject = render_to_string("accounts/email/stepup_code_subject.txt", context).strip()
        text = render_to_string("accounts/email/stepup_code_body.txt", context)
    return EmailMessage(subject=subject, body=text, to=[user.email])
