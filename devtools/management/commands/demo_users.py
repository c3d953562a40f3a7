import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from phases.models import Gap
from schools.models import Region, School
from schools.roles import ROLES
from schools.services import demo_user_sync, roles_sync, scope_set

# What each demo user sees: the county, one town, one school, or the whole prefecture.
COUNTY, TOWN, PREFECTURE = "330382", "柳市镇", "330300"


def demo_scopes():
    county = list(Region.objects.filter(code=COUNTY))
    town = list(Region.objects.filter(name=TOWN))
    schools = School.objects.filter(region__in=town, teaching_point=False).order_by("code")
    # The clerk's school is one the campaign tracks with gaps still open, when there is one: the
    # clerk then has work.
    tracked = schools.filter(
        tracked__campaign__is_current=True, tracked__gaps__status__in=Gap.UNRESOLVED
    ).distinct()
    school = list((tracked if tracked.exists() else schools)[:1])
    return {
        "reviewer": {"regions": county},
        "clerk": {"schools": school},
        "town": {"regions": town},
        "leader": {"regions": county},
        "inspector": {"regions": list(Region.objects.filter(code=PREFECTURE))},
    }


def demo_password(role):
    return f"yq-{role.key}-2013"


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (
        "Create or update the role groups and one demo user per role (username = role key), "
        "reset their passwords to fixed demo passwords and print them. For demonstrations only: "
        "refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Do everything, then roll back.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if not settings.DEBUG:
            raise CommandError("demo_users sets well-known passwords; it only runs with DJANGO_DEBUG=1.")
        rows = [("角色", "用户名", "密码")]
        with transaction.atomic():
            groups = roles_sync()
            scopes = demo_scopes()
            for role in ROLES:
                password = demo_password(role)
                try:
                    user = demo_user_sync(role=role, group=groups[role.key], password=password)
                except ValidationError as exc:
                    raise CommandError(f"Demo password of {role.key}: {' '.join(exc.messages)}") from exc
                if role.key in scopes:
                    scope_set(user=user, **scopes[role.key])
                rows.append((role.group_name, role.key, password))
            if dry_run:
                transaction.set_rollback(True)
        if verbosity >= 1:
            widths = [max(_width(row[i]) for row in rows) for i in range(3)]
            for row in rows:
                self.stdout.write(
                    "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
                )
            if dry_run:
                self.stdout.write("(dry run: nothing was saved)")
