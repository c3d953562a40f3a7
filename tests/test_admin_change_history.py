"""Changes of data scopes, accounts, groups and the campaign keep their old → new values, shown on
the admin's history pages; password hashes and logins are no part of that history."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from phases.models import Campaign
from schools.models import Scope
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("admin", password="yq-admin-2013")
    client.force_login(user)
    return user


def changes(record, earlier):
    """{field: (old, new)} between two history records; many-to-many values as sets of ids."""
    found = {}
    for change in record.diff_against(earlier).changes:
        old, new = change.old, change.new
        if isinstance(old, list):
            name = record.instance._meta.get_field(change.field).m2m_reverse_field_name()
            old, new = {row[name] for row in old}, {row[name] for row in new}
        found[change.field] = (old, new)
    return found


def test_changing_a_scopes_regions_in_the_admin_keeps_the_old_and_new_regions(client, superuser):
    liushi = f.town()
    hongqiao = f.town(code="330382108", name="虹桥镇")
    clerk = User.objects.create_user("town", password="yq-town-2013")
    scope = Scope.objects.create(user=clerk)
    scope.regions.add(liushi)
    before = scope.history.latest()

    url = reverse("admin:schools_scope_change", args=[scope.pk])
    response = client.post(url, {"user": clerk.pk, "regions": [hongqiao.pk]})

    assert response.status_code == 302
    latest = scope.history.latest()
    assert scope.history.count() == 3  # created, its region added, this one save
    assert changes(latest, before) == {"regions": ({liushi.pk}, {hongqiao.pk})}
    assert latest.history_user == superuser
    page = client.get(reverse("admin:schools_scope_history", args=[scope.pk])).content.decode()
    assert "柳市镇" in page and "虹桥镇" in page


def test_changing_a_users_groups_keeps_old_and_new_groups_but_never_the_password(client, superuser):
    reviewers = Group.objects.create(name="审核员")
    towns = Group.objects.create(name="镇街联络员")
    user = User.objects.create_user("wang", password="yq-wang-2013", is_staff=True)
    user.groups.add(towns)
    before = user.history.latest()

    url = reverse("admin:auth_user_change", args=[user.pk])
    data = {
        "username": "wang",
        "is_active": "on",
        "is_staff": "on",
        "groups": [reviewers.pk],
        "date_joined_0": "2013-01-01",
        "date_joined_1": "08:00:00",
    }
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert changes(user.history.latest(), before)["groups"] == ({towns.pk}, {reviewers.pk})
    field_names = {field.name for field in User.history.model._meta.get_fields()}
    assert "password" not in field_names and "last_login" not in field_names
    assert client.get(reverse("admin:auth_user_history", args=[user.pk])).status_code == 200


def test_a_login_adds_nothing_to_an_accounts_history():
    user = User.objects.create_user("wang", password="yq-wang-2013")
    recorded = user.history.count()

    response = Client().post(reverse("login"), {"username": "wang", "password": "yq-wang-2013"})

    assert response.status_code == 302

    user.refresh_from_db()
    assert user.last_login is not None and user.history.count() == recorded


def test_a_groups_permissions_are_kept_old_and_new(client, superuser):
    group = Group.objects.create(name="审核员")
    before = group.history.latest()
    permission = Permission.objects.get(codename="view_school")

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "审核员", "permissions": [permission.pk]},
    )

    assert response.status_code == 302
    assert changes(group.history.latest(), before) == {"permissions": (set(), {permission.pk})}


def test_a_campaigns_change_in_the_admin_keeps_old_and_new_values(client, superuser):
    school_standard = f.standard("t-basic")
    balance = f.standard("t-balance", kind="balance", unit="county")
    campaign = Campaign.objects.create(
        name="创建工作",
        region=f.county(),
        standard=school_standard,
        balance_standard=balance,
        baseline_year=2012,
        evaluation_year=2013,
    )
    before = campaign.history.latest()

    data = {
        "name": "创建工作",
        "region": campaign.region_id,
        "standard": school_standard.pk,
        "balance_standard": balance.pk,
        "baseline_year": 2012,
        "evaluation_year": 2014,
        "is_current": "on",
        "min_failed_items": 2,
        "severe_min_failed": 3,
        "severe_if_facility_gap": "on",
        "phases-TOTAL_FORMS": 0,
        "phases-INITIAL_FORMS": 0,
        "leadership-TOTAL_FORMS": 0,
        "leadership-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:phases_campaign_change", args=[campaign.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert changes(campaign.history.latest(), before) == {"evaluation_year": (2013, 2014)}
    assert campaign.history.latest().history_user == superuser
