"""`demo_data`: reproducible files whose reports fail the basic standard as the plan describes.

The failing items are counted here by a hand-written check of the files against the thresholds
in fixtures/zj-basic.json, independent of the app's compliance code.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from phases.models import Campaign
from schools.fields import REPORT_KEYS, contradictions
from schools.models import AnnualReport, Region, School
from standards.models import ComplianceSummary, Standard

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "zj-basic.json"
FILES = ("schools.xlsx", "reports-2012.xlsx", "reports-2013.xlsx")
TYPES = {"小学": "primary", "初级中学": "junior", "九年一贯制学校": "nine_year"}
AREAS = {"城区": "urban", "镇区": "town", "乡村": "rural"}
# Each level's class size, held to that level's own limit: (students, classes) columns.
CLASS_SIZES = {"Z9": ("小学在校生数", "小学班数"), "Z10": ("初中在校生数", "初中班数")}


def sheet(path):
    return list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))


def records(path):
    header, *rows = sheet(path)
    return [dict(zip(header, row, strict=True)) for row in rows]


def demo_files(out, *options):
    call_command("demo_data", "--dry-run", "--out", str(out), *options, verbosity=0)
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return demo_files(tmp_path_factory.mktemp("demo"))


def zj_thresholds():
    """{indicator code: [threshold fields]} straight from the fixture."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    codes = {r["pk"]: r["fields"]["code"] for r in rows if r["model"] == "standards.indicator"}
    found = {}
    for row in rows:
        if row["model"] == "standards.threshold":
            found.setdefault(codes[row["fields"]["indicator"]], []).append(row["fields"])
    return found


def limit(thresholds, school_type, classes, area):
    matches = [
        t
        for t in thresholds
        if t["applies_to"] in ("", school_type)
        and t["area_type"] in ("", area)
        and (t["min_classes"] or 0) <= classes
        and (t["max_classes"] is None or classes <= t["max_classes"])
    ]
    # an urban school's own land value beats the general one
    return float(max(matches, key=lambda t: (t["applies_to"] != "", t["area_type"] != ""))["value"])


def failed_items(school, r, thresholds):
    """Codes of the zj-basic items one report row fails, computed by hand."""
    assert r["高中在校生数"] == 0
    students = r["小学在校生数"] + r["初中在校生数"]
    teachers = r["小学专任教师数"] + r["初中专任教师数"]
    classes = r["小学班数"] + r["初中班数"]
    values = {
        "Z1": r["占地面积"] / students,
        "Z2": r["集中绿地面积"] / students,
        "Z3": r["校舍建筑面积"] / students,
        "Z4": 100 * (r["小学高于规定学历教师数"] + r["初中高于规定学历教师数"]) / teachers,
        "Z5": 100 * r["教学用计算机台数"] / students,
        "Z6": r["图书册数"] / students,
        "Z7": r["运动场地面积"] / students,
        "Z8": r["教学仪器设备值"] / students,
    }
    for code, (level_students, level_classes) in CLASS_SIZES.items():
        if r[level_classes]:  # judged only where the school has classes of that level
            values[code] = r[level_students] / r[level_classes]  # at most the threshold
    school_type, area = TYPES[school["办学类型"]], AREAS[school["城乡分类"]]
    failed = set()
    for code, value in values.items():
        threshold = limit(thresholds[code], school_type, classes, area)
        if (value > threshold) if code in CLASS_SIZES else (value < threshold):
            failed.add(code)
    return failed


def failures(out, year):
    schools = {s["学校标识码"]: s for s in records(out / "schools.xlsx")}
    thresholds = zj_thresholds()
    return {
        r["学校标识码"]: failed_items(schools[r["学校标识码"]], r, thresholds)
        for r in records(out / f"reports-{year}.xlsx")
    }


def test_same_seed_writes_identical_files(files, tmp_path):
    again = demo_files(tmp_path)
    for name in FILES:
        assert sheet(again / name) == sheet(files / name)


def test_another_seed_writes_another_city(files, tmp_path):
    other = demo_files(tmp_path, "--seed", "7")
    assert sheet(other / "reports-2012.xlsx") != sheet(files / "reports-2012.xlsx")


