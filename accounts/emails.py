from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .models import Invitation
from .services import invitation_link


def invitation_email_build(*, invitation: Invitation, token: str) -> EmailMultiAlternatives:
    """The invitation in the invited person's language (Chinese unless their profile says otherwise)."""
    user = invitation.user
    profile = getattr(user, "profile", None)
    with translation.override(getattr(profile, "language", None) or settings.LANGUAGE_CODE):
        inviter = invitation.invited_by
        context = {
            "name": user.get_full_name() or user.get_username(),
            "username": user.get_username(),
            "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
            "link": invitation_link(token=token),
            "expires_at": invitation.expires_at,
            "product_name": settings.SITE_NAME,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        text = render_to_string("accounts/email/invitation_body.txt", context)
        html = render_to_string("accounts/email/invitation_body.html", context)
    email = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    email.attach_alternative(html, "text/html")
    return email
