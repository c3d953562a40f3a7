"""The purchase list (PLAN-T4, PLAN-S2): quantities, unit costs and totals against hand
calculation, its .xlsx, recording a delivery, scope and query counts.

The world (numbers worked out in the comments), 2012 approved baseline, one standard:
  C computers ≥ 10 per 100 pupils (台), B books ≥ 30 per pupil (册),
  E equipment value ≥ 1 000.5 yuan per pupil (元, no unit cost: 未定价), L site ≥ 20 m² per pupil
  (a facility: never on the purchase list).
  柳市镇 0001: 365 pupils, 30 computers, 10 000 books, 300 000 yuan, 5 000 m²
    C: 365 × 10 / 100 = 36.5 needed, 6.5 short → 7 computers (36 would still fail)
    B: 365 × 30 = 10 950 needed, 950 short → 950 books
    E: 365 × 1 000.5 = 365 182.5 needed, 65 182.50 short → 65 182.50 yuan
  柳市镇 0002: 123 pupils, 10 computers, 3 000 books, 200 000 yuan, 3 000 m²
    C: 12.3 needed, 2.3 short → 3; B: 3 690 needed, 690 short → 690; E, L pass
  虹桥镇 0003: 200 pupils, 15 computers, 7 000 books, 100 000 yuan, 3 000 m²
    C: 20 needed, 5 short → 5; B passes; E: 200 100 needed, 100 100 short; L: 1 000 m² short
Unit costs: a computer 4 500 yuan (a sample), a book 25.50 yuan.
"""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.calc import school_purchase_quantity
from phases.models import Delivery, DeliveryLine, Evidence, Gap, Phase, UnitCost
from phases.selectors_city import purchase_gaps, purchase_groups, purchase_rows
from phases.services import campaign_enrol
from schools.models import School
from schools.roles import ROLES
from schools.services import demo_user_sync, roles_sync, scope_set
from standards.calc.specs import SplitWeights
from standards.calc.split import level_shares
from standards.models import ComplianceSummary, Indicator
from standards.selectors import failing, summary_items
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIGURES = {
    "3303820001": (365, 30, 10000, 300000, 5000),
    "3303820002": (123, 10, 3000, 200000, 3000),
    "3303820003": (200, 15, 7000, 100000, 3000),
}


def figures(pupils, computers, books, value, site):
    return {
        "students_primary": pupils,
        "classes_primary": 6,
        "teachers_primary": 20,
        "computers": computers,
        "books": books,
        "equipment_value": value,
        "site_area": site,
    }


def build(extra=0):
    """The world above; `extra` more schools of 柳市镇 like 0002 (for the query counts)."""
    groups = roles_sync()
    county = f.county()
    towns = {
        "liushi": f.town(county, "330382114", "柳市镇"),
        "hongqiao": f.town(county, "330382108", "虹桥镇"),
    }
    basic = f.standard("t-basic")
    per_pupil = ["students_{level}"]
    indicators = {
        "C": f.indicator(
            basic,
            "C",
            ["computers"],
            per_pupil,
            100,
            ["10"],
            name="每百名学生计算机",
            category="equipment",
            numerator_unit="台",
        ),
        "B": f.indicator(
            basic,
            "B",
            ["books"],
            per_pupil,
            1,
            ["30"],
            name="生均图书",
            category="equipment",
            numerator_unit="册",
        ),
        "E": f.indicator(
            basic,
            "E",
            ["equipment_value"],
            per_pupil,
            1,
            ["1000.5"],
            name="生均仪器设备值",
            category="equipment",
            numerator_unit="元",
        ),
        "L": f.indicator(
            basic,
            "L",
            ["site_area"],
            per_pupil,
            1,
            ["20"],
            name="生均用地",
            category="facility",
            numerator_unit="平方米",
        ),
    }
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    campaign = f.campaign(basic, balance, region=county)
    Phase.objects.create(
        campaign=campaign, number=1, name="整改", starts_on=date(2013, 3, 1), ends_on=date(2013, 8, 31)
    )
    codes = dict(FIGURES)
    for n in range(extra):
        codes[f"33038201{n:02d}"] = FIGURES["3303820002"]
    for code, values in codes.items():
        town = towns["hongqiao"] if code == "3303820003" else towns["liushi"]
        school = f.school(code, region=town, name=f"学校{code[-4:]}")
        f.report(school, year=2012, **figures(*values))
    compliance_recompute()
    campaign_enrol(campaign=campaign)
    UnitCost.objects.create(indicator=indicators["C"], cost=Decimal("4500"), unit="台", is_sample=True)
    UnitCost.objects.create(indicator=indicators["B"], cost=Decimal("25.50"), unit="册")
    for role in ROLES:
        user = demo_user_sync(role=role, group=groups[role.key], password=f"yq-{role.key}-2013")
        if role.key == "clerk":
            scope_set(user=user, schools=[School.objects.get(code="3303820001")])
        elif role.key != "admin":
            scope_set(user=user, regions=[towns["liushi"]])
    return campaign, indicators, towns