def test_registry_spreads_about_180_synthetic_schools_over_the_17_towns(files):
    schools = records(files / "schools.xlsx")
    codes = [s["学校标识码"] for s in schools]
    assert len(schools) == 180 and len(set(codes)) == 180
    assert all(len(code) == 10 and code.isdigit() for code in codes)
    assert all(s["学校名称"].startswith("演示") for s in schools)
    assert len({s["所属镇街"] for s in schools}) == 17
    kinds = [s["办学类型"] for s in schools]
    assert kinds.count("小学") > 90 and kinds.count("初级中学") > 10 and kinds.count("九年一贯制学校") > 5
    assert 1 <= sum(s["举办者类型"] == "民办" for s in schools) <= 2
    points = [s for s in schools if s["是否教学点"] == "是"]
    assert 1 <= len(points) <= 3
    for point in points:
        parent = next(s for s in schools if s["学校标识码"] == point["所属中心校标识码"])
        assert codes.index(parent["学校标识码"]) < codes.index(point["学校标识码"])
        assert parent["所属镇街"] == point["所属镇街"] and parent["是否教学点"] == "否"


def test_2012_has_53_schools_failing_two_or_more_items(files):
    failed = failures(files, 2012)
    assert sum(len(items) >= 2 for items in failed.values()) == 53
    assert max(len(items) for items in failed.values()) <= 5


def test_2013_tops_up_computers_and_books_and_about_half_of_the_53_pass(files):
    before, after = failures(files, 2012), failures(files, 2013)
    problem = {code for code, items in before.items() if len(items) >= 2}
    still = {code for code, items in after.items() if len(items) >= 2}
    assert still < problem
    assert 20 <= len(problem - still) <= 33
    assert all(not after[code] & {"Z5", "Z6"} for code in problem)


def test_failing_count_scales_with_the_number_of_schools(tmp_path):
    out = demo_files(tmp_path, "--schools", "60")
    assert len(records(out / "schools.xlsx")) == 60
    assert sum(len(items) >= 2 for items in failures(out, 2012).values()) == 18  # 60 × 53 / 180 = 17.7


def test_too_few_schools_is_refused(tmp_path):
    with pytest.raises(CommandError):
        demo_files(tmp_path, "--schools", "5")


def test_reports_contain_no_contradictions(files):
    keys = {str(AnnualReport._meta.get_field(key).verbose_name): key for key in REPORT_KEYS}
    types = {s["学校标识码"]: TYPES[s["办学类型"]] for s in records(files / "schools.xlsx")}
    for name in FILES[1:]:
        for row in records(files / name):
            values = {keys[title]: value for title, value in row.items() if title in keys}
            values["pe_hour_met"] = {"是": True, "否": False, None: None}[values["pe_hour_met"]]
            assert contradictions(values, types[row["学校标识码"]]) == [], row["学校标识码"]


@pytest.mark.django_db
def test_loading_twice_leaves_the_same_state(tmp_path):
    for _ in range(2):
        call_command("demo_data", "--out", str(tmp_path), verbosity=0)
        assert School.objects.count() == 180 and Region.objects.count() == 20
        assert AnnualReport.objects.approved().count() == 360
        assert Campaign.objects.get(is_current=True).is_demo
        zj = Standard.objects.get(code="zj-basic")
        stored = ComplianceSummary.objects.filter(standard=zj, report__year=2012)
        assert stored.count() == 180 and stored.filter(passed_rule=False).count() == 53


@pytest.mark.django_db
def test_evaluate_finds_the_53_through_the_real_pipeline(tmp_path):
    call_command("demo_data", "--out", str(tmp_path), verbosity=0)
    out = StringIO()
    call_command("evaluate", "--standard", "zj-basic", "--year", "2012", "--format", "json", stdout=out)
    schools = json.loads(out.getvalue())["schools"]
    failing = [s for s in schools if s["failed"] >= 2]
    assert len(schools) == 180 and len(failing) == 53
    assert all(not s["passed_rule"] for s in failing)
    for school in failing:
        missed = [item for item in school["items"] if item["passed"] is False]
        assert len(missed) == school["failed"]
        assert all(item["shortfall"] > 0 and item["shortfall_unit"] for item in missed)
