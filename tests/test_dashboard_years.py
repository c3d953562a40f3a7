"""The years of the leadership's pages come from approved reports alone, and a year whose approved
reports do not cover the county's schools gets no balance verdict."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from schools.models import AnnualReport, Scope
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

A, D = AnnualReport.Status.APPROVED, AnnualReport.Status.DRAFT
CODES = ("3303820001", "3303820002", "3303820003")
PAGES = ("home", "dashboard:balance", "dashboard:compliance")


@pytest.fixture
def county():
    """Three active primary schools, each with an approved 2012 report (100 and 300 pupils, 10 and
    20 books each: far apart, yet a verdict), and a closed school that counts for nothing."""
    basic = f.standard("t-basic")
    f.indicator(basic, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(basic, max_failed=0)
    national = f.standard("t-balance", kind="balance", unit="level")
    f.indicator(national, "B5", ["books"], ["students_{level}"], name="生均图书")
    f.balance_rule(national)
    region = f.county()
    f.campaign(basic, national, region=region)
    for code, students in zip(CODES, (100, 300, 100), strict=True):
        school = f.school(code)
        f.report(
            school,
            year=2012,
            students_primary=students,
            classes_primary=4,
            teachers_primary=5,
            computers=10,
            books=students * 15,
        )
    f.school("3303820009", is_active=False)
    compliance_recompute()
    return region


@pytest.fixture
def leader(client):
    user = User.objects.create_user("leader")
    Scope.objects.create(user=user).regions.add(f.county())
    client.force_login(user)
    return client


def report_2014(code, status):
    return f.report(
        AnnualReport.objects.get(school__code=code, year=2012).school,
        year=2014,
        status=status,
        students_primary=100,
        classes_primary=4,
        teachers_primary=5,
        computers=10,
        books=1500,
    )


def test_a_draft_puts_no_year_on_the_pages(county, leader):
    report_2014(CODES[0], D)
    home = leader.get(reverse("home"))
    assert "2014" not in home.content.decode()
    assert "2012年校际均衡" in home.content.decode()
    balance = leader.get(reverse("dashboard:balance"))
    assert balance.context["form"]["year"].value() == 2012
    assert [year for year, _ in balance.context["form"].fields["year"].choices] == [2012]


def test_a_clerk_starting_a_far_year_changes_nothing_here(county, leader):
    def seen():
        home, balance, compliance = (leader.get(reverse(name)) for name in PAGES)
        return home.context["years"], balance.context["form"]["year"].value(), compliance.context["year"]

    before = seen()
    f.report(AnnualReport.objects.get(school__code=CODES[0]).school, year=2100, status=D)
    assert seen() == before == ([2012], 2012, 2012)
    for name in PAGES:  # (a town's code, 330382100, holds the digits)
        assert not re.search(r"(?<!\d)2100(?!\d)", leader.get(reverse(name)).content.decode())


def test_a_year_approved_for_one_school_says_how_many_are_missing_instead_of_a_verdict(county, leader):
    report_2014(CODES[0], A)
    compliance_recompute()
    home = leader.get(reverse("home")).content.decode()
    notice = "2014年：已核准 1 所，尚缺 2 所学校的年报，暂不判定"
    assert notice in home
    assert "2014年校际均衡" not in home
    # Nor a headline count of failing schools for the partial year: it says what is missing.
    assert "2014年：尚缺 2 所学校的核准年报，暂不判定" in home
    assert "2014年：未达标2项及以上的学校" not in home
    # The verdict shown is that of the last year every active school reported.
    assert "2012年校际均衡" in home

    # /balance/ keeps to the complete year by default, and offers the partial one with the notice.
    default = leader.get(reverse("dashboard:balance"))
    assert default.context["form"]["year"].value() == 2012
    assert [year for year, _ in default.context["form"].fields["year"].choices] == [2014, 2012]
    assert notice not in default.content.decode()
    partial = leader.get(reverse("dashboard:balance") + "?year=2014").content.decode()
    assert notice in partial
    assert "达到" not in partial.replace("暂不判定", "")


def test_a_complete_year_gets_its_verdict(county, leader):
    for code in CODES:
        report_2014(code, A)
    home = leader.get(reverse("home")).content.decode()
    assert "2014年校际均衡" in home and "尚缺" not in home
    page = leader.get(reverse("dashboard:balance")).content.decode()
    assert "尚缺" not in page and "达到" in page


def test_a_year_without_approved_reports_says_so_and_offers_the_years_that_have_them(county, leader):
    report_2014(CODES[0], D)
    page = leader.get(reverse("dashboard:compliance") + "?year=1999").content.decode()
    assert "请先导入学校与年报" not in page
    assert "1999年没有已核准的年报" in page
    assert 'href="?year=2012"' in page
    assert 'href="?year=2014"' not in page


def test_the_compliance_page_with_no_approved_report_at_all_says_so(leader):
    f.report(f.school(CODES[0]), status=D)
    page = leader.get(reverse("dashboard:compliance")).content.decode()
    assert "尚无已核准的年报" in page