@pytest.fixture
def world():
    return build()


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def rows_by_key(rows):
    return {(row.school.code, row.indicator.code): row for row in rows}


def all_rows(campaign):
    return purchase_rows(campaign, purchase_gaps(campaign, School.objects.all()))


# --- Quantities, costs and totals ------------------------------------------------------------------


def test_quantities_round_counted_things_up_and_keep_measured_amounts(world):
    campaign, _indicators, _towns = world
    rows = rows_by_key(all_rows(campaign))
    # Equipment gaps only: the site shortfall of 0003 is a facility, built, not bought.
    assert set(rows) == {
        ("3303820001", "C"),
        ("3303820001", "B"),
        ("3303820001", "E"),
        ("3303820002", "C"),
        ("3303820002", "B"),
        ("3303820003", "C"),
        ("3303820003", "E"),
    }
    # 36.5 computers needed, 30 there: 6.5 short, 7 bought.
    assert rows["3303820001", "C"].quantity == 7
    assert rows["3303820001", "B"].quantity == 950
    # 365 × 1 000.5 − 300 000 = 65 182.5 yuan, bought as measured.
    assert rows["3303820001", "E"].quantity == Decimal("65182.50")
    # 12.3 − 10 = 2.3 short: 3 computers.
    assert rows["3303820002", "C"].quantity == 3
    assert rows["3303820002", "B"].quantity == 690
    assert rows["3303820003", "C"].quantity == 5
    assert rows["3303820003", "E"].quantity == Decimal("100100.00")


def test_unit_costs_and_costs_and_unpriced_items(world):
    campaign, _indicators, _towns = world
    rows = rows_by_key(all_rows(campaign))
    # 7 × 4 500 = 31 500.00; 950 × 25.50 = 24 225.00.
    assert rows["3303820001", "C"].cost == Decimal("31500.00")
    assert rows["3303820001", "B"].cost == Decimal("24225.00")
    # No unit cost for equipment value: 未定价, no cost.
    assert rows["3303820001", "E"].cost is None
    assert rows["3303820001", "E"].problem == "unpriced"
    # 690 × 25.50 = 17 595.00.
    assert rows["3303820002", "B"].cost == Decimal("17595.00")


def test_totals_per_school_town_and_city(world):
    campaign, indicators, _towns = world
    towns, city = purchase_groups(all_rows(campaign))
    assert [town.town.name for town in towns] == ["虹桥镇", "柳市镇"]  # by region code
    hongqiao, liushi = towns
    schools = {group.tracked.school.code: group.totals for town in towns for group in town.schools}
    # 0001: 31 500 + 24 225 = 55 725.00, equipment value unpriced.
    assert (schools["3303820001"].cost, schools["3303820001"].unpriced) == (Decimal("55725.00"), 1)
    # 0002: 3 × 4 500 + 17 595 = 13 500 + 17 595 = 31 095.00.
    assert (schools["3303820002"].cost, schools["3303820002"].unpriced) == (Decimal("31095.00"), 0)
    # 0003: 5 × 4 500 = 22 500.00, equipment value unpriced.
    assert (schools["3303820003"].cost, schools["3303820003"].unpriced) == (Decimal("22500.00"), 1)
    # 柳市镇: 55 725 + 31 095 = 86 820.00; computers 7 + 3 = 10 (45 000), books 950 + 690 = 1 640
    # (41 820), equipment value 65 182.50 yuan unpriced.
    assert (liushi.totals.cost, liushi.totals.unpriced) == (Decimal("86820.00"), 1)
    assert liushi.totals.items[indicators["C"]] == [Decimal(10), "台", Decimal("45000.00")]
    assert liushi.totals.items[indicators["B"]] == [Decimal(1640), "册", Decimal("41820.00")]
    assert liushi.totals.items[indicators["E"]] == [Decimal("65182.50"), "元", Decimal(0)]
    assert (hongqiao.totals.cost, hongqiao.totals.unpriced) == (Decimal("22500.00"), 1)
    # The city: 86 820 + 22 500 = 109 320.00; computers 10 + 5 = 15 (67 500); equipment value
    # 65 182.50 + 100 100 = 165 282.50 yuan; 2 rows unpriced.
    assert (city.cost, city.unpriced) == (Decimal("109320.00"), 2)
    assert city.items[indicators["C"]] == [Decimal(15), "台", Decimal("67500.00")]
    assert city.items[indicators["E"]][0] == Decimal("165282.50")


