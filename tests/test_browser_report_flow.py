"""End to end in a real browser (Playwright driving Debian's chromium): a clerk fills in a report
with a warning, explains it and submits; a reviewer raises a query, the clerk answers, the
reviewer approves; the school's compliance changes accordingly.

Screenshots go to a temporary folder, or to docs/screenshots/ (the README's user guide) when
SAVE_SCREENSHOTS=1.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright

from reporting.models import ReportingYear
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from standards.models import ComplianceSummary
from standards.services import compliance_recompute
from tests import factories as f

CHROMIUM = "/usr/bin/chromium"
CODE = "3303820001"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def city(transactional_db):
    call_command("loaddata", "report-rules", verbosity=0)
    county = f.county()
    town = f.town(county)
    school = f.school(CODE, region=town, name="演示柳市第一小学")
    # 2012, approved: 30 computers for 400 pupils = 7.5 per 100, below the 10 required
    f.report(school, year=2012, students_primary=400, classes_primary=10, teachers_primary=25, computers=30)
    ReportingYear.objects.create(year=2013)  # the bureau opened the year being reported
    basic = f.standard("t-basic", name="办学基本标准（测试）")
    f.indicator(
        basic,
        "C",
        ["computers"],
        ["students_{level}"],
        scale=100,
        thresholds=["10"],
        name="每百名学生拥有计算机台数",
        unit="台/百生",
        numerator_unit="台",
    )
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.balance_rule(balance)
    f.campaign(basic, balance, region=county)
    groups = roles_sync()
    for role, scope in (("clerk", {"schools": [school]}), ("reviewer", {"regions": [county]})):
        user = User.objects.create_user(role, password=f"yq-{role}-2013", is_staff=True)
        user.groups.add(groups[role])
        made = Scope.objects.create(user=user)
        made.regions.add(*scope.get("regions", []))
        made.schools.add(*scope.get("schools", []))
    compliance_recompute()
    return school


@pytest.fixture
def shots(tmp_path):
    folder = Path("docs/screenshots") if os.environ.get("SAVE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(monkeypatch):
    assert os.access(CHROMIUM, os.X_OK), "Debian's chromium is needed: `make test` installs it"
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()
        # While that loop counts as running, Django keeps this thread's connections apart from its
        # sync ones, as for async code: the test's queries open a connection that the test database's
        # teardown never sees (PostgreSQL then refuses to drop the database). Close it from here.
        connections.close_all()


def session(browser, live_server, username):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"yq-{username}-2013")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_clerk_submits_reviewer_queries_and_approves(city, live_server, browser, shots):
    entry = f"{live_server.url}/reports/{CODE}/2013/"
    review = f"{entry}review/"

    clerk = session(browser, live_server, "clerk")
    clerk.goto(entry)
    clerk.click("button:has-text('开始填报')")
    for field, value in (
        ("students_primary", "400"),
        ("classes_primary", "10"),
        ("teachers_primary", "25"),
        ("computers", "45"),
    ):
        clerk.fill(f"[name={field}]", value)
    clerk.click("button:has-text('提交审核')")
    # computers 30 → 45 is +50 % on last year's approved value: submission waits for a reason
    explain = clerk.locator("textarea[name^=explain]")
    assert explain.count() == 1
    assert AnnualReport.objects.get(year=2013).status == "draft"
    clerk.screenshot(path=str(shots / "clerk-warning.png"), full_page=True)
    explain.fill("新建计算机教室，添置15台")
    clerk.click("button:has-text('提交审核')")
    assert AnnualReport.objects.get(year=2013).status == "submitted"

    reviewer = session(browser, live_server, "reviewer")
    reviewer.goto(f"{live_server.url}/reports/review/")
    assert "演示柳市第一小学" in reviewer.content()
    reviewer.screenshot(path=str(shots / "review-queue.png"), full_page=True)
    reviewer.goto(review)
    assert "新建计算机教室，添置15台" in reviewer.content()
    # The query is raised on the field's own row.
    reviewer.click("#row-computers summary")
    reviewer.fill("#row-computers textarea[name=text]", "请提供采购凭证编号")
    reviewer.click("#row-computers button:has-text('提出质询')")

    clerk.goto(entry)
    clerk.fill("form[action$='/reply/'] textarea[name=text]", "凭证编号 LS-2013-088")
    clerk.click("form[action$='/reply/'] button")

    reviewer.goto(review)
    assert "凭证编号 LS-2013-088" in reviewer.content()
    reviewer.screenshot(path=str(shots / "review-page.png"), full_page=True)
    reviewer.check("[name=checked]")
    reviewer.click("button:has-text('审核通过')")

    report = AnnualReport.objects.get(year=2013)
    assert report.status == "approved"
    # 45 computers for 400 pupils = 11.25 per 100 ≥ 10: the school now meets the item
    assert ComplianceSummary.objects.get(report=report).passed_rule is True
    assert ComplianceSummary.objects.get(report__year=2012).passed_rule is False
    reviewer.goto(f"{live_server.url}/schools/{CODE}/")
    assert "符合达标规则" in reviewer.content()
    reviewer.screenshot(path=str(shots / "school-history.png"), full_page=True)
