"""Opening a leadership page never writes; stale stored results are announced, not silently shown,
and recomputed by a POST of those who may change standards or reports."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from standards.models import ComplianceSummary, Threshold
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
RECOMPUTE = "dashboard:recompute"


@pytest.fixture
def campaign():
    basic = f.standard("t-basic")
    f.indicator(basic, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"], order=1)
    f.pass_rule(basic, max_failed=0)
    national = f.standard("t-balance", kind="balance", unit="level")
    f.indicator(national, "B5", ["books"], ["students_{level}"])
    f.balance_rule(national)
    return f.campaign(basic, national)


def add_school(code, computers=5, status=AnnualReport.Status.APPROVED):
    """Written straight to the database, as loaddata or an SQL script would: nothing recomputed."""
    school = f.school(code, name=f"学校{code[-3:]}")
    return f.report(
        school,
        status=status,
        students_primary=100,
        classes_primary=4,
        teachers_primary=5,
        computers=computers,
        books=900,
    )


def user_of(client, role):
    groups = roles_sync()
    user = User.objects.create_user(role, is_staff=True)
    user.groups.add(groups[role])
    Scope.objects.create(user=user).regions.add(f.county())
    client.force_login(user)
    return client


PAGES = [
    ("home", ""),
    ("dashboard:compliance", ""),
    ("dashboard:compliance", "?failed=&year=2012"),
    ("dashboard:balance", ""),
    ("dashboard:export_compliance", "?failed="),
]


@pytest.mark.parametrize(("name", "query"), PAGES)
def test_opening_a_page_writes_nothing_even_when_results_are_missing(client, campaign, name, query):
    add_school("3303820001")
    add_school("3303820002", computers=10)
    user_of(client, "leader")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name) + query).status_code == 200
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert ComplianceSummary.objects.count() == 0


def test_the_school_page_writes_nothing(client, campaign):
    add_school("3303820001")
    user_of(client, "leader")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard:school", args=["3303820001"])).status_code == 200
    assert [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)] == []


def test_stale_results_are_announced_with_their_count(client, campaign):
    add_school("3303820001")
    compliance_recompute()
    add_school("3303820002")  # loaded without recomputing: no result
    add_school("3303820003")
    user_of(client, "leader")
    for url in (reverse("home"), reverse("dashboard:compliance") + "?failed=&year=2012"):
        page = client.get(url).content.decode()
        assert "2 份已核准年报的达标结果已过期" in page
        assert "达标数字未包含这些年报的改动" in page
        assert "校际均衡按已核准年报即时计算" in page
        # A read-only role is told, not offered the button.
        assert reverse(RECOMPUTE) not in page


def test_results_of_a_changed_standard_are_stale(client, campaign):
    add_school("3303820001")
    add_school("3303820002")
    compliance_recompute()
    user_of(client, "leader")
    assert "已过期" not in client.get(reverse("home")).content.decode()
    Threshold.objects.update(value=11)  # changed outside the admin: nothing recomputed
    assert "2 份已核准年报的达标结果已过期" in client.get(reverse("home")).content.decode()


def test_results_of_a_report_no_longer_approved_are_stale(client, campaign):
    add_school("3303820001")
    report = add_school("3303820002")
    compliance_recompute()
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.DRAFT)
    user_of(client, "leader")
    page = client.get(reverse("dashboard:compliance") + "?failed=&year=2012").content.decode()
    assert "1 份已核准年报的达标结果已过期" not in page
    assert "1 份年报的达标结果已过期" in page


def test_a_reviewer_recomputes_with_a_post_and_returns_to_the_page(client, campaign):
    add_school("3303820001")
    compliance_recompute()
    add_school("3303820002")
    stale = add_school("3303820003", computers=12)
    dropped = add_school("3303820004")
    compliance_recompute()
    AnnualReport.objects.filter(pk=dropped.pk).update(status=AnnualReport.Status.RETURNED)
    ComplianceSummary.objects.filter(report__in=[stale]).delete()
    user_of(client, "reviewer")
    home = client.get(reverse("home")).content.decode()
    assert reverse(RECOMPUTE) in home
    back = reverse("dashboard:compliance") + "?failed=&year=2012"
    response = client.post(reverse(RECOMPUTE), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    # 3303820003: 12 per 100 against 10 passes; 3303820004 is returned and has no result any more.
    assert dict(ComplianceSummary.objects.values_list("report__school__code", "passed_rule")) == {
        "3303820001": False,
        "3303820002": False,
        "3303820003": True,
    }
    assert "已过期" not in client.get(back).content.decode()


def test_recompute_goes_back_only_to_this_site(client, campaign):
    user_of(client, "reviewer")
    response = client.post(reverse(RECOMPUTE), {"next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.parametrize("role", ["leader", "town", "inspector", "clerk"])
def test_a_role_that_changes_neither_standards_nor_reviews_reports_cannot_recompute(client, campaign, role):
    add_school("3303820001")
    user_of(client, role)
    assert client.post(reverse(RECOMPUTE)).status_code == 403
    assert ComplianceSummary.objects.count() == 0


def test_recompute_takes_no_get(client, campaign):
    add_school("3303820001")
    user_of(client, "reviewer")
    assert client.get(reverse(RECOMPUTE)).status_code == 405
    assert ComplianceSummary.objects.count() == 0
