"""A new draft can start from last year's approved figures; the home page tells clerks and
reviewers what waits for them; approving needs a ticked check; a query is raised on the
field's own row of the review page."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reporting.models import FieldQuery, QueryMessage, ReportingYear
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE = "3303820001"
Status = AnnualReport.Status
LAST_YEAR = {
    "students_primary": 400,
    "classes_primary": 10,
    "teachers_primary": 25,
    "computers": 30,
    "books": 9000,
}


@pytest.fixture
def school():
    call_command("loaddata", "report-rules", verbosity=0)
    basic = f.standard("t-basic")
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.campaign(basic, balance)
    found = f.school(CODE, name="柳市一小")
    f.report(found, year=2012, **LAST_YEAR)
    ReportingYear.objects.create(year=2013)  # the bureau opened the year being reported
    return found


def user(role, **scope):
    account = User.objects.create_user(role)
    account.groups.add(roles_sync()[role])
    made = Scope.objects.create(user=account)
    made.regions.add(*scope.get("regions", ()))
    made.schools.add(*scope.get("schools", ()))
    client = Client()
    client.force_login(account)
    return client


@pytest.fixture
def clerk(school):
    return user("clerk", schools=[school])


@pytest.fixture
def reviewer(school):
    return user("reviewer", regions=[f.county()])


def test_the_start_page_offers_last_years_approved_figures(clerk):
    page = clerk.get(reverse("reporting:entry", args=[CODE, 2013])).content.decode()
    assert "以上年核准数据开始" in page and 'name="from_last_year" value="1"' in page
    # 2015 has no approved 2014 before it: nothing to start from.
    assert (
        "以上年核准数据开始" not in clerk.get(reverse("reporting:entry", args=[CODE, 2015])).content.decode()
    )


def test_a_draft_started_from_last_year_holds_its_approved_figures_as_a_save(clerk):
    response = clerk.post(reverse("reporting:start", args=[CODE, 2013]), {"from_last_year": "1"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:entry", args=[CODE, 2013]
    )
    report = AnnualReport.objects.get(year=2013)
    assert report.status == Status.DRAFT
    assert (report.students_primary, report.classes_primary, report.teachers_primary) == (400, 10, 25)
    assert (report.computers, report.books) == (30, 9000)
    created, saved = report.events.order_by("pk")
    assert (created.action, saved.action, saved.user.username) == ("created", "saved", "clerk")
    assert saved.changes == {key: ["0", str(value)] for key, value in LAST_YEAR.items()}


def test_a_plain_start_is_empty(clerk):
    clerk.post(reverse("reporting:start", args=[CODE, 2013]))
    report = AnnualReport.objects.get(year=2013)
    assert (report.students_primary, report.computers) == (0, 0)
    assert list(report.events.values_list("action", flat=True)) == ["created"]


def test_starting_a_started_year_again_copies_nothing(clerk):
    clerk.post(reverse("reporting:start", args=[CODE, 2013]))
    clerk.post(reverse("reporting:start", args=[CODE, 2013]), {"from_last_year": "1"})
    report = AnnualReport.objects.get(year=2013)
    assert report.computers == 0 and report.events.count() == 1


def test_the_clerks_home_says_the_report_was_returned_and_a_query_waits(school, clerk, reviewer):
    report = f.report(school, year=2013, status=Status.RETURNED, **LAST_YEAR)
    asker = User.objects.get(username="reviewer")
    query = FieldQuery.objects.create(report=report, field="computers", raised_by=asker)
    QueryMessage.objects.create(query=query, author=asker, text="请核实")
    page = clerk.get(reverse("home")).content.decode()
    assert "已被退回，请修改后重新提交" in page
    assert "有 1 条质询等待您答复" in page and "教学用计算机台数" in page
    assert reverse("reporting:entry", args=[CODE, 2013]) in page


def test_the_reviewers_home_counts_the_reports_to_review(school, reviewer):
    f.report(school, year=2013, status=Status.SUBMITTED, **LAST_YEAR)
    page = reviewer.get(reverse("home")).content.decode()
    assert "有 1 份年报待审核" in page
    assert "已被退回" not in page


def test_nothing_waiting_says_nothing(clerk):
    page = clerk.get(reverse("home")).content.decode()
    assert "已被退回" not in page and "待审核" not in page and "等待您答复" not in page


def test_approving_needs_the_check_ticked(school, reviewer):
    report = f.report(school, year=2013, status=Status.SUBMITTED, **LAST_YEAR)
    url = reverse("reporting:approve", args=[CODE, 2013])
    response = reviewer.post(url, {"version": report.revision})
    assert response.status_code == 200 and "请先勾选“我已核对”再审核通过。" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert reviewer.post(url, {"version": report.revision, "checked": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.APPROVED


def test_a_query_is_raised_on_the_fields_own_row(school, reviewer):
    f.report(school, year=2013, status=Status.SUBMITTED, **LAST_YEAR)
    page = reviewer.get(reverse("reporting:review", args=[CODE, 2013])).content.decode()
    row = page[page.index('<tr id="row-computers">') :]
    row = row[: row.index("</tr>")]
    action = reverse("reporting:query_raise", args=[CODE, 2013])
    assert f'action="{action}"' in row and 'name="field" value="computers"' in row

    refused = reviewer.post(action, {"field": "computers", "text": " "})
    assert refused.status_code == 200 and refused.context["query_field"] == "computers"
    assert "请填写内容。" in refused.content.decode()
    assert reviewer.post(action, {"field": "computers", "text": "请附采购清单"}).status_code == 302
    assert FieldQuery.objects.get().field == "computers"
