"""The role groups and the demo users that `make demo` prints."""

from io import StringIO

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.access import visible_schools
from schools.models import Region
from schools.services import roles_sync
from tests import factories as f

GROUP_NAMES = {"局管理员", "审核员", "学校填报员", "镇街联络员", "领导小组", "上级督导"}
USERNAMES = {"admin", "reviewer", "clerk", "town", "leader", "inspector"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_settings(settings):
    # pytest-django turns DEBUG off; the command only runs in a demo (DEBUG) setup.
    settings.DEBUG = True


def run_demo_users(*args):
    out = StringIO()
    call_command("demo_users", *args, stdout=out)
    return out.getvalue()


def printed_accounts(output):
    """{username: password} from the printed table "角色 用户名 密码"."""
    lines = output.strip().splitlines()
    assert lines[0].split() == ["角色", "用户名", "密码"]
    return {username: password for _role, username, password in (line.split() for line in lines[1:])}


def assert_logs_in(username, password):
    """Log in through the login page, as a person does (django-axes refuses Client.login(),
    which authenticates without a request)."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, username
    assert response.url == reverse("home"), username
    assert client.session[SESSION_KEY] == str(User.objects.get(username=username).pk), username


def group_permissions():
    return {
        group.name: set(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }


def test_demo_users_creates_the_six_role_groups():
    run_demo_users()

    assert set(Group.objects.values_list("name", flat=True)) == GROUP_NAMES


def test_demo_users_prints_one_account_per_role():
    accounts = printed_accounts(run_demo_users())

    assert set(accounts) == USERNAMES


def test_each_printed_user_can_log_in_with_the_printed_password():
    accounts = printed_accounts(run_demo_users())

    for username, password in accounts.items():
        assert_logs_in(username, password)


def test_running_twice_changes_nothing_but_resets_passwords():
    run_demo_users()
    before = group_permissions()
    clerk = User.objects.get(username="clerk")
    clerk.set_password("something-else-entirely")
    clerk.save()

    accounts = printed_accounts(run_demo_users())

    assert group_permissions() == before
    assert Group.objects.count() == 6
    assert User.objects.count() == 6
    assert_logs_in("clerk", accounts["clerk"])


def test_every_demo_user_has_an_address_that_reaches_nobody():
    """Reminders of the demo go to the console; the reserved .invalid domain never delivers."""
    run_demo_users()
    addresses = dict(User.objects.filter(username__in=USERNAMES).values_list("username", "email"))
    assert addresses == {name: f"{name}@demo.invalid" for name in USERNAMES}


def test_every_demo_user_is_staff_and_only_admin_is_superuser():
    run_demo_users()

    assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == USERNAMES
    assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == ["admin"]


def test_clerk_can_change_reports_but_not_standards():
    run_demo_users()
    clerk = User.objects.get(username="clerk")

    assert clerk.has_perm("schools.change_annualreport")
    assert clerk.has_perm("schools.add_annualreport")
    assert clerk.has_perm("schools.view_school")
    assert not clerk.has_perm("schools.change_school")
    assert not clerk.has_perm("standards.change_standard")
    assert not clerk.has_perm("schools.delete_annualreport")


def test_reviewer_can_change_schools_and_reports_and_only_view_standards_and_phases():
    run_demo_users()
    reviewer = User.objects.get(username="reviewer")

    assert reviewer.has_perm("schools.change_school")
    assert reviewer.has_perm("schools.change_annualreport")
    assert reviewer.has_perm("standards.view_standard")
    assert reviewer.has_perm("phases.view_campaign")
    assert not reviewer.has_perm("schools.add_school")
    assert not reviewer.has_perm("standards.change_threshold")
    assert not reviewer.has_perm("phases.change_task")


@pytest.mark.parametrize("username", ["town", "leader", "inspector"])
def test_read_only_roles_view_reports_and_results_and_change_nothing(username):
    run_demo_users()
    user = User.objects.get(username=username)

    for perm in [
        "schools.view_school",
        "schools.view_annualreport",
        "standards.view_compliancesummary",
        "phases.view_phase",
    ]:
        assert user.has_perm(perm), perm
    assert not user.has_perm("standards.view_threshold")
    assert all(perm.split(".", 1)[1].startswith("view_") for perm in user.get_all_permissions())


def test_admin_group_holds_every_permission():
    run_demo_users()

    assert Group.objects.get(name="局管理员").permissions.count() == Permission.objects.count()


def test_roles_sync_removes_permissions_granted_by_hand():
    roles_sync()
    reviewer = Group.objects.get(name="审核员")
    reviewer.permissions.add(
        Permission.objects.get(content_type__app_label="standards", codename="change_standard")
    )

    roles_sync()

    assert not reviewer.permissions.filter(codename="change_standard").exists()


def test_roles_sync_reads_the_permission_table_once():
    with CaptureQueriesContext(connection) as queries:
        roles_sync()

    # Reading a group's current permissions joins through auth_group_permissions; not a lookup.
    lookups = [
        q["sql"]
        for q in queries
        if 'FROM "auth_permission"' in q["sql"] and "auth_group_permissions" not in q["sql"]
    ]
    assert len(lookups) == 1


def test_dry_run_saves_nothing():
    output = run_demo_users("--dry-run")

    assert "dry run" in output
    assert not Group.objects.exists()
    assert not User.objects.exists()


def test_demo_users_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        run_demo_users()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_users_get_their_scopes():
    call_command("loaddata", "regions", verbosity=0)
    liushi = Region.objects.get(name="柳市镇")
    hongqiao = Region.objects.get(name="虹桥镇")
    f.school("3303820001", region=liushi)
    f.school("3303820002", region=liushi)
    f.school("3303820003", region=hongqiao)
    call_command("demo_users", verbosity=0)
    seen = {u.username: set(visible_schools(u).values_list("code", flat=True)) for u in User.objects.all()}
    everything = {"3303820001", "3303820002", "3303820003"}
    assert seen["admin"] == seen["reviewer"] == seen["leader"] == seen["inspector"] == everything
    assert seen["town"] == {"3303820001", "3303820002"}
    assert seen["clerk"] == {"3303820001"}


@pytest.mark.django_db
def test_sync_roles_grants_reviewers_the_import_permission():
    call_command("sync_roles", verbosity=0)
    reviewer = Group.objects.get(name="审核员")
    codes = set(reviewer.permissions.values_list("codename", flat=True))
    assert {"import_annualreport", "import_school", "change_annualreport"} <= codes
    assert "import_annualreport" not in set(
        Group.objects.get(name="学校填报员").permissions.values_list("codename", flat=True)
    )
