from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_builtin_rules(sender, using, apps=global_apps, **kwargs):
    """After migrate (with the migrated state's models) and after a flush (without them)."""
    from schools.services import builtin_rules_ensure

    try:
        model = apps.get_model("schools", "ReportRule")
    except LookupError:
        return  # not migrated that far
    builtin_rules_ensure(using=using, model=model)


class SchoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "schools"
    verbose_name = _("学校与年报")

    def ready(self):
        post_migrate.connect(_ensure_builtin_rules, sender=self)
