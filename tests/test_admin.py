"""The bureau's console: every changelist with a constant number of queries, and the
read-only compliance view of a report."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import AnnualReport
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:schools_region_changelist",
    "admin:schools_school_changelist",
    "admin:schools_annualreport_changelist",
    "admin:standards_compliancesummary_changelist",
    "admin:standards_indicator_changelist",
    "admin:standards_standard_changelist",
    "admin:standards_threshold_changelist",
    "admin:standards_passrule_changelist",
    "admin:standards_balancerule_changelist",
    "admin:phases_phase_changelist",
    "admin:phases_leadershipunit_changelist",
    "admin:phases_campaign_changelist",
    "admin:phases_task_changelist",
]


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))
    return client


@pytest.fixture
def basic():
    std = f.standard("t-basic", name="测试基本标准")
    f.indicator(
        std,
        "C",
        ["computers"],
        ["students_{level}"],
        scale=100,
        thresholds=["10"],
        name="每百名学生计算机台数",
        unit="台/百生",
        numerator_unit="台",
    )
    f.pass_rule(std, max_failed=0)
    return std


def add_schools(count, start):
    t = f.town()
    for i in range(count):
        s = f.school(f"33038{start + i:05d}", region=t)
        f.report(s, students_primary=100, classes_primary=4, teachers_primary=5, computers=7)
    compliance_recompute()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_changelists_queries_do_not_grow_with_rows(admin_client, basic):
    add_schools(3, 1)
    urls = [reverse(name) for name in CHANGELISTS]
    few = [_count(admin_client, url) for url in urls]
    add_schools(30, 100)
    assert [_count(admin_client, url) for url in urls] == few


def test_failed_count_filter(admin_client, basic):
    add_schools(2, 1)
    url = reverse("admin:standards_compliancesummary_changelist")
    page = admin_client.get(url + "?failed=1").content.decode()
    assert "3303800001" in page and "3303800002" in page
    assert "3303800001" not in admin_client.get(url + "?failed=0").content.decode()


def test_report_page_shows_compliance_read_only(admin_client, basic):
    add_schools(1, 1)
    report = AnnualReport.objects.get()
    page = admin_client.get(reverse("admin:schools_annualreport_change", args=[report.pk])).content.decode()
    # 7 computers for 100 students against 10 per 100: 3 short
    assert "每百名学生计算机台数" in page and "未达标" in page and "3 台" in page


def test_a_report_is_read_not_edited_in_the_admin(admin_client, basic):
    """Figures change on the report pages, through the workflow and its history: the admin's
    form is read-only, even for a superuser, and a forged POST writes nothing."""
    add_schools(1, 1)
    report = AnnualReport.objects.get()
    url = reverse("admin:schools_annualreport_change", args=[report.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="computers"' not in page and 'name="_save"' not in page
    data = {
        key: getattr(report, key) if getattr(report, key) is not None else ""
        for key in [f.name for f in AnnualReport._meta.fields if f.editable and f.name != "id"]
    }
    data.update(school=report.school_id, computers=10, pe_hour_met="unknown")

    assert admin_client.post(url, data).status_code == 403
    assert admin_client.get(reverse("admin:schools_annualreport_add")).status_code == 403
    report.refresh_from_db()
    assert report.computers == 7 and not report.events.exists()
