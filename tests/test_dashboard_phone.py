"""The leadership's pages on a 390 px-wide phone (Playwright driving Debian's chromium): the page
body never scrolls sideways; a wide table scrolls inside its own box."""

import os

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connections
from playwright.sync_api import sync_playwright

from phases.models import Campaign
from schools.models import Scope
from standards.models import Threshold
from standards.services import compliance_recompute
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
PAGES = (
    "/",
    "/compliance/?failed=",
    "/balance/",
    "/balance/?county=330382",
    "/counties/",
    "/schools/3303820001/",
)


@pytest.fixture
def city(transactional_db):
    basic = f.standard("t-basic", name="县域义务教育学校办学基本标准（测试）")
    for order, (code, key, name) in enumerate(
        [
            ("C", "computers", "每百名学生拥有教学用计算机台数"),
            ("K", "books", "生均图书册数（含电子图书折算）"),
        ]
    ):
        f.indicator(
            basic,
            code,
            [key],
            ["students_{level}"],
            scale=100,
            thresholds=["5000"],
            name=name,
            unit="台/百生",
            numerator_unit="台",
            order=order,
        )
    f.pass_rule(basic, max_failed=0)
    national = f.standard("t-balance", kind="balance", unit="level", name="国家义务教育均衡发展评估标准")
    for order, key in enumerate(["books", "computers", "teachers_{level}"]):
        f.indicator(national, f"B{order}", [key], ["students_{level}"], name=f"均衡指标{order}（每百名学生）")
    f.balance_rule(national)
    Campaign.objects.create(
        name="乐清市创建全国义务教育优质均衡发展县工作",
        region=f.county(),
        standard=basic,
        balance_standard=national,
        baseline_year=2012,
        evaluation_year=2014,
    )
    for i in range(1, 6):
        school = f.school(
            f"330382000{i}", name=f"乐清市柳市镇第{i}中心小学教育集团本部校区", school_type="nine_year"
        )
        f.report(
            school,
            students_primary=1234 + i,
            students_junior=567,
            classes_primary=24,
            classes_junior=12,
            teachers_primary=60,
            teachers_junior=40,
            computers=123456,
            books=987654,
        )
    compliance_recompute()
    user = User.objects.create_user("leader", password="yq-leader-2013")
    # The county table is for those who see regions.
    user.user_permissions.add(Permission.objects.get(codename="view_region"))
    Scope.objects.create(user=user).regions.add(f.county())


@pytest.fixture
def phone(monkeypatch, live_server):
    assert os.access(CHROMIUM, os.X_OK), "Debian's chromium is needed: `make test` installs it"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "leader")
        page.fill("#id_password", "yq-leader-2013")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        yield page
        browser.close()
        connections.close_all()


def test_no_page_scrolls_sideways_on_a_phone(city, live_server, phone):
    widths = {}
    for path in PAGES:
        phone.goto(live_server.url + path)
        widths[path] = phone.evaluate("document.documentElement.scrollWidth")
    assert widths == dict.fromkeys(PAGES, PHONE["width"])


def test_a_failed_item_reads_on_one_line_on_a_phone(city, live_server, phone):
    # Squeezed into a narrow column each item broke over many lines and a school's row grew
    # taller than the screen; on one line the row stays short and the table scrolls sideways.
    # Some 6,850 computers and 54,800 books per 100 pupils fall short of 100,000: both items fail.
    Threshold.objects.update(value=100000)
    compliance_recompute()
    phone.goto(live_server.url + "/compliance/?failed=")
    heights = phone.evaluate(
        "[...document.querySelectorAll('.chip')].map(c => c.getBoundingClientRect().height)"
    )
    line = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.chip')).lineHeight)")
    assert heights and max(heights) < 1.5 * line


def test_the_county_table_scrolls_inside_its_own_box_on_a_phone(city, live_server, phone):
    phone.goto(live_server.url + "/counties/")
    assert phone.locator("table.table td a").first.inner_text() == "乐清市"
    box = phone.evaluate("getComputedStyle(document.querySelector('.table-container')).overflowX")
    assert box == "auto"