def test_buying_the_listed_quantities_makes_each_item_pass(world):
    """The stored shortfall is the engine's, rounded up (to whole things or to the fen), so the
    rounded-up purchase is enough: the 2013 report with them added passes C, B and E."""
    campaign, _indicators, _towns = world
    rows = rows_by_key(all_rows(campaign))
    pupils, computers, books, value, site = FIGURES["3303820001"]
    school = School.objects.get(code="3303820001")
    bought = figures(
        pupils,
        computers + rows["3303820001", "C"].quantity,
        books + rows["3303820001", "B"].quantity,
        value + rows["3303820001", "E"].quantity,
        site,
    )
    report = f.report(school, year=2013, **bought)
    compliance_recompute(reports=[report.pk])
    [summary] = summary_items(ComplianceSummary.objects.filter(report=report))
    assert {item.indicator.code: item.passed for item in summary.stored_items} == {
        "C": True,
        "B": True,
        "E": True,
        "L": False,
    }
    assert summary.failed_indicators == f",{Indicator.objects.get(standard=summary.standard, code='L').pk},"
    # One computer fewer would not do: 36 for 365 pupils is 9.86 per 100.
    assert computers + rows["3303820001", "C"].quantity - 1 < Decimal("36.5")


def test_a_missing_unit_cost_and_a_unit_cost_in_another_unit_leave_the_cost_open(world):
    campaign, indicators, _towns = world
    UnitCost.objects.filter(indicator=indicators["B"]).update(unit="套")
    rows = rows_by_key(all_rows(campaign))
    assert rows["3303820001", "B"].cost is None
    assert rows["3303820001", "B"].problem == "unit"


def test_resolved_gaps_leave_the_list(world):
    campaign, _indicators, _towns = world
    Gap.objects.filter(tracked__school__code="3303820002", indicator__code="B").update(
        status=Gap.Status.WAIVED, waiver_reason="学校撤并"
    )
    assert ("3303820002", "B") not in rows_by_key(all_rows(campaign))


# --- A spanning school's shared resources -----------------------------------------------------------


def test_a_shared_purchase_serves_every_level_part_at_its_share():
    """A nine-year school: 300 primary and 200 junior pupils, weighted 300 : 220 (junior × 1.1), so
    the primary part counts 300/520 of the school's computers and the junior 220/520. With 26
    computers, ≥ 10 per 100 pupils in each part: primary holds 26 × 300/520 = 15 of 30 (15 short),
    junior 26 × 220/520 = 11 of 20 (9 short). The school must buy 15 ÷ (300/520) = 26 for the
    primary part and 9 ÷ (220/520) = 21.27 → 22 for the junior one; one purchase serves both: 26.
    Rounding each part's shortfall up and adding them (24) would leave primary at
    50 × 300/520 = 28.8 < 30."""
    shares = level_shares("nine_year", {"primary": 300, "junior": 200}, SplitWeights())
    parts = [(Decimal(15), shares["primary"]), (Decimal(9), shares["junior"])]
    assert school_purchase_quantity(parts, "台", shared=True) == 26
    # A thing kept per level is bought per part: 15 + 9.
    assert school_purchase_quantity(parts, "台", shared=False) == 24
    # Unknown shares: no quantity rather than a wrong one.
    assert school_purchase_quantity([(Decimal(15), None)], "台", shared=True) is None


