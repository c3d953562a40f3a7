"""The years being reported are data the bureau opens: a school starts only an open year's report,
and the year the pages are set to (the clerk's landing, the progress page) is the latest open
year, never the latest year some school started."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from phases.models import Campaign
from reporting.models import ReportEvent, ReportingYear
from reporting.selectors import collecting_year
from reporting.services import report_start
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from tests import factories as f

CODE, OTHER = "3303820001", "3303820002"


@pytest.fixture
def county(db):
    region = f.county()
    town = f.town(region, "330382114", "柳市镇")
    basic = f.standard("t-basic")
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.campaign(basic, balance, region=region)
    schools = [f.school(CODE, region=town, name="柳市一小"), f.school(OTHER, region=town, name="柳市二小")]
    for school in schools:
        f.report(school, year=2012)
        f.report(school, year=2013, status=AnnualReport.Status.DRAFT)
    ReportingYear.objects.create(year=2012, is_open=False)
    ReportingYear.objects.create(year=2013)
    return {"region": region, "schools": schools}


def user(role, username, *, schools=(), regions=()):
    account = User.objects.create_user(username, password=f"yq-{role}-2013")
    account.groups.add(roles_sync()[role])
    scope = Scope.objects.create(user=account)
    scope.schools.add(*schools)
    scope.regions.add(*regions)
    client = Client()
    client.force_login(account)
    return client


def landing(client):
    return client.get(reverse("reporting:mine"))["Location"]


def progress_year(client):
    return client.get(reverse("reporting:completeness")).context["year"]


@pytest.mark.django_db
def test_a_clerk_cannot_start_a_year_the_bureau_has_not_opened(county):
    first, second = county["schools"]
    clerk = user("clerk", "clerk-1", schools=[first])
    other_clerk = user("clerk", "clerk-2", schools=[second])
    reviewer = user("reviewer", "reviewer", regions=[county["region"]])
    events = ReportEvent.objects.count()

    response = clerk.post(reverse("reporting:start", args=[CODE, 2100]), follow=True)

    assert "2100年度尚未开放填报" in response.content.decode()
    assert not AnnualReport.objects.filter(year=2100).exists()
    assert ReportEvent.objects.count() == events
    # Nobody's default moved: both clerks still land on 2013, the progress page still shows 2013.
    assert landing(clerk) == reverse("reporting:entry", args=[CODE, 2013])
    assert landing(other_clerk) == reverse("reporting:entry", args=[OTHER, 2013])
    assert progress_year(reviewer) == 2013


@pytest.mark.django_db
def test_a_closed_year_cannot_be_started_and_an_opened_one_can(county):
    first = county["schools"][0]
    AnnualReport.objects.filter(school=first, year=2012).delete()
    with pytest.raises(ValidationError, match="2012年度尚未开放填报"):
        report_start(school=first, year=2012, user=None)
    assert not AnnualReport.objects.filter(school=first, year=2012).exists()

    ReportingYear.objects.create(year=2014)
    clerk = user("clerk", "clerk-1", schools=[first])
    assert clerk.post(reverse("reporting:start", args=[CODE, 2014])).status_code == 302
    report = AnnualReport.objects.get(school=first, year=2014)
    assert report.status == AnnualReport.Status.DRAFT
    assert list(report.events.values_list("action", flat=True)) == [ReportEvent.Action.CREATED]
    # The bureau opened 2014: that is now the year every clerk lands on.
    assert landing(user("clerk", "clerk-2", schools=[county["schools"][1]])) == reverse(
        "reporting:entry", args=[OTHER, 2014]
    )


@pytest.mark.django_db
def test_without_an_open_year_the_pages_default_to_the_campaigns_baseline(county):
    ReportingYear.objects.all().delete()
    assert collecting_year(Campaign.objects.get()) == 2012


@pytest.mark.django_db(transaction=True)
def test_the_migration_opens_the_years_that_already_have_reports():
    executor = MigrationExecutor(connection)
    latest = [key for key in executor.loader.graph.leaf_nodes() if key[0] in {"schools", "reporting"}]
    executor.migrate([("reporting", "0001_initial")])
    executor.loader.build_graph()
    apps = executor.loader.project_state(
        [("reporting", "0001_initial"), ("schools", "0007_move_report_process_to_reporting")]
    ).apps
    region = apps.get_model("schools", "Region").objects.create(
        code="330382001", name="乐成街道", kind="street"
    )
    school = apps.get_model("schools", "School").objects.create(
        code="3303820999", name="旧校", school_type="primary", region=region
    )
    for year in (2012, 2013):
        apps.get_model("schools", "AnnualReport").objects.create(school=school, year=year)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        assert list(ReportingYear.objects.order_by("year").values_list("year", "is_open")) == [
            (2012, True),
            (2013, True),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
