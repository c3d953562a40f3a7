"""The shipped fixtures: they load together and twice, and hold what the plan and the national measures say."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F

from phases.models import Campaign, LeadershipUnit, Phase, Task
from schools.models import Region
from standards.models import BalanceRule, Indicator, PassRule, Standard, Threshold

pytestmark = pytest.mark.django_db

FIXTURES = ("regions", "national-2012", "national-2017", "zj-basic", "campaign-2013")
MODELS = (
    "schools.Region",
    "standards.Standard",
    "standards.Indicator",
    "standards.Threshold",
    "standards.PassRule",
    "standards.BalanceRule",
    "phases.Campaign",
    "phases.Phase",
    "phases.Task",
    "phases.LeadershipUnit",
)


def overlapping_bands(thresholds):
    """Pairs of thresholds of the same indicator × applies_to × area type whose class bands
    overlap; each threshold is (indicator, applies_to, area_type, min_classes, max_classes), a
    missing bound open."""
    groups = {}
    for row in thresholds:
        groups.setdefault(row[:3], []).append(row)
    found = []
    for rows in groups.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                a_low, a_high = a[3] or 0, a[4] if a[4] is not None else float("inf")
                b_low, b_high = b[3] or 0, b[4] if b[4] is not None else float("inf")
                if a_low <= b_high and b_low <= a_high:
                    found.append((a, b))
    return found


def counts():
    return {label: apps.get_model(label).objects.count() for label in MODELS}


@pytest.fixture
def loaded():
    call_command("loaddata", *FIXTURES, verbosity=0)


def test_all_fixtures_load_together_on_an_empty_database(loaded):
    assert counts() == {
        "schools.Region": 20,
        "standards.Standard": 4,
        "standards.Indicator": 8 + 7 + 7 + 10,
        # national-2017: 7 × 2 levels; zj-basic: 14 type × band rows for 7 items, 14 more urban
        # land rows, one row per school type for qualification, and one for each level's class size
        "standards.Threshold": 7 * 2 + 14 * 7 + 14 + 5 + 2,
        "standards.PassRule": 2,
        "standards.BalanceRule": 2,
        "phases.Campaign": 1,
        "phases.Phase": 5,
        "phases.Task": 18,
        "phases.LeadershipUnit": 25,
    }


def test_loading_twice_adds_nothing(loaded):
    before = counts()
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert counts() == before


def test_every_fixture_object_passes_model_validation(loaded):
    for label in MODELS:
        for obj in apps.get_model(label).objects.all():
            obj.full_clean()


def test_yueqing_has_its_8_streets_and_9_towns_of_2012_in_the_plans_order(loaded):
    county = Region.objects.get(
        code="330382", kind="county", parent__code="330300", parent__parent__code="330000"
    )
    children = list(Region.objects.filter(parent=county))
    assert [r.name for r in children] == [
        "乐成街道",
        "城东街道",
        "城南街道",
        "盐盆街道",
        "翁垟街道",
        "白石街道",
        "石帆街道",
        "天成街道",
        "柳市镇",
        "北白象镇",
        "虹桥镇",
        "淡溪镇",
        "清江镇",
        "芙蓉镇",
        "大荆镇",
        "仙溪镇",
        "雁荡镇",
    ]
    assert [r.kind for r in children] == ["street"] * 8 + ["town"] * 9
    assert all(len(r.code) == 9 and r.code.startswith("330382") for r in children)
    assert {r.code for r in children if r.name in ("城东街道", "柳市镇")} == {"330382001", "330382114"}


def test_national_2012_has_the_eight_balance_indicators_and_the_composite_rule(loaded):
    standard = Standard.objects.get(code="national-2012")
    assert (standard.kind, standard.evaluation_unit, standard.year) == ("balance", "level", 2012)
    assert "教督〔2012〕3号" in standard.name
    codes = list(standard.indicators.values_list("code", flat=True))
    assert codes == ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"]
    b2 = standard.indicators.get(code="B2")
    assert (b2.numerator, b2.denominator) == (["sports_ground_area", "gym_area"], ["students_{level}"])
    assert standard.indicators.get(code="B4").scale == 100
    assert not Threshold.objects.filter(indicator__standard=standard).exists()
    assert (standard.weight_junior, standard.weight_senior, standard.weight_cm_senior) == (
        Decimal("1.1"),
        Decimal("1.32"),
        Decimal("1.2"),
    )
    rule = BalanceRule.objects.get(standard=standard)
    assert (rule.mode, rule.limit_primary, rule.limit_junior) == (
        "composite",
        Decimal("0.65"),
        Decimal("0.55"),
    )
    assert (rule.teaching_points, rule.teaching_point_min_students, rule.include_private) == (
        "separate",
        0,
        False,
    )


def test_national_2017_has_seven_indicators_with_thresholds_per_level(loaded):
    standard = Standard.objects.get(code="national-2017")
    assert (standard.kind, standard.evaluation_unit) == ("school", "level")
    expected = {  # 教督〔2017〕6号, primary / junior
        "Q1": ("4.2", "5.3"),
        "Q2": ("1.0", "1.0"),
        "Q3": ("0.9", "0.9"),
        "Q4": ("4.5", "5.8"),
        "Q5": ("7.5", "10.2"),
        "Q6": ("2000", "2500"),
        "Q7": ("2.3", "2.4"),
    }
    found = {}
    for t in Threshold.objects.filter(indicator__standard=standard):
        assert (t.min_classes, t.max_classes, t.area_type) == (None, None, "")
        found.setdefault(t.indicator.code, {})[t.applies_to] = t.value
    assert found == {code: {"primary": Decimal(p), "junior": Decimal(j)} for code, (p, j) in expected.items()}
    assert standard.indicators.get(code="Q1").numerator == ["qualified_above_{level}"]
    rule = PassRule.objects.get(standard=standard)
    assert (rule.max_failed, rule.min_percent) == (1, Decimal("85"))


def test_national_2017_balance_judges_each_indicator(loaded):
    standard = Standard.objects.get(code="national-2017-balance")
    assert (standard.kind, standard.evaluation_unit) == ("balance", "level")
    assert list(standard.indicators.values_list("code", flat=True)) == [f"Q{i}" for i in range(1, 8)]
    assert not Threshold.objects.filter(indicator__standard=standard).exists()
    rule = standard.balance_rule
    assert (rule.mode, rule.limit_primary, rule.limit_junior) == (
        "per_indicator",
        Decimal("0.5"),
        Decimal("0.45"),
    )
    assert (rule.teaching_points, rule.teaching_point_min_students, rule.include_private) == (
        "separate",
        50,
        False,
    )


def test_zj_basic_is_marked_as_sample_values_with_a_note(loaded):
    standard = Standard.objects.get(code="zj-basic")
    assert (standard.kind, standard.evaluation_unit, standard.is_sample) == ("school", "school", True)
    assert "示例" in standard.sample_note and "浙江省义务教育学校办学基本标准" in standard.sample_note
    assert (standard.pass_rule.max_failed, standard.pass_rule.min_percent) == (1, None)
    size = standard.indicators.get(code="Z9")
    assert (size.numerator, size.denominator, size.direction) == (
        ["students_{level}"],
        ["classes_{level}"],
        "le",
    )


def test_threshold_bands_do_not_overlap(loaded):
    rows = Threshold.objects.values_list("indicator", "applies_to", "area_type", "min_classes", "max_classes")
    assert overlapping_bands(list(rows)) == []


def test_overlap_check_finds_shared_class_counts():
    rows = [(1, "primary", "", None, 12), (1, "primary", "", 12, 24), (1, "primary", "urban", 1, 40)]
    assert overlapping_bands(rows) == [(rows[0], rows[1])]
    assert overlapping_bands([(1, "junior", "", 25, None), (1, "junior", "", None, 24)]) == []


@pytest.mark.parametrize("school_type", ["primary", "junior", "nine_year", "twelve_year", "complete_middle"])
def test_every_zj_basic_item_has_a_threshold_for_every_school_size(loaded, school_type):
    for indicator in Indicator.objects.filter(standard__code="zj-basic"):
        limits = list(indicator.thresholds.filter(applies_to__in=["", school_type]))
        for classes in range(1, 81):
            for area in ("urban", "town", "rural"):
                assert any(
                    (t.min_classes is None or t.min_classes <= classes)
                    and (t.max_classes is None or classes <= t.max_classes)
                    and t.area_type in ("", area)
                    for t in limits
                ), (indicator.code, school_type, classes, area)


def test_larger_primary_schools_need_less_land_per_student(loaded):
    land = Threshold.objects.filter(
        indicator__code="Z1", indicator__standard__code="zj-basic", applies_to="primary"
    )
    for area in ("", "urban"):
        bands = land.filter(area_type=area).order_by(F("min_classes").asc(nulls_first=True))
        values = list(bands.values_list("value", flat=True))
        assert len(values) == 4 and values == sorted(values, reverse=True)


def test_campaign_follows_the_plan(loaded):
    campaign = Campaign.objects.get()
    assert campaign.name == "乐清市创建省义务教育均衡发展市"
    assert (campaign.region.code, campaign.standard.code, campaign.balance_standard.code) == (
        "330382",
        "zj-basic",
        "national-2012",
    )
    assert (campaign.baseline_year, campaign.evaluation_year, campaign.is_current) == (2012, 2014, True)
    assert "乐清市创建省义务教育均衡发展市分阶段推进计划" in campaign.document
    phases = [(p.number, p.name, p.starts_on, p.ends_on) for p in Phase.objects.filter(campaign=campaign)]
    day = datetime.date
    assert phases == [
        (1, "问题核实阶段", day(2013, 3, 1), day(2013, 4, 30)),
        (2, "问题整改阶段", day(2013, 5, 1), day(2013, 8, 31)),
        (3, "数据核准阶段", day(2013, 9, 1), day(2013, 10, 31)),
        (4, "申报准备阶段", day(2013, 11, 1), day(2014, 4, 30)),
        (5, "自查迎评阶段", day(2014, 5, 1), day(2014, 6, 30)),
    ]
    tasks = Task.objects.filter(phase__campaign=campaign).order_by("order")
    assert [t.code for t in tasks] == [f"PLAN-T{i}" for i in range(1, 19)]
    assert [Task.objects.filter(phase__number=n).count() for n in range(1, 6)] == [3, 3, 4, 5, 3]
    assert tasks.get(code="PLAN-T1").title == "对53所有两项及以上办学基本标准不达标的学校组织核查指导"
    assert tasks.get(code="PLAN-T5").title.startswith("对18所问题严重的学校")


def test_leadership_group_has_the_mayor_two_deputies_19_member_units_and_the_office(loaded):
    units = LeadershipUnit.objects.filter(campaign__name="乐清市创建省义务教育均衡发展市")
    by_role = {}
    for unit in units:
        by_role.setdefault(unit.role, []).append(unit.name)
    assert by_role["leader"] == ["市长"]
    assert by_role["deputy"] == ["市委副书记", "副市长"]
    assert len(by_role["member"]) == 19
    assert {"市教育局", "市财政局", "乐清日报社", "市广播电视台", "市政协科教文卫体委"} <= set(
        by_role["member"]
    )
    assert all("市教育局" in name for name in by_role["office"])
    assert any("副主任" in name for name in by_role["office"])
