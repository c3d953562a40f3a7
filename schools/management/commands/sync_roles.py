from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from schools.services import roles_sync


class Command(BaseCommand):
    help = (
        "Create or update the bureau's role groups so that each holds exactly its permissions (idempotent)."
    )

    def handle(self, *args, verbosity=1, **options):
        groups = roles_sync()
        if verbosity >= 1:
            for group in groups.values():
                self.stdout.write(
                    _("%(group)s：%(n)s 项权限") % {"group": group.name, "n": group.permissions.count()}
                )
