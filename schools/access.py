"""Who may see which schools and reports: the one place every list, page and export asks.

An object outside the user's scope answers 404 (its existence is not revealed); an action the
user's role does not allow answers 403.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from schools.counties import counties_in
from schools.models import AnnualReport, Region, School, Scope

# Held by superusers and the bureau administrator role ("*.*"), by no read-only role.
ACCESS_ALL_SCHOOLS = "schools.access_all_schools"
ALL_SCHOOLS = ACCESS_ALL_SCHOOLS.split(".")[1]


def is_bureau_wide(user):
    """Whether `user` sees every school, whatever their scope."""
    return user.has_perm(ACCESS_ALL_SCHOOLS)


def visible_region_ids(user):
    """Ids of the regions whose schools `user` sees in full; None for a bureau-wide user."""
    if is_bureau_wide(user):
        return None
    scope = Scope.objects.filter(user_id=user.pk).prefetch_related("regions").first() if user.pk else None
    region_ids = set()
    for region in scope.regions.all() if scope else ():
        region_ids.update(Region.objects.subtree_ids(region))
    return region_ids


def visible_schools(user):
    """The schools `user` may see (a queryset)."""
    region_ids = visible_region_ids(user)
    if region_ids is None:
        return School.objects.all()
    return School.objects.filter(
        Q(region_id__in=region_ids)
        | Q(pk__in=Scope.schools.through.objects.filter(scope__user_id=user.pk).values("school_id"))
    )


def visible_reports(user):
    return AnnualReport.objects.filter(school__in=visible_schools(user))


def school_for(user, code):
    """The school with `code` if `user` may see it; Http404 otherwise."""
    school = visible_schools(user).filter(code=code).select_related("region", "parent", "merged_into").first()
    if school is None:
        raise Http404
    return school


def visible_counties(user):
    """The counties `user` sees whole (their scope holds the county or a region above it; every
    county for a bureau-wide user), with their parents, by code. A scope of towns or schools
    holds no county."""
    return counties_in(visible_region_ids(user))


def county_for(user, code):
    """The county with `code` if `user` sees it whole; Http404 otherwise."""
    county = visible_counties(user).filter(code=code).first()
    if county is None:
        raise Http404
    return county


def require(user, *permissions):
    """PermissionDenied (403) unless `user` holds every one of `permissions`."""
    if not user.has_perms(permissions):
        raise PermissionDenied(_("您没有此项操作的权限。"))


def users_seeing(school):
    """Active users whose data scope holds `school` (the school itself, or its region or one
    above it), and those who see every school; by username."""
    parents = dict(Region.objects.values_list("pk", "parent_id"))
    regions, region = [], school.region_id
    while region is not None and region not in regions:
        regions.append(region)
        region = parents.get(region)
    everywhere = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename=ALL_SCHOOLS, groups__permissions__content_type__app_label="schools")
        | Q(user_permissions__codename=ALL_SCHOOLS, user_permissions__content_type__app_label="schools")
    )
    scoped = Q(scope__schools=school) | Q(scope__regions__in=regions)
    users = get_user_model().objects.filter(everywhere | scoped, is_active=True)
    return get_user_model().objects.filter(pk__in=users.values("pk")).order_by("username")
