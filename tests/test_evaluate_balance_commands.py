"""`evaluate` and `balance` on a small dataset whose numbers are worked out by hand below."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schools.models import AnnualReport
from standards.calc.codec import decode_items
from standards.models import ComplianceSummary
from tests import factories as f

pytestmark = pytest.mark.django_db


def primary(students, classes, teachers, **values):
    return dict(students_primary=students, classes_primary=classes, teachers_primary=teachers, **values)


@pytest.fixture
def city():
    """Primary A: 100 students, 8 computers, 1,000 books, 5 teachers.
    Primary B: 300 students, 15 computers, 6,000 books, 15 teachers.
    Nine-year N: 100 primary + 100 junior, 20 computers, 2,100 books, 5 + 10 teachers.
    Junior J: 200 students, 10 computers, 4,000 books, 20 teachers.
    Private P (left out of balance) and a draft report Q (never counted)."""
    region = f.county()
    t = f.town(region)
    a = f.school("3303820001", region=t)
    b = f.school("3303820002", region=t)
    n = f.school("3303820003", "nine_year", region=t)
    j = f.school("3303820004", "junior", region=t)
    p = f.school("3303820005", region=t, ownership="private")
    q = f.school("3303820006", region=t)
    f.report(a, **primary(100, 4, 5, computers=8, books=1000))
    f.report(b, **primary(300, 8, 15, computers=15, books=6000))
    f.report(
        n,
        **primary(100, 4, 5),
        students_junior=100,
        classes_junior=3,
        teachers_junior=10,
        computers=20,
        books=2100,
    )
    f.report(j, students_junior=200, classes_junior=5, teachers_junior=20, computers=10, books=4000)
    f.report(p, **primary(50, 2, 3, computers=50, books=5000))
    f.report(q, status=AnnualReport.Status.DRAFT, **primary(100, 4, 5, computers=0, books=0))
    return region


@pytest.fixture
def basic():
    std = f.standard("t-basic")
    f.indicator(
        std,
        "C",
        ["computers"],
        ["students_{level}"],
        scale=100,
        thresholds=["10"],
        unit="台/百生",
        numerator_unit="台",
        order=1,
    )
    f.indicator(
        std,
        "K",
        ["books"],
        ["students_{level}"],
        thresholds=["15"],
        unit="册/生",
        numerator_unit="册",
        order=2,
    )
    f.pass_rule(std, max_failed=1)
    return std


@pytest.fixture
def national():
    std = f.standard("t-balance", kind="balance", unit="level")
    f.indicator(std, "B5", ["books"], ["students_{level}"], order=5)
    f.indicator(std, "B6", ["teachers_{level}"], ["students_{level}"], order=6)
    f.balance_rule(std)
    return std


def run_json(*args):
    out = StringIO()
    call_command(*args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_evaluate_json_matches_hand_calculation(city, basic):
    result = run_json("evaluate", "--standard", "t-basic", "--year", "2012")
    assert result["standard"] == "t-basic" and result["year"] == 2012
    by_code = {s["code"]: s for s in result["schools"]}
    assert "3303820006" not in by_code  # a draft is never evaluated
    a = by_code["3303820001"]
    # A: 8 per 100 vs 10 → 80 %, 2 computers short; 10 books/student vs 15 → 66.67 %, 500 short
    assert (a["failed"], a["passed_rule"]) == (2, False)
    computers, books = a["items"]
    assert computers == {
        "indicator": "C",
        "name": "C",
        "value": 8.0,
        "threshold": 10.0,
        "passed": False,
        "percent": 80.0,
        "shortfall": 2.0,
        "unit": "台/百生",
        "shortfall_unit": "台",
    }
    assert (books["value"], books["percent"], books["shortfall"]) == (10.0, 66.67, 500.0)
    # B: 5 per 100 → 15 computers short; 20 books pass: one failure is allowed
    b = by_code["3303820002"]
    assert (b["failed"], b["passed_rule"], b["items"][0]["shortfall"]) == (1, True, 15.0)
    # N (whole school, 200 students): 10 per 100 exactly passes; 10.5 books → 900 short
    n = by_code["3303820003"]
    assert [i["passed"] for i in n["items"]] == [True, False] and n["items"][1]["shortfall"] == 900.0
    # J: 5 per 100 → 10 short; 20 books pass
    assert by_code["3303820004"]["items"][0]["shortfall"] == 10.0


def test_evaluate_stores_results(city, basic):
    call_command("evaluate", "--standard", "t-basic", "--year", "2012", stdout=StringIO())
    assert ComplianceSummary.objects.filter(standard=basic).count() == 5
    assert ComplianceSummary.objects.filter(standard=basic, passed_rule=False).count() == 1
    named = ComplianceSummary.objects.filter(standard=basic).values_list("failed_indicators", flat=True)
    assert sum(text.count(",") - 1 for text in named if text) == 5
    stored = ComplianceSummary.objects.filter(standard=basic).values_list("items", flat=True)
    assert sum(item.passed is False for items in stored for item in decode_items(items)) == 5


def test_balance_json_matches_hand_calculation(city, national):
    result = run_json("balance", "--standard", "t-balance", "--year", "2012", "--region", "330382")
    assert (result["standard"], result["year"], result["region"]) == ("t-balance", 2012, "330382")
    primary_level = result["levels"]["primary"]
    # A (100, 1,000), B (300, 6,000), N primary: 2,100 × 100/(100 + 110) = 1,000 books for 100.
    # N = 500, mean 16; variance 0.2·36 + 0.6·16 + 0.2·36 = 24; CV = √24 / 16 = 0.3062
    assert (primary_level["schools"], primary_level["students"]) == (3, 500)
    books, teachers = primary_level["indicators"]
    assert books["mean"] == 16.0 and books["cv"] == 0.3062
    assert books["schools"]["resource"] == [1000.0, 6000.0, 1000.0]
    assert teachers["cv"] == 0.0  # 0.05 teachers per student everywhere
    assert primary_level["composite_cv"] == 0.1531 and primary_level["composite_limit"] == 0.65
    assert primary_level["passed"] is True
    junior_level = result["levels"]["junior"]
    # J (200, 4,000) and N junior (100, 1,100): mean 17; variance ⅔·9 + ⅓·36 = 18; CV = √18/17
    assert junior_level["indicators"][0]["cv"] == 0.2496
    assert junior_level["composite_cv"] == 0.1248 and junior_level["passed"] is True


def test_balance_per_indicator_rule_judges_each_indicator(city, national):
    national.balance_rule.mode = "per_indicator"
    national.balance_rule.limit_primary = "0.30"
    national.balance_rule.save()
    level = run_json("balance", "--standard", "t-balance", "--year", "2012", "--region", "330382")["levels"][
        "primary"
    ]
    assert [i["passed"] for i in level["indicators"]] == [False, True]  # 0.3062 > 0.30
    assert level["passed"] is False and "composite_cv" not in level


def _add_schools(count, start):
    t = f.town()
    for i in range(count):
        s = f.school(f"33038{start + i:05d}", region=t)
        f.report(s, **primary(100, 4, 5, computers=5, books=900))


def _queries(*args):
    with CaptureQueriesContext(connection) as ctx:
        call_command(*args, stdout=StringIO())
    return len(ctx.captured_queries)


def test_evaluate_and_balance_queries_do_not_grow_with_schools(city, basic, national):
    evaluate = ("evaluate", "--standard", "t-basic", "--year", "2012")
    balance = ("balance", "--standard", "t-balance", "--year", "2012", "--region", "330382")

    def measure(start, count):
        _add_schools(count, start)
        writing = _queries(*evaluate)  # stores the new schools' results
        return writing, _queries(*evaluate), _queries(*balance)  # then nothing changed

    _queries(*evaluate)
    assert measure(100, 3) == measure(200, 30)


def test_table_formats_name_failed_items_and_coefficients(city, basic, national):
    out = StringIO()
    call_command("evaluate", "--standard", "t-basic", "--year", "2012", stdout=out)
    lines = {line.split("\t")[0][:10]: line for line in out.getvalue().splitlines()}
    assert "未达标 2 项" in lines["3303820001"] and "差 2.0 台" in lines["3303820001"]
    assert "不符合达标规则 1 个评估单位" in out.getvalue()
    out = StringIO()
    call_command("balance", "--standard", "t-balance", "--year", "2012", "--region", "330382", stdout=out)
    assert "综合差异系数 0.1531 ≤ 0.65" in out.getvalue() and "结论：达到" in out.getvalue()


def test_unknown_standard_and_region_are_clear_errors(city, basic, national):
    with pytest.raises(CommandError, match="未知的办学标准：nope"):
        call_command("evaluate", "--standard", "nope", "--year", "2012")
    with pytest.raises(CommandError, match="未知的区划代码：999999"):
        call_command("balance", "--standard", "t-balance", "--year", "2012", "--region", "999999")


def test_a_second_county_is_balanced_on_its_own(city, national):
    other = f.county("330381", "瑞安市")
    school = f.school("3303810001", region=f.town(other, "330381100", "塘下镇"))
    f.report(school, **primary(100, 4, 50, books=90000))  # would dominate Yueqing's coefficients
    yueqing = run_json("balance", "--standard", "t-balance", "--year", "2012", "--region", "330382")
    assert yueqing["levels"]["primary"]["schools"] == 3
    assert yueqing["levels"]["primary"]["indicators"][0]["cv"] == 0.3062
    ruian = run_json("balance", "--standard", "t-balance", "--year", "2012", "--region", "330381")
    assert (
        ruian["levels"]["primary"]["schools"] == 1 and ruian["levels"]["primary"]["indicators"][0]["cv"] == 0
    )
