"""Who may see which schools and reports: the one place every list, page and export asks.

An object outside the user's scope answers 404 (its existence is not revealed); an action the
user's role does not allow answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from schools.models import AnnualReport, Region, School, Scope

# Held by superusers and the bureau administrator role ("*.*"), by no read-only role.
ACCESS_ALL_SCHOOLS = "schools.access_all_schools"


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


def require(user, *permissions):
    """PermissionDenied (403) unless `user` holds every one of `permissions`."""
    if not user.has_perms(permissions):
        raise PermissionDenied(_("您没有此项操作的权限。"))
