from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocTemplatesConfig(AppConfig):
    """Customised document templates both sides agreed (the manual: "the vendor's standard template
    or a customised template both sides agreed"), per customer organisation or project."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "doctemplates"
    verbose_name = _("Document templates")
