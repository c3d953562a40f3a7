"""Roles are told apart by the permissions their groups hold, never by the groups' names: a group
renamed in the admin keeps its rights, and a group that merely carries a role's name gains none."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from reporting.permissions import EDIT, REVIEW, allows
from schools.access import visible_schools
from schools.models import Scope
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

LIUSHI_SCHOOL, HONGQIAO_SCHOOL = "3303820001", "3303820002"


@pytest.fixture
def two_towns():
    county = f.county()
    liushi = f.town(county, "330382114", "柳市镇")
    hongqiao = f.town(county, "330382108", "虹桥镇")
    f.school(LIUSHI_SCHOOL, region=liushi)
    f.school(HONGQIAO_SCHOOL, region=hongqiao)
    return {"liushi": liushi}


def user_in_group(name, *permissions, regions=()):
    group = Group.objects.create(name=name)
    for permission in permissions:
        app_label, codename = permission.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = User.objects.create_user(f"u-{name}", is_staff=True)
    user.groups.add(group)
    Scope.objects.create(user=user).regions.set(regions)
    return User.objects.get(pk=user.pk)  # a fresh object: no permission cache from before the grants


def codes(user):
    return set(visible_schools(user).values_list("code", flat=True))


def test_a_group_named_like_the_administrators_without_the_permission_stays_in_its_scope(two_towns):
    user = user_in_group("局管理员", "schools.view_school", regions=[two_towns["liushi"]])
    assert codes(user) == {LIUSHI_SCHOOL}


def test_the_permission_to_see_all_schools_lifts_the_scope_whatever_the_group_is_called(two_towns):
    user = user_in_group("教育局信息中心", "schools.access_all_schools", regions=[two_towns["liushi"]])
    assert codes(user) == {LIUSHI_SCHOOL, HONGQIAO_SCHOOL}


def test_a_group_named_like_the_reviewers_without_the_permission_only_edits():
    user = user_in_group("审核员", "schools.view_annualreport", "schools.change_annualreport")
    assert allows(user, EDIT)
    assert not allows(user, REVIEW)


def test_the_review_permission_lets_a_group_of_any_name_review():
    user = user_in_group(
        "质量科", "schools.view_annualreport", "schools.change_annualreport", "schools.review_annualreport"
    )
    assert allows(user, REVIEW)


def test_only_the_administrator_role_sees_all_schools_and_only_it_and_reviewers_review():
    groups = roles_sync()

    def holders(codename):
        return {key for key, group in groups.items() if group.permissions.filter(codename=codename).exists()}

    # The read-only roles hold "schools.view_*": the permission must not be caught by that pattern.
    assert holders("access_all_schools") == {"admin"}
    assert holders("review_annualreport") == {"admin", "reviewer"}
