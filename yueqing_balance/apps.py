"""Third-party apps under Chinese names in the admin's index (their own names are English)."""

import axes.apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes.apps.AppConfig):
    verbose_name = _("登录失败记录")
