from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sealing"
    verbose_name = _("Signed and sealed documents")
