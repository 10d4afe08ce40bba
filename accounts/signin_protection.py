"""django-axes under a translated name in the admin (its own catalogue has no Chinese).

Kept out of accounts/apps.py: a second AppConfig there would stop Django from choosing
AccountsConfig as the accounts app's default configuration.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class SignInProtectionConfig(AxesAppConfig):
    verbose_name = _("Sign-in protection")
