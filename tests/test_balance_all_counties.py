"""`balance --all-counties`: every county's coefficients at once, on two counties worked out by hand.

乐清市 (330382, under 温州市), primary schools only (and a closed one, not counted):
  a1: 100 students, 1,000 books, 5 teachers; a2: 300 students, 6,000 books, 15 teachers.
  Books per student 10 and 20, weights ¼ and ¾: mean 17.5; variance ¼·56.25 + ¾·6.25 = 18.75;
  CV = √18.75 / 17.5 = 0.2474. Teachers per student 0.05 at both: CV 0. Composite 0.1237 ≤ 0.65.
  No junior school: no coefficient, no verdict.
西湖区 (330106, under 杭州市):
  b1: 100 primary students, 500 books, 2 teachers; b2: 100 students, 3,500 books, 8 teachers.
  Books 5 and 35, mean 20, variance 225, CV 15/20 = 0.75; teachers 0.02 and 0.08, mean 0.05,
  variance 0.0009, CV 0.03/0.05 = 0.6. Composite (0.75 + 0.6)/2 = 0.675 > 0.65: not reached.
  b3: a junior school alone (200 students, 4,000 books, 20 teachers): CVs 0, composite 0 ≤ 0.55.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from schools.models import Region
from standards.balance import balance_counties
from tests import factories as f

pytestmark = pytest.mark.django_db


def region(code, name, kind, parent=None):
    return Region.objects.create(code=code, name=name, kind=kind, parent=parent)


@pytest.fixture
def province():
    zhejiang = region("330000", "浙江省", "province")
    wenzhou = region("330300", "温州市", "prefecture", zhejiang)
    hangzhou = region("330100", "杭州市", "prefecture", zhejiang)
    yueqing = region("330382", "乐清市", "county", wenzhou)
    xihu = region("330106", "西湖区", "county", hangzhou)
    liushi = region("330382100", "柳市镇", "town", yueqing)
    lingyin = region("330106001", "灵隐街道", "street", xihu)
    for code, students, books, teachers in (("3303820001", 100, 1000, 5), ("3303820002", 300, 6000, 15)):
        school = f.school(code, region=liushi)
        f.report(school, students_primary=students, classes_primary=4, books=books, teachers_primary=teachers)
    f.school("3303820003", region=liushi, is_active=False)
    for code, students, books, teachers in (("3301060001", 100, 500, 2), ("3301060002", 100, 3500, 8)):
        school = f.school(code, region=lingyin)
        f.report(school, students_primary=students, classes_primary=4, books=books, teachers_primary=teachers)
    junior = f.school("3301060003", "junior", region=lingyin)
    f.report(junior, students_junior=200, classes_junior=5, books=4000, teachers_junior=20)
    standard = f.standard("t-balance", kind="balance", unit="level")
    f.indicator(standard, "B", ["books"], ["students_{level}"], name="生均图书", order=1)
    f.indicator(standard, "T", ["teachers_{level}"], ["students_{level}"], name="生均教师", order=2)
    f.balance_rule(standard)
    return standard


def run(*options, format="json"):
    out = StringIO()
    call_command(
        "balance",
        "--all-counties",
        "--standard",
        "t-balance",
        "--year",
        "2012",
        "--format",
        format,
        *options,
        stdout=out,
    )
    return json.loads(out.getvalue()) if format == "json" else out.getvalue().splitlines()


def test_every_county_with_its_prefecture_schools_and_coefficients(province):
    result = run()
    assert (result["standard"], result["year"]) == ("t-balance", 2012)
    xihu, yueqing = result["counties"]  # by county code
    assert (xihu["code"], xihu["name"], xihu["parent"]) == (
        "330106",
        "西湖区",
        {"code": "330100", "name": "杭州市"},
    )
    assert (yueqing["code"], yueqing["parent"]["code"], yueqing["schools"]) == ("330382", "330300", 2)
    assert xihu["schools"] == 3

    primary = yueqing["levels"]["primary"]
    assert (primary["schools"], primary["students"]) == (2, 400)
    assert [(i["code"], i["mean"], i["cv"]) for i in primary["indicators"]] == [
        ("B", 17.5, 0.2474),
        ("T", 0.05, 0.0),
    ]
    assert (primary["composite_cv"], primary["composite_limit"], primary["passed"]) == (0.1237, 0.65, True)
    junior = yueqing["levels"]["junior"]
    assert (junior["schools"], junior["composite_cv"], junior["passed"]) == (0, None, None)

    primary = xihu["levels"]["primary"]
    assert [i["cv"] for i in primary["indicators"]] == [0.75, 0.6]
    assert (primary["composite_cv"], primary["passed"]) == (0.675, False)
    junior = xihu["levels"]["junior"]
    assert (junior["schools"], junior["composite_cv"], junior["passed"]) == (1, 0.0, True)
    assert "rows" not in primary and "schools" not in primary["indicators"][0]


def test_per_indicator_rule_judges_each_coefficient(province):
    rule = province.balance_rule
    rule.mode, rule.limit_primary = "per_indicator", "0.5"
    rule.save()
    xihu, yueqing = run()["counties"]
    # 乐清: 0.2474 and 0 ≤ 0.5; 西湖: 0.75 and 0.6 > 0.5.
    assert [i["passed"] for i in yueqing["levels"]["primary"]["indicators"]] == [True, True]
    assert yueqing["levels"]["primary"]["passed"] is True
    assert [i["passed"] for i in xihu["levels"]["primary"]["indicators"]] == [False, False]
    assert xihu["levels"]["primary"]["passed"] is False
    assert "composite_cv" not in xihu["levels"]["primary"]


def test_region_limits_the_counties_to_those_under_it(province):
    assert [c["code"] for c in run("--region", "330300")["counties"]] == ["330382"]
    assert [c["code"] for c in run("--region", "330000")["counties"]] == ["330106", "330382"]
    assert [c["code"] for c in run("--region", "330106")["counties"]] == ["330106"]


def test_table_prints_one_line_per_county(province):
    lines = run(format="table")
    assert len(lines) == 2
    xihu, yueqing = lines
    assert xihu.startswith("330106\t西湖区\t杭州市\t3 所")
    assert "[小学] 综合 0.675/0.65 未达到" in xihu and "[初中] 综合 0.0/0.55 达到" in xihu
    assert "[小学] 综合 0.1237/0.65 达到" in yueqing and "[初中] 综合 —/0.55 无法判定" in yueqing


def test_a_county_without_reports_has_levels_without_figures(province):
    # Yueqing has no junior school: its junior level has no schools, no coefficient, no verdict;
    # a county with no school at all comes back the same, for both levels.
    empty = region("330109", "萧山区", "county", Region.objects.get(code="330100"))
    results = balance_counties(
        standard=province, year=2012, counties=[Region.objects.get(code="330382"), empty], with_schools=True
    )
    junior = results[Region.objects.get(code="330382").pk]["levels"]["junior"]
    assert (junior["schools"], junior["students"], junior["passed"], junior["composite_cv"]) == (
        0,
        0,
        None,
        None,
    )
    assert junior["school"] == {"code": [], "name": [], "students": []}
    for block in results[empty.pk]["levels"].values():
        assert (block["schools"], block["passed"]) == (0, None)
        assert [i["cv"] for i in block["indicators"]] == [None, None]
        assert block["indicators"][0]["schools"] == {"students": [], "resource": [], "value": []}
