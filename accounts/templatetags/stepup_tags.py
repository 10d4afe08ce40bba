from __future__ import annotations

from django import template

from ..enums import StepUpMethod, StepUpPurpose
from ..stepup import stepup_method_for

register = template.Library()


@register.inclusion_tag("accounts/_stepup_code_button.html", takes_context=True)
def stepup_code_button(context, purpose: str = StepUpPurpose.SIGN) -> dict:
    """A "send me a code" button, for people whose organisation uses e-mailed codes (SPEC §3)."""
    request = context["request"]
    return {
        "show": stepup_method_for(request.user) == StepUpMethod.EMAIL_CODE,
        "purpose": purpose,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
