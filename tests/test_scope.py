"""Scope: each role sees the schools of its region subtree or its own schools, on every page;
anything else answers 404 as if it did not exist."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from schools.models import AnnualReport, Region, Scope
from schools.roles import ROLES
from schools.services import roles_sync
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

IN, OUT = "3303820001", "3303820002"


@pytest.fixture
def city():
    county = f.county()
    prefecture = Region.objects.create(code="330300", name="温州市", kind="prefecture")
    county.parent = prefecture
    county.save()
    liushi = f.town(county, "330382114", "柳市镇")
    hongqiao = f.town(county, "330382108", "虹桥镇")
    inside = f.school(IN, region=liushi, name="柳市一小")
    outside = f.school(OUT, region=hongqiao, name="虹桥一小")
    for school in (inside, outside):
        f.report(school, students_primary=100, classes_primary=4, teachers_primary=5, computers=5)
    std = f.standard("t-basic")
    f.indicator(std, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(std, max_failed=0)
    compliance_recompute()
    return {"county": county, "prefecture": prefecture, "liushi": liushi, "inside": inside}


def login(client, role, regions=(), schools=()):
    groups = roles_sync()
    user = User.objects.create_user(role, password=f"yq-{role}-2013", is_staff=True)
    user.groups.add(groups[role])
    if regions or schools:
        scope = Scope.objects.create(user=user)
        scope.regions.add(*regions)
        scope.schools.add(*schools)
    client.force_login(user)
    return client


def scopes(city):
    return {
        "reviewer": {"regions": [city["county"]]},
        "clerk": {"schools": [city["inside"]]},
        "town": {"regions": [city["liushi"]]},
        "leader": {"regions": [city["county"]]},
        "inspector": {"regions": [city["prefecture"]]},
    }


# role → (status of the school inside the scope, status of the other school)
EXPECTED = {
    "admin": (200, 200),
    "reviewer": (200, 200),
    "clerk": (200, 404),
    "town": (200, 404),
    "leader": (200, 200),
    "inspector": (200, 200),
}


@pytest.mark.parametrize("role", [role.key for role in ROLES])
def test_school_page_by_role_in_and_out_of_scope(client, city, role):
    login(client, role, **scopes(city).get(role, {}))
    got = tuple(client.get(reverse("dashboard:school", args=[code])).status_code for code in (IN, OUT))
    assert got == EXPECTED[role]


@pytest.mark.parametrize("role", [role.key for role in ROLES])
def test_admin_report_page_by_role_in_and_out_of_scope(client, city, role):
    login(client, role, **scopes(city).get(role, {}))
    got = tuple(
        client.get(
            reverse(
                "admin:schools_annualreport_change", args=[AnnualReport.objects.get(school__code=code).pk]
            )
        ).status_code
        for code in (IN, OUT)
    )
    assert got == EXPECTED[role]


def test_a_user_without_scope_sees_no_school(client, city):
    client.force_login(User.objects.create_user("nobody", password="yq-nobody-2013"))
    assert client.get(reverse("dashboard:school", args=[IN])).status_code == 404
    assert "共 0 条" in client.get(reverse("dashboard:compliance") + "?failed=").content.decode()


def test_lists_and_search_leave_out_other_schools(client, city):
    login(client, "town", regions=[city["liushi"]])
    page = client.get(reverse("dashboard:compliance") + "?failed=").content.decode()
    assert "柳市一小" in page and "虹桥一小" not in page
    page = client.get(reverse("admin:schools_school_changelist") + f"?q={OUT}").content.decode()
    assert "虹桥一小" not in page
    page = client.get(reverse("admin:standards_compliancesummary_changelist")).content.decode()
    assert IN in page and OUT not in page


def test_users_seeing_a_school_are_those_whose_scope_holds_it_and_the_bureau_wide():
    """Who may own a plan at a school: its own scope, a region above it, or a group holding
    schools.access_all_schools; not a user scoped elsewhere, nor an inactive one."""
    from django.contrib.auth.models import Group, Permission, User

    from schools.access import users_seeing
    from schools.services import scope_set
    from tests import factories as f

    county = f.county()
    liushi = f.town(county, "330382100", "柳市镇")
    hongqiao = f.town(county, "330382200", "虹桥镇")
    school = f.school("3303820901", region=liushi)
    other = f.school("3303820902", region=hongqiao)
    users = {
        name: User.objects.create_user(name)
        for name in ("own", "town", "county", "elsewhere", "bureau", "gone")
    }
    scope_set(user=users["own"], schools=[school])
    scope_set(user=users["town"], regions=[liushi])
    scope_set(user=users["county"], regions=[county])
    scope_set(user=users["elsewhere"], schools=[other])
    scope_set(user=users["gone"], schools=[school])
    users["gone"].is_active = False
    users["gone"].save()
    group = Group.objects.create(name="局")
    group.permissions.add(
        Permission.objects.get(codename="access_all_schools", content_type__app_label="schools")
    )
    users["bureau"].groups.add(group)
    assert list(users_seeing(school).values_list("username", flat=True)) == [
        "bureau",
        "county",
        "own",
        "town",
    ]