def test_a_spanning_schools_level_parts_are_one_purchase_that_makes_both_pass():
    county = f.county()
    level = f.standard("t-level", unit="level")
    f.indicator(
        level,
        "C",
        ["computers"],
        ["students_{level}"],
        100,
        ["10"],
        category="equipment",
        numerator_unit="台",
    )
    f.indicator(level, "T", ["teachers_{level}"], ["students_{level}"], 100, ["50"], numerator_unit="人")
    f.pass_rule(level, max_failed=0)
    campaign = f.campaign(level, f.standard("t-balance", kind="balance", unit="level"), region=county)
    school = f.school("3303820009", "nine_year", region=f.town(county))
    base = {"students_primary": 300, "students_junior": 200, "classes_primary": 6, "classes_junior": 4}
    f.report(school, year=2012, computers=26, teachers_primary=1, teachers_junior=1, **base)
    compliance_recompute()
    campaign_enrol(campaign=campaign)
    UnitCost.objects.create(indicator=level.indicators.get(code="C"), cost=4500, unit="台")
    [row] = all_rows(campaign)
    assert sorted(gap.part for gap in row.gaps) == ["junior", "primary"]
    assert row.quantity == 26  # worked out in the previous test
    assert row.cost == Decimal("117000.00")  # 26 × 4 500
    report = f.report(school, year=2013, computers=26 + 26, teachers_primary=1, teachers_junior=1, **base)
    compliance_recompute(reports=[report.pk])
    summaries = summary_items(ComplianceSummary.objects.filter(report=report).order_by("part"))
    computers = [
        (summary.part, item.passed)
        for summary in summaries
        for item in summary.stored_items
        if item.indicator.code == "C"
    ]
    assert computers == [("junior", True), ("primary", True)]
    assert not failing(
        ComplianceSummary.objects.filter(report=report), level.indicators.get(code="C").pk
    ).exists()


# --- The page, its filters, scope and the export ------------------------------------------------------


