from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    """The demo city and the benchmark: development tools on top of every other app (nothing
    imports them)."""

    name = "devtools"
    verbose_name = _("演示与性能测试")
