"""A deliverable version's PDF from its customised template (the hook documents.rendering calls)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import DeliverableVersion

from .models import CustomTemplate
from .sandbox import CustomPage, render_custom_page
from .services import template_record_use

logger = logging.getLogger(__name__)


def _with_template_line(context: dict, template: CustomTemplate) -> dict:
    """The PDF's own audit trail says which template made it and who agreed to it."""
    line = {
        "at": timezone.localtime(),
        "label": _("Rendered from the customised template %(template)s") % {"template": template.label},
        "by": "",
        "ip": "",
        "user_agent": "",
        "comment": _("Agreed by %(name)s on %(date)s.")
        % {"name": template.agreed_by, "date": template.agreed_on.isoformat()},
    }
    return {**context, "audit_events": [*context["audit_events"], line]}


def version_custom_page(
    *, template: CustomTemplate, version: DeliverableVersion, context: dict, record: bool
) -> CustomPage | None:
    """The page of ``version`` from ``template``, with the same context as the standard one; the
    sealing app renders and seals it like the standard template (documents.rendering).

    None when the template fails on this version's real content: the caller renders the standard
    template instead, so a customised template never stops a signed document from being sealed.
    ``record`` (the sealed PDF, not a preview) writes the outcome into the template's trail.
    """
    try:
        page = render_custom_page(
            html=template.html, css=template.css, label=template.label, context=_with_template_line(context, template)
        )
    except Exception as exc:
        logger.exception("Customised template %s failed on version %s", template.pk, version.pk)
        if record:
            template_record_use(template=template, version=version, failure=str(exc) or exc.__class__.__name__)
        return None
    if record:
        template_record_use(template=template, version=version)
    return page
