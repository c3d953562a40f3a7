"""The report lists and pages read right: the queue's update time is the report's last change, a
drop shows its minus sign, a zero on the home page is not an error, /reports/?status=… keeps
its filter, and the home page's template year is the year being reported."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reporting.models import ReportEvent, ReportingYear
from reporting.services import report_submit
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE, OTHER = "3303820001", "3303820002"
Status = AnnualReport.Status
# 40 computers for 400 pupils = 10 per 100, exactly the threshold: passes.
FIGURES = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 25, "computers": 40}


@pytest.fixture
def county():
    call_command("loaddata", "report-rules", verbosity=0)
    basic = f.standard("t-basic")
    f.indicator(basic, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    region = f.county()
    f.campaign(basic, balance, region=region)
    town = f.town(region)
    figures = FIGURES  # 2012 approved
    for code in (CODE, OTHER):
        f.report(f.school(code, region=town, name=f"学校{code[-1]}"), year=2012, **figures)
    compliance_recompute()
    return region


def login(client, role, county, schools=()):
    user = User.objects.create_user(role)
    user.groups.add(roles_sync()[role])
    scope = Scope.objects.create(user=user)
    if schools:
        scope.schools.add(*schools)
    else:
        scope.regions.add(county)
    client.force_login(user)
    return client


def test_the_queue_shows_when_each_report_last_changed(client, county):
    school = AnnualReport.objects.get(school__code=CODE).school
    report = f.report(school, year=2013, status=Status.DRAFT, **FIGURES)
    AnnualReport.objects.filter(pk=report.pk).update(updated_at=datetime(2013, 9, 1, tzinfo=UTC))
    report.refresh_from_db()
    clerk = User.objects.create_user("clerk-1")
    report_submit(report=report, user=clerk, version=report.revision, explanations={})
    login(client, "reviewer", county)
    [row] = client.get(reverse("reporting:queue")).context["table"].rows
    cells = [str(cell) for cell in row]
    submitted = ReportEvent.objects.get(report=report, action=ReportEvent.Action.SUBMITTED).at
    # The submission's time, in Shanghai (the site's time zone): not 2013-09-01.
    assert cells[-1] == timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M")


def test_a_drop_to_zero_shows_minus_100_percent(client, county):
    school = AnnualReport.objects.get(school__code=CODE).school
    f.report(
        school,
        year=2013,
        status=Status.SUBMITTED,
        students_primary=400,
        classes_primary=10,
        teachers_primary=25,
        computers=0,
    )
    login(client, "reviewer", county)
    page = client.get(reverse("reporting:review", args=[CODE, 2013])).content.decode()
    # 40 → 0 computers: −40, −100 %; the change-30 rule's chip carries the sign too.
    assert "−40" in page and "−100%" in page
    assert "（−100%）" in page and "（100%）" not in page


def test_a_zero_on_the_home_page_is_not_red(client, county):
    login(client, "clerk", county, schools=[AnnualReport.objects.get(school__code=CODE).school])
    page = client.get(reverse("home")).content.decode()
    standing = re.search(r"<tr><td>2012</td>(.*?)</tr>", page, re.S).group(1)
    # Both schools pass: 0 failing, 0 failing two items or more, and neither zero in red.
    assert re.findall(r'<td class="([^"]*)">0</td>', standing) == ["num", "num"]


def test_reports_with_a_status_keeps_the_filter(client, county):
    f.report(AnnualReport.objects.get(school__code=CODE).school, year=2013, status=Status.SUBMITTED)
    login(client, "reviewer", county)
    response = client.get(reverse("reporting:mine") + "?status=approved", follow=True)
    codes = sorted((row.record.school.code, row.record.year) for row in response.context["table"].rows)
    assert codes == [(CODE, 2012), (OTHER, 2012)]
    assert response.context["status"] == "approved"


def test_the_status_cards_keep_the_other_filters(client, county):
    login(client, "reviewer", county)
    page = client.get(reverse("reporting:queue") + "?status=approved&year=2012").content.decode()
    links = re.findall(r'<a class="card[^"]*"[^>]*href="([^"]*)"', page)
    assert "?status=submitted&amp;year=2012" in links


def test_the_template_year_is_the_year_being_reported(client, county):
    ReportingYear.objects.create(year=2013)  # the bureau opened 2013
    f.report(AnnualReport.objects.get(school__code=CODE).school, year=2013, status=Status.DRAFT)
    login(client, "clerk", county, schools=[AnnualReport.objects.get(school__code=CODE, year=2012).school])
    page = client.get(reverse("home")).content.decode()
    box = re.search(r'<input id="template-year"[^>]*>', page).group(0)
    assert 'value="2013"' in box
