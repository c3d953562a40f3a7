"""The report pages on a 390 px-wide phone (Playwright driving Debian's chromium): a clerk fills
in the form and a reviewer reads the review page without the page scrolling sideways."""

import os

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright

from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from tests import factories as f

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
CODE = "3303820001"
FIGURES = {
    "students_primary": 1234,
    "students_junior": 567,
    "classes_primary": 24,
    "classes_junior": 12,
    "teachers_primary": 60,
    "teachers_junior": 40,
    "computers": 123456,
    "books": 987654,
}


@pytest.fixture
def city(transactional_db):
    call_command("loaddata", "report-rules", verbosity=0)
    basic = f.standard("t-basic")
    f.indicator(basic, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.campaign(basic, balance)
    school = f.school(CODE, school_type="nine_year", name="乐清市柳市镇第一中心小学教育集团本部校区")
    f.report(school, year=2012, **FIGURES)
    f.report(school, year=2013, status=AnnualReport.Status.DRAFT, **{**FIGURES, "computers": 1})
    f.report(school, year=2014, status=AnnualReport.Status.SUBMITTED, **{**FIGURES, "computers": 1})
    groups = roles_sync()
    for role, scope in (("clerk", {"schools": [school]}), ("reviewer", {"regions": [f.county()]})):
        user = User.objects.create_user(role, password=f"yq-{role}-2013")
        user.groups.add(groups[role])
        made = Scope.objects.create(user=user)
        made.regions.add(*scope.get("regions", []))
        made.schools.add(*scope.get("schools", []))


@pytest.fixture
def browser(monkeypatch):
    assert os.access(CHROMIUM, os.X_OK), "Debian's chromium is needed: `make test` installs it"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()
        connections.close_all()


def phone(browser, live_server, username):
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"yq-{username}-2013")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_report_pages_fit_a_phone(city, live_server, browser):
    clerk = phone(browser, live_server, "clerk")
    clerk.goto(f"{live_server.url}/reports/{CODE}/2013/")
    assert width(clerk) == PHONE["width"]
    # A save that the rules refuse: the summary of errors and the warnings fit too.
    clerk.fill("[name=qualified_above_primary]", "99")
    clerk.click("button:has-text('保存草稿')")
    assert "需要修改" in clerk.content()
    assert width(clerk) == PHONE["width"]
    box = clerk.locator("[name=computers]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    reviewer = phone(browser, live_server, "reviewer")
    reviewer.goto(f"{live_server.url}/reports/{CODE}/2014/review/")
    assert width(reviewer) == PHONE["width"]
    for path in ("/reports/review/", "/reports/completeness/?year=2014"):
        reviewer.goto(live_server.url + path)
        assert width(reviewer) == PHONE["width"], path
