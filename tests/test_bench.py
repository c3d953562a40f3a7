"""`make bench` runs end to end on a small city and a small province and reports every figure
(no timing asserted); its generated data takes every path of the engine."""

import json
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from devtools.bench_data import county_sizes, place_tie, rows
from schools.fields import REPORT_KEYS
from schools.models import AnnualReport, Region, School
from standards.calc.specs import IndicatorSpec, ThresholdSpec
from standards.models import BalanceRule, ComplianceSummary
from tests.generated_rows import assert_every_kind_of_school

RATIOS = (
    "evaluate_over_read",
    "balance_over_read",
    "all_counties_over_read",
    "first_evaluation_over_read",
    "import_over_bulk_create",
    "peak_memory_mb",
    "verdict_differences",
)


@pytest.mark.django_db
def test_bench_names_every_ratio_with_its_target_and_loads_through_the_importers():
    out = StringIO()
    call_command(
        "bench",
        *("--schools", "60", "--province-schools", "300", "--repeat", "1", "--web-rows", "20", "--in-place"),
        stdout=out,
        stderr=StringIO(),
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 1  # one JSON line, progress on stderr
    result = json.loads(lines[0])
    assert result["schools"] == 60 and result["province_schools"] == 300
    assert set(RATIOS) <= result.keys()
    assert set(result["targets"]) == set(RATIOS) == set(result["met"])
    assert all(isinstance(result["met"][name], bool) for name in RATIOS)
    assert result["all_met"] == all(result["met"].values())  # every figure was measured
    assert type(result["verdict_differences"]) is int
    assert result["targets"]["first_evaluation_over_read"] == "<= 3.5"
    assert result["targets"]["import_over_bulk_create"] == ">= 0.33"

    details = result["details"]
    assert details["import"]["rows"] == 120
    assert set(details["balance"]["modes"]) == {"separate", "merge", "exclude"}
    assert set(details["verdicts"]["standards"]) == {"zj-basic", "national-2017"}
    # the province: two counties (300 schools fit in two), each in the one call's result
    assert details["province"]["counties"] == 2 and details["province"]["counties_in_result"] == 2
    assert details["province"]["reports_read"] == 300
    assert AnnualReport.objects.approved().filter(year=2014).count() == 300
    assert Region.objects.filter(kind="county", parent__code="339900").count() == 2

    # the benchmark's city was imported through the commands and evaluated
    assert AnnualReport.objects.approved().filter(year=2012).count() == 60
    assert AnnualReport.objects.approved().filter(year=2013).count() == 20  # the web import's
    assert ComplianceSummary.objects.filter(standard__code="zj-basic", report__year=2012).count() == 60
    assert School.objects.filter(code__startswith="39").count() == 60
    # the balance rule's treatment of teaching points is put back after its three timings
    rule = BalanceRule.objects.get(standard__code="national-2012")
    assert (rule.teaching_points, rule.teaching_point_min_students, rule.include_private) == (
        "separate",
        0,
        False,
    )


def test_bench_data_covers_every_kind_of_school_and_follows_the_seed():
    schools, reports, _ = rows(2000, ["t1", "t2", "t3"], seed=7)
    assert (schools, reports) == rows(2000, ["t1", "t2", "t3"], seed=7)[:2]
    assert_every_kind_of_school(schools)
    spanning = next(r for r, s in zip(reports, schools, strict=True) if s["school_type"] == "complete_middle")
    assert spanning["students_senior"] and spanning["students_junior"] and not spanning["students_primary"]


def test_a_tie_puts_the_value_exactly_at_the_threshold():
    # building area per student ≥ 7.2 for primary schools of 13 to 24 classes
    building = IndicatorSpec(
        code="Z3",
        numerator=("building_area",),
        denominator=("students_{level}",),
        thresholds=(ThresholdSpec(Decimal("7.2"), "primary", 13, 24),),
    )
    report = dict.fromkeys(REPORT_KEYS, 0)
    report.update(students_primary=615, classes_primary=15, teachers_primary=40)
    assert place_tie(random.Random(1), report, "primary", "town", [((building,), False)])
    assert report["building_area"] == Decimal("4428.00")  # 7.2 × 615
    # a threshold that would need a fraction of a count places nothing
    per_hundred = IndicatorSpec(
        code="Z5",
        numerator=("computers",),
        denominator=("students_{level}",),
        scale=Decimal(100),
        thresholds=(ThresholdSpec(Decimal("11")),),
    )
    assert not place_tie(random.Random(1), report, "primary", "town", [((per_hundred,), False)])


def test_county_sizes_at_the_province_scale():
    sizes = county_sizes(250_000)
    assert len(sizes) == 90 and sum(sizes) == 250_000
    assert sizes == sorted(sizes) and 60 <= sizes[0] and sizes[-1] == 3000
    # skewed: most counties full, a tail of small ones
    assert sum(size == 3000 for size in sizes) > 45 and sum(size < 1000 for size in sizes) >= 5
