from django.db import models
from django.utils.translation import gettext_lazy as _

# Members of this group see every vendor project (SPEC §7, projects issue "Access").
VENDOR_MANAGERS_GROUP = "vendor_managers"


class OrganizationKind(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    CUSTOMER = "customer", _("Customer")