def test_the_page_shows_rows_totals_and_unpriced_items(client, world):
    response = as_user(client, "admin").get(reverse("phases:purchases"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "学校0001" in text and "学校0003" in text
    assert "未定价" in text
    assert "109,320" in text  # the city's cost, thousands grouped
    assert "示例" in text  # the computers' cost is a sample


def test_filters_by_town_and_item(client, world):
    _campaign, _indicators, towns = world
    url = reverse("phases:purchases") + f"?region={towns['hongqiao'].code}&indicator=C"
    response = as_user(client, "admin").get(url)
    rows = response.context["rows"]
    assert [(row.school.code, row.indicator.code) for row in rows] == [("3303820003", "C")]
    assert response.context["city"].cost == Decimal("22500.00")


def test_an_invalid_filter_lists_nothing_and_the_export_refuses(client, world):
    client = as_user(client, "admin")
    assert client.get(reverse("phases:purchases") + "?indicator=ZZ").context["rows"] is None
    assert client.get(reverse("phases:purchases_export") + "?indicator=ZZ").status_code == 400


def test_a_town_officer_sees_the_own_towns_rows_only(client, world):
    response = as_user(client, "town").get(reverse("phases:purchases"))
    text = response.content.decode()
    assert "学校0003" not in text and "3303820003" not in text
    # 柳市镇 alone: 86 820.00.
    assert response.context["city"].cost == Decimal("86820.00")


def test_a_clerk_may_not_open_the_purchase_list(client, world):
    assert as_user(client, "clerk").get(reverse("phases:purchases")).status_code == 403


def test_the_export_holds_the_rows_and_the_totals(client, world):
    response = as_user(client, "admin").get(reverse("phases:purchases_export"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:10] == (
        "镇街",
        "学校标识码",
        "学校名称",
        "指标",
        "学段",
        "差额",
        "采购数量",
        "计量单位",
        "单价（元）",
        "金额（元）",
    )
    detail = {(row[1], row[3]): row for row in rows[1:8]}
    assert detail["3303820001", "每百名学生计算机"][6:10] == (7, "台", 4500, 31500)
    assert detail["3303820001", "生均图书"][6:10] == (950, "册", 25.5, 24225)
    assert detail["3303820001", "生均仪器设备值"][6] == 65182.5
    assert detail["3303820001", "生均仪器设备值"][8] is None
    assert detail["3303820001", "生均仪器设备值"][12] == "未定价"
    assert detail["3303820001", "每百名学生计算机"][12] == "示例单价，须由教育局核定"
    totals = {(row[0], row[1], row[3]): row for row in rows[8:] if row and row[3]}
    assert totals["虹桥镇", "3303820003", "学校合计"][9] == 22500
    assert totals["柳市镇", "3303820001", "学校合计"][12] == "另有 1 项未计金额"
    assert totals["柳市镇", None, "镇街合计"][9] == 86820
    assert totals["柳市镇", None, "镇街合计：每百名学生计算机"][6:10] == (10, "台", None, 45000)
    assert totals["全市", None, "全市合计"][9] == 109320
    assert totals["全市", None, "全市合计"][12] == "另有 2 项未计金额"
    assert totals["全市", None, "全市合计：生均图书"][6] == 1640


# --- Deliveries ----------------------------------------------------------------------------------------


def delivery_post(file, **quantities):
    data = {
        "delivered_on": "2013-07-15",
        "supplier": "乐清市某电脑公司",
        "kind": "invoice",
        "note": "第一批",
        "file": file,
    }
    return {**data, **quantities}


def row_key(campaign, code, indicator):
    return rows_by_key(all_rows(campaign))[code, indicator].key


def test_a_delivery_attaches_evidence_to_each_gap_it_serves_and_closes_none(client, world):
    campaign, _indicators, _towns = world
    data = delivery_post(
        SimpleUploadedFile("发票.pdf", PDF),
        **{row_key(campaign, "3303820001", "C"): "7", row_key(campaign, "3303820002", "B"): "690"},
    )
    response = as_user(client, "admin").post(reverse("phases:delivery_record"), data)
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.delivered_on, delivery.supplier) == (date(2013, 7, 15), "乐清市某电脑公司")
    lines = {
        (line.gap.tracked.school.code, line.gap.indicator.code): line.quantity
        for line in delivery.lines.all()
    }
    assert lines == {("3303820001", "C"): 7, ("3303820002", "B"): 690}
    evidence = list(Evidence.objects.filter(delivery=delivery))
    assert len(evidence) == 2
    assert {item.kind for item in evidence} == {"invoice"}
    assert {item.decision for item in evidence} == {"pending"}
    assert {item.effective_on for item in evidence} == {date(2013, 7, 15)}
    assert len({item.file.name for item in evidence}) == 1, "one stored file for the delivery"
    assert evidence[0].file.read() == PDF
    # Nothing closes: the gaps keep their status, and stay on the list with what arrived.
    assert set(Gap.objects.filter(evidence__delivery=delivery).values_list("status", flat=True)) == {"open"}
    row = rows_by_key(all_rows(campaign))["3303820001", "C"]
    assert (row.delivered, row.outstanding) == (7, 0)


def test_a_delivery_whose_file_is_not_what_it_claims_is_refused_without_a_trace(client, world):
    campaign, _indicators, _towns = world
    fake = SimpleUploadedFile("发票.pdf", b"<html><script>alert(1)</script></html>")
    data = delivery_post(fake, **{row_key(campaign, "3303820001", "C"): "7"})
    response = as_user(client, "admin").post(reverse("phases:delivery_record"), data)
    assert response.status_code == 200
    assert "不是可接受的文件类型" in response.content.decode()
    assert (Delivery.objects.count(), DeliveryLine.objects.count(), Evidence.objects.count()) == (0, 0, 0)


def test_half_a_computer_is_refused(client, world):
    campaign, _indicators, _towns = world
    data = delivery_post(SimpleUploadedFile("a.pdf", PDF), **{row_key(campaign, "3303820001", "C"): "3.5"})
    response = as_user(client, "admin").post(reverse("phases:delivery_record"), data)
    assert "须为整数" in response.content.decode()
    assert Delivery.objects.count() == 0


def test_a_delivery_without_quantities_or_with_a_word_for_one_is_refused(client, world):
    campaign, _indicators, _towns = world
    client = as_user(client, "admin")
    response = client.post(reverse("phases:delivery_record"), delivery_post(SimpleUploadedFile("a.pdf", PDF)))
    assert "请至少填写一项到货数量" in response.content.decode()
    key = row_key(campaign, "3303820001", "C")
    response = client.post(
        reverse("phases:delivery_record"), delivery_post(SimpleUploadedFile("a.pdf", PDF), **{key: "七"})
    )
    assert "学校0001 每百名学生计算机：到货数量“七”不是数字" in response.content.decode()
    assert Delivery.objects.count() == 0


def test_only_the_bureau_records_deliveries(client, world):
    campaign, _indicators, _towns = world
    data = delivery_post(SimpleUploadedFile("a.pdf", PDF), **{row_key(campaign, "3303820001", "C"): "7"})
    assert as_user(client, "reviewer").post(reverse("phases:delivery_record"), data).status_code == 403
    assert Delivery.objects.count() == 0


# --- Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 6])
def test_the_purchase_list_and_its_export_take_the_same_queries_at_any_size(
    client, django_assert_num_queries, extra
):
    build(extra)
    client = as_user(client, "admin")
    # Session, user, campaign, the gaps (one query, deliveries summed in it), the page's campaign
    # for the demo banner, the towns and the items of the filters.
    with django_assert_num_queries(7):
        assert client.get(reverse("phases:purchases")).status_code == 200
    # Session, user, campaign, the gaps.
    with django_assert_num_queries(4):
        assert client.get(reverse("phases:purchases_export")).status_code == 200
