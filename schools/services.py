"""Writes that keep the bureau's roles (`schools.roles`) in step with Django's groups."""

from fnmatch import fnmatchcase

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from schools.models import Scope
from schools.roles import ADMIN, ROLES


@transaction.atomic
def roles_sync(*, roles=ROLES):
    """Create or update one group per role so that it holds exactly the role's permissions.

    Idempotent; permissions granted to these groups by hand are removed, other groups are left
    alone. Raises ValueError when a role names a permission that does not exist (a renamed model
    or a typo), rather than quietly granting less. Returns {role.key: Group}.
    """
    # The permission table is small (four rows per model): read it once and match in Python.
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    groups = {}
    for role in roles:
        granted = set()
        for pattern in role.permissions:
            matched = {perm for name, perm in by_name.items() if fnmatchcase(name, pattern)}
            if not matched:
                raise ValueError(f"Role {role.key!r}: no permission matches {pattern!r}.")
            granted |= matched
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set(granted)
        groups[role.key] = group
    return groups


@transaction.atomic
def demo_user_sync(*, role, group, password):
    """Create or update the demo account for `role` (username = role key): staff, active, in
    `group` only, superuser only for the administrator role, with `password` set and an e-mail
    address at demo.invalid unless it has one.

    Raises ValidationError when `password` fails the configured password validators.
    """
    user, _created = get_user_model().objects.get_or_create(username=role.key)
    user.first_name = role.group_name
    # A reserved domain: the demo's reminders show in the console and can never reach anyone.
    user.email = user.email or f"{role.key}@demo.invalid"
    user.is_active = True
    user.is_staff = True
    user.is_superuser = role == ADMIN
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.set([group])
    return user


@transaction.atomic
def scope_set(*, user, regions=(), schools=()):
    """Give `user` exactly these region subtrees and schools to see."""
    scope, _created = Scope.objects.get_or_create(user=user)
    scope.regions.set(regions)
    scope.schools.set(schools)
    return scope
