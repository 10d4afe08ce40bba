from django.db import models
from django.utils.translation import gettext_lazy as _

DOCUMENT_TYPE = "dossier-manifest"


class DossierState(models.TextChoices):
    PENDING = "pending", _("Waiting to be built")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
