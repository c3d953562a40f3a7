"""The reviewers' queue and the completeness page: counts by hand, scoped, and a fixed number of
queries whatever the number of schools."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import ReportEvent
from schools.models import AnnualReport, Region, Scope
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = AnnualReport.Status
# school code → (town, status of its 2013 report or None when not started)
SCHOOLS = {
    "3303820001": ("liushi", Status.APPROVED),
    "3303820002": ("liushi", Status.DRAFT),
    "3303820003": ("liushi", None),
    "3303820011": ("hongqiao", Status.SUBMITTED),
    "3303820012": ("hongqiao", Status.RETURNED),
}


@pytest.fixture
def towns():
    county = f.county()
    basic = f.standard("t-basic")
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.campaign(basic, balance, region=county)
    regions = {
        "liushi": f.town(county, "330382114", "柳市镇"),
        "hongqiao": f.town(county, "330382108", "虹桥镇"),
    }
    for code, (town, status) in SCHOOLS.items():
        school = f.school(code, region=regions[town], name=f"学校{code[-2:]}")
        if status:
            f.report(school, year=2013, status=status)
    f.report(f.school("3303820004", region=regions["liushi"], name="学校04"), year=2012)  # started 2012 only
    f.school("3303820005", region=regions["liushi"], is_active=False, name="已撤并学校")
    other_county = Region.objects.create(code="330381", name="瑞安市", kind="county")
    f.school("3303810001", region=f.town(other_county, "330381100", "塘下镇"), name="外县学校")
    return regions


def login(client, role, regions=()):
    user = User.objects.create_user(role, password=f"yq-{role}-2013")
    user.groups.add(roles_sync()[role])
    if regions:
        Scope.objects.create(user=user).regions.add(*regions)
    client.force_login(user)
    return client


def table(response):
    keys = ("town", "active", "not_started", "draft", "submitted", "returned", "approved")
    return [
        tuple(row["town"].name if key == "town" else row[key] for key in keys)
        for row in response.context["rows"]
    ]


def test_completeness_per_town_and_for_the_city(client, towns):
    login(client, "admin")
    response = client.get(reverse("reporting:completeness") + "?year=2013")
    # 柳市: 4 active (the closed school is left out): approved, draft, not started ×2.
    # 虹桥: 2 active: submitted, returned. The school of another county is not counted.
    assert table(response) == [
        ("虹桥镇", 2, 0, 0, 1, 1, 0),
        ("柳市镇", 4, 2, 1, 0, 0, 1),
    ]
    assert response.context["total"] == {
        "active": 6,
        "not_started": 2,
        "draft": 1,
        "submitted": 1,
        "returned": 1,
        "approved": 1,
    }
    assert [school.code for school in response.context["missing"]] == ["3303820003", "3303820004"]
    page = response.content.decode()
    assert "乐清市合计" in page and "已撤并学校" not in page and "外县学校" not in page


def test_completeness_of_another_year(client, towns):
    login(client, "admin")
    response = client.get(reverse("reporting:completeness") + "?year=2012")
    assert table(response) == [("虹桥镇", 2, 2, 0, 0, 0, 0), ("柳市镇", 4, 3, 0, 0, 0, 1)]


def test_a_town_officer_sees_only_their_town(client, towns):
    login(client, "town", [towns["liushi"]])
    response = client.get(reverse("reporting:completeness") + "?year=2013")
    assert table(response) == [("柳市镇", 4, 2, 1, 0, 0, 1)]
    assert response.context["total"]["active"] == 4
    assert "学校11" not in response.content.decode()


def _submitted_at(code, when):
    report = AnnualReport.objects.get(school__code=code, year=2013)
    event = ReportEvent.objects.create(
        report=report, action="submitted", from_status="draft", to_status="submitted"
    )
    ReportEvent.objects.filter(pk=event.pk).update(at=when)


def test_queue_lists_submitted_reports_oldest_first_with_counts(client, towns):
    AnnualReport.objects.filter(school__code="3303820002").update(status=Status.SUBMITTED)
    _submitted_at("3303820011", datetime(2013, 10, 9, tzinfo=UTC))
    _submitted_at("3303820002", datetime(2013, 10, 8, tzinfo=UTC))
    login(client, "reviewer", [f.county()])
    response = client.get(reverse("reporting:queue"))
    assert [row.record.school.code for row in response.context["table"].rows] == ["3303820002", "3303820011"]
    counts = {status: n for status, _label, n in response.context["counts"]}
    assert counts == {"draft": 0, "submitted": 2, "approved": 2, "returned": 1}  # 2012's approved report too
    response = client.get(reverse("reporting:queue") + "?status=&region=330382108")
    assert sorted(row.record.school.code for row in response.context["table"].rows) == [
        "3303820011",
        "3303820012",
    ]
    response = client.get(reverse("reporting:queue") + "?status=approved&year=2012")
    assert [row.record.school.code for row in response.context["table"].rows] == ["3303820004"]


def test_queue_is_scoped(client, towns):
    login(client, "town", [towns["liushi"]])
    response = client.get(reverse("reporting:queue") + "?status=")
    codes = {row.record.school.code for row in response.context["table"].rows}
    assert codes == {"3303820001", "3303820002", "3303820004"}


def add_schools(count, start, town):
    for i in range(count):
        school = f.school(f"33038{start + i:05d}", region=town, name=f"演示学校{start + i}")
        report = f.report(school, year=2013, status=Status.SUBMITTED)
        ReportEvent.objects.create(
            report=report, action="submitted", from_status="draft", to_status="submitted"
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_take_the_same_number_of_queries_for_3_or_33_more_schools(client, towns):
    login(client, "reviewer", [f.county()])
    urls = [
        reverse("reporting:queue"),
        reverse("reporting:queue") + "?status=&sort=-submitted_at",
        reverse("reporting:completeness") + "?year=2013",
    ]
    add_schools(3, 100, towns["liushi"])
    few = [_count(client, url) for url in urls]
    add_schools(30, 200, towns["hongqiao"])
    assert [_count(client, url) for url in urls] == few
