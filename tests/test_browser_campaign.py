"""The campaign end to end in a real browser (Playwright driving Debian's chromium): a reviewer finds
a tracked school in the matrix, opens its computers gap and saves a plan; the school's clerk
uploads evidence and claims the work done, and the page says the gap stays open and why; the
clerk's 2013 report is submitted and the reviewer approves it; the gap closes from those approved
figures and the matrix shows the school rectified.

Screenshots go to a temporary folder, or to docs/screenshots/ (the README's guide to the
campaign) when SAVE_SCREENSHOTS=1.
"""

import datetime
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from playwright.sync_api import sync_playwright

from phases.models import Evidence, Gap, LedgerItem, Phase, TrackedSchool, UnitCost
from phases.services import campaign_enrol, gap_waive
from phases.services_progress import visit_record
from reporting.models import ReportingYear
from schools.models import AnnualReport
from schools.services import roles_sync, scope_set
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
LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
A, B, C = "3303820001", "3303820002", "3303820003"
PHASES = (
    ("问题核实阶段", datetime.date(2013, 3, 1), datetime.date(2013, 4, 30)),
    ("问题整改阶段", datetime.date(2013, 5, 1), datetime.date(2013, 8, 31)),
    ("数据核准阶段", datetime.date(2013, 9, 1), datetime.date(2013, 10, 31)),
    ("申报准备阶段", datetime.date(2013, 11, 1), datetime.date(2013, 11, 30)),
    ("自查迎评阶段", datetime.date(2013, 12, 1), datetime.date(2013, 12, 31)),
)
# 400 pupils in 10 classes with 25 teachers, as in both years of school A.
PUPILS = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 25}


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def png(width=4, height=3):
    """A small, real PNG (grey pixels): what a phone photo of the new computer room stands in for."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x80" * width for _row in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def city(transactional_db):
    """Three schools of two towns, the basic standard's computers and site items, the campaign
    with its five phases in 2013, and the 2012 baseline enrolled:

    - A 演示柳市第一小学: 30 computers for 400 pupils = 7.5 per 100 (< 10: 40 needed, 10 short) and
      7 000 m² of site = 17.5 m² per pupil (< 20): two items failed, tracked, severe (a facility
      gap). The bureau waives its site gap; a signed-off visit verifies it.
    - B 柳市第二小学: 35 computers = 8.75 per 100, site 8 000 m² = 20 per pupil: one item failed,
      not tracked (the campaign tracks two or more).
    - C 虹桥镇中心小学: 28 computers = 7 per 100, site 6 000 m² = 15 per pupil: tracked, untouched.
    """
    call_command("loaddata", "report-rules", verbosity=0)
    county = f.county()
    liushi = f.town(county, "330382114", "柳市镇")
    hongqiao = f.town(county, "330382108", "虹桥镇")
    schools = {
        A: f.school(A, region=liushi, name="演示柳市第一小学"),
        B: f.school(B, region=liushi, name="柳市第二小学"),
        C: f.school(C, region=hongqiao, name="虹桥镇中心小学"),
    }
    f.report(schools[A], 2012, computers=30, site_area=7000, **PUPILS)
    f.report(schools[B], 2012, computers=35, site_area=8000, **PUPILS)
    f.report(schools[C], 2012, computers=28, site_area=6000, **PUPILS)
    ReportingYear.objects.create(year=2013)
    basic = f.standard("t-basic", name="办学基本标准（测试）")
    computers = f.indicator(
        basic,
        "C",
        ["computers"],
        ["students_{level}"],
        scale=100,
        thresholds=["10"],
        category="equipment",
        name="每百名学生拥有计算机台数",
        unit="台/百生",
        numerator_unit="台",
        order=1,
    )
    f.indicator(
        basic,
        "L",
        ["site_area"],
        ["students_{level}"],
        thresholds=["20"],
        category="facility",
        name="生均用地面积",
        unit="平方米/生",
        numerator_unit="平方米",
        order=2,
    )
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.balance_rule(balance)
    campaign = f.campaign(
        basic, balance, region=county, name="乐清市创建省义务教育均衡发展市", evaluation_year=2013
    )
    for number, (name, starts, ends) in enumerate(PHASES, start=1):
        Phase.objects.create(campaign=campaign, number=number, name=name, starts_on=starts, ends_on=ends)
    LedgerItem.objects.create(campaign=campaign, name="学校创建工作台账")
    UnitCost.objects.create(indicator=computers, cost=4000, unit="台", is_sample=True)

    groups = roles_sync()
    people = {}
    for key, name in (("admin", "局管理员"), ("reviewer", "陈明"), ("clerk", "王丽")):
        user = User.objects.create_user(key, password=f"yq-{key}-2013", is_staff=True, first_name=name)
        user.groups.add(groups[key])
        people[key] = user
    scope_set(user=people["reviewer"], regions=[county])
    scope_set(user=people["clerk"], schools=[schools[A]])

    compliance_recompute()
    campaign_enrol(campaign=campaign, user=people["admin"])
    # The services stamp today; the school page's timeline reads better with the days the bureau
    # did these things: baseline approved in November 2012, enrolled at the start of phase 1, the
    # site gap waived in June 2013.
    AnnualReport.objects.filter(year=2012).update(updated_at=moment(datetime.date(2012, 11, 20)))
    TrackedSchool.objects.update(enrolled_on=datetime.date(2013, 3, 5))
    tracked = TrackedSchool.objects.select_related("campaign").get(school=schools[A])
    site_gap = tracked.gaps.get(indicator__code="L")
    gap_waive(gap=site_gap, reason="经领导小组研究，以集团化办学解决用地不足", user=people["admin"])
    Gap.history.filter(id=site_gap.pk, status=Gap.Status.WAIVED).update(
        history_date=moment(datetime.date(2013, 6, 15))
    )
    visit_record(
        tracked=tracked,
        user=people["admin"],
        visited_on=datetime.date(2013, 4, 2),
        inspectors="张三、李四",
        findings="计算机不足 10 台；用地不足，已列入集团化办学。",
        sign_off=True,
    )
    return {"campaign": campaign, "gap": tracked.gaps.get(indicator=computers), "people": people}


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
        # As in test_browser_report_flow: close this thread's connections, which the test
        # database's teardown does not see while Playwright's loop counts as running.
        connections.close_all()


def session(browser, live_server, username, viewport=LAPTOP):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"yq-{username}-2013")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def matrix_row(page, code):
    """The visible text of the matrix row of school `code`, cell by cell."""
    return page.locator("table.matrix tbody tr", has_text=code).locator("td").all_inner_texts()


def test_a_gap_closes_only_when_the_clerks_next_report_is_approved(
    city, live_server, browser, shots, tmp_path
):
    gap = city["gap"]
    matrix = f"{live_server.url}/campaign/"
    gap_page = f"{live_server.url}/campaign/gaps/{gap.pk}/"

    # The reviewer finds school A in the matrix: verified, not rectified (phase 2 ended 2013-08-31).
    reviewer = session(browser, live_server, "reviewer")
    reviewer.goto(matrix)
    assert "跟踪学校 2 所" in reviewer.inner_text("main")
    assert B not in reviewer.inner_text("table.matrix")  # one failed item: not tracked
    # code, name, town, severity, then phases 1–5
    row = matrix_row(reviewer, A)
    assert row[:4] == [A, "演示柳市第一小学", "柳市镇", "问题严重"]
    assert row[4:7] == ["✓ 2013-04-02", "逾期", "逾期"]

    reviewer.click("table.matrix a:has-text('演示柳市第一小学')")
    reviewer.wait_for_url(f"{matrix}schools/{A}/")
    phases = reviewer.locator("ol.phase-list li").all_inner_texts()
    assert phases[0].startswith("问题核实阶段： ✓ 已完成 2013-04-02")
    assert phases[1].startswith("问题整改阶段： 逾期（未完成）")
    gaps = reviewer.locator("table.table", has_text="基准年实际值").inner_text()
    assert "生均用地面积" in gaps and "免予整改" in gaps
    assert "每百名学生拥有计算机台数" in gaps and "未整改" in gaps

    reviewer.click("a:has-text('每百名学生拥有计算机台数')")
    reviewer.wait_for_url(gap_page)
    text = reviewer.inner_text("main")
    assert "差额\t10 台" in text  # 400 × 10 ÷ 100 = 40 computers needed, 30 there
    assert "尚未制定整改方案。" in text

    # The plan: bought by the school, owned by its clerk, due at the end of phase 2.
    reviewer.select_option("#id_measure", "purchase")
    reviewer.fill("#id_responsible_unit", "演示柳市第一小学、市教育装备中心")
    reviewer.select_option("#id_owner", label="王丽")
    reviewer.fill("#id_deadline", "2013-08-31")
    reviewer.fill("#id_notes", "统一采购计算机 10 台，8 月底前到货安装。")
    reviewer.click("button:has-text('保存整改方案')")
    assert "整改方案已保存。" in reviewer.inner_text("main")
    plan = reviewer.inner_text("#plan + table")
    assert "购置配齐" in plan and "王丽" in plan and "2013-08-31" in plan
    assert "40,000" in plan  # 10 computers × 4 000 yuan (a sample unit cost)
    assert reviewer.inner_text("main strong.fail") == "已定方案"

    # The clerk uploads a photo of the new computer room and claims the work done.
    photo = tmp_path / "计算机教室.png"
    photo.write_bytes(png())
    clerk = session(browser, live_server, "clerk")
    clerk.goto(gap_page)
    clerk.click("summary:has-text('上传佐证材料')")
    clerk.set_input_files("#id_file", str(photo))
    clerk.select_option("#id_kind", "photo")
    clerk.fill("#id_effective_on", "2013-08-26")
    clerk.fill("#id_note", "新购计算机 10 台已安装到位")
    clerk.click("form[action$='/evidence/'] button:has-text('上传')")
    assert "佐证材料已上传，等待审核。" in clerk.inner_text("main")
    clerk.fill("form[action$='/claim/'] input[name=note]", "计算机已配齐")
    clerk.click("button:has-text('报告整改完成')")
    text = clerk.inner_text("main")
    assert "该项须待审核通过的年报数据达标后才会关闭" in text
    # Why it is not closed: the data line of its latest approved report, still the baseline.
    standing = clerk.inner_text("#standing")
    assert "2012 年已核准年报：每百名学生拥有计算机台数 7.5 台/百生，标准 10 台/百生，尚未达标" in standing
    assert "基准年（2012 年）之后尚无已核准年报" in standing
    assert "学校已报告整改完成；报告本身不能关闭未达标项" in standing
    assert Gap.objects.get(pk=gap.pk).status == Gap.Status.CLAIMED

    # The reviewer accepts the photo: evidence for phase 4, but it closes nothing.
    reviewer.goto(gap_page)
    reviewer.click("#evidence + .scroll summary:has-text('审核')")
    reviewer.fill("#evidence + .scroll textarea[name=reason]", "照片与采购清单一致")
    reviewer.click("#evidence + .scroll button:has-text('采纳')")
    evidence = reviewer.inner_text("#evidence + .scroll")
    assert "计算机教室.png" in evidence and "已采纳" in evidence and "照片与采购清单一致" in evidence
    assert reviewer.inner_text("main strong.fail") == "学校自报已整改"
    assert Evidence.objects.get(gap=gap).decision == Evidence.Decision.ACCEPTED
    reviewer.screenshot(path=str(shots / "campaign-gap.png"), full_page=True)

    # The clerk's 2013 report: last year's figures, 45 computers now.
    entry = f"{live_server.url}/reports/{A}/2013/"
    clerk.goto(entry)
    clerk.click("button:has-text('以上年核准数据开始')")
    clerk.fill("[name=computers]", "45")
    clerk.click("button:has-text('提交审核')")
    # 30 → 45 computers is +50 % on last year's approved value: a warning to explain first.
    explain = clerk.locator("textarea[name^=explain]")
    assert explain.count() == 1
    explain.fill("按整改方案新购计算机 10 台，另获捐赠 5 台")
    clerk.click("button:has-text('提交审核')")
    assert AnnualReport.objects.get(school__code=A, year=2013).status == "submitted"
    assert Gap.objects.get(pk=gap.pk).status == Gap.Status.CLAIMED  # submitted is not approved

    # The reviewer approves it (the clerk changed the figures last, so a reviewer may).
    reviewer.goto(f"{entry}review/")
    reviewer.check("[name=checked]")
    reviewer.click("button:has-text('审核通过')")
    assert AnnualReport.objects.get(school__code=A, year=2013).status == "approved"

    # 45 computers for 400 pupils = 11.25 per 100 ≥ 10: the gap closes from the approved report.
    reviewer.goto(gap_page)
    assert reviewer.inner_text("main strong.pass") == "已整改（数据达标）"
    standing = reviewer.inner_text("#standing")
    assert "2013 年已核准年报：每百名学生拥有计算机台数 11.25 台/百生，标准 10 台/百生，已达标" in standing
    assert "由 2013 年已核准年报的数据关闭" in standing
    reviewer.screenshot(path=str(shots / "campaign-gap-closed.png"), full_page=True)
    closed = Gap.objects.select_related("closed_by").get(pk=gap.pk)
    assert (closed.status, closed.closed_by.year) == (Gap.Status.CLOSED, 2013)

    # The matrix: every gap of A closed or waived, so phase 2 is done, on the day it closed; the
    # 2013 report approved (the evaluation year), so phase 3 too. Phase 4 waits for the ledger
    # item, phase 5 for the site item (7 000 m² still fails the 2013 report).
    today = closed.closed_on.isoformat()
    reviewer.goto(matrix)
    row = matrix_row(reviewer, A)
    assert row[4:] == ["✓ 2013-04-02", f"✓ {today}", f"✓ {today}", "逾期", "逾期"]
    assert matrix_row(reviewer, C)[4:] == ["逾期"] * 5
    reviewer.screenshot(path=str(shots / "campaign-matrix.png"), full_page=True)

    reviewer.goto(f"{matrix}schools/{A}/")
    gaps = reviewer.locator("table.table", has_text="基准年实际值").inner_text()
    assert "7.5 台/百生\t10 台/百生\t10 台\t✓ 已整改（数据达标）" in gaps
    # The timeline by date, and within the walk's day in the order things happened.
    events = [text.split(" ", 1)[1] for text in reviewer.locator("ol.timeline li").all_inner_texts()]
    assert events == [
        "2012年年报审核通过",
        "按2012年基准数据列入跟踪学校（2项未达标）",
        "实地核查（张三、李四）：计算机不足 10 台；用地不足，已列入集团化办学。",
        "核查结果确认（admin）",
        "生均用地面积 免予整改：经领导小组研究，以集团化办学解决用地不足",
        "制定整改方案：每百名学生拥有计算机台数，购置配齐，期限 2013-08-31",
        "上传佐证材料《计算机教室.png》：每百名学生拥有计算机台数",
        "佐证材料《计算机教室.png》已采纳：每百名学生拥有计算机台数",
        "2013年年报审核通过",
        "每百名学生拥有计算机台数 已整改：2013年审核通过的年报数据达标",
    ]
    reviewer.screenshot(path=str(shots / "campaign-school.png"), full_page=True)

    phone = session(browser, live_server, "reviewer", viewport=PHONE)
    phone.goto(matrix)
    assert phone.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    phone.screenshot(path=str(shots / "campaign-matrix-phone.png"), full_page=True)
