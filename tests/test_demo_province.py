"""`demo_data --province`: a generated province of many counties, loaded through the imports."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from devtools.demo.province import generate
from reporting.models import ReportEvent
from schools.models import AnnualReport, ImportBatch, Region, School
from tests.generated_rows import assert_every_kind_of_school

# At --scale 0.02 a county has max(4, round(60 × 0.02)) = 4 to round(3,000 × 0.02) = 60 schools.
LOW, HIGH = 4, 60


def load(tmp_path, *options):
    out = StringIO()
    call_command(
        "demo_data",
        "--province",
        "--counties",
        "3",
        "--scale",
        "0.02",
        "--out",
        str(tmp_path),
        *options,
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.django_db
def test_a_small_province_has_its_counties_schools_and_three_approved_years(tmp_path):
    printed = load(tmp_path)
    province = Region.objects.get(code="930000")
    assert "演示" in province.name
    counties = Region.objects.filter(kind="county", code__startswith="93")
    assert counties.count() == 3
    assert {county.parent.parent_id for county in counties} == {province.pk}
    per_county = {county.code: School.objects.in_region(county).count() for county in counties}
    assert all(LOW <= n <= HIGH for n in per_county.values()), per_county
    schools = School.objects.filter(code__startswith="93")
    assert schools.count() == sum(per_county.values())
    # Every school's code starts with its county's.
    assert all(
        school.code[:6] == school.region.parent.code for school in schools.select_related("region__parent")
    )
    years = AnnualReport.objects.filter(school__in=schools).values("school").annotate(n=Count("pk"))
    assert {row["n"] for row in years} == {3}
    reports = AnnualReport.objects.filter(school__in=schools)
    assert set(reports.values_list("year", flat=True)) == {2011, 2012, 2013}
    assert set(reports.values_list("status", flat=True)) == {AnnualReport.Status.APPROVED}
    # Through the import: one batch per file, an "imported" event per report.
    assert ImportBatch.objects.filter(outcome=ImportBatch.Outcome.APPLIED).count() == 4
    assert (
        ReportEvent.objects.filter(report__in=reports, action=ReportEvent.Action.IMPORTED).count()
        == reports.count()
    )
    assert f"{schools.count()} 所学校" in printed
    assert "用时" in printed


@pytest.mark.django_db
def test_loading_the_province_again_duplicates_nothing(tmp_path):
    load(tmp_path)
    counts = (Region.objects.count(), School.objects.count(), AnnualReport.objects.count())
    events = ReportEvent.objects.count()
    printed = load(tmp_path)
    assert (Region.objects.count(), School.objects.count(), AnnualReport.objects.count()) == counts
    assert ReportEvent.objects.count() == events
    assert "新建行政区划 0 个" in printed


@pytest.mark.django_db
def test_a_dry_run_writes_the_files_and_loads_nothing(tmp_path):
    load(tmp_path, "--dry-run")
    assert not School.objects.exists()
    assert sorted(path.name for path in (tmp_path / "province").iterdir()) == [
        "province-reports-2011-1.csv",
        "province-reports-2012-1.csv",
        "province-reports-2013-1.csv",
        "province-schools-1.csv",
    ]


def test_the_same_seed_gives_the_same_province_and_another_seed_another():
    first, again, other = generate(seed=5), generate(seed=5), generate(seed=6)
    assert first.schools == again.schools and first.reports == again.reports
    assert first.schools != other.schools


def test_the_full_province_is_skewed_and_mixes_every_kind_of_school():
    province = generate()
    assert len(province.counties) == 90
    sizes = sorted(len(rows) for rows in province.schools.values())
    assert sizes[0] >= 60 and sizes[-1] <= 3000
    # Most counties small, a few large.
    assert sizes[45] < 200
    assert sum(size > 1000 for size in sizes) >= 1
    assert_every_kind_of_school([school for rows in province.schools.values() for school in rows])


def test_a_scale_outside_its_range_is_refused(tmp_path):
    with pytest.raises(CommandError, match="规模系数"):
        call_command("demo_data", "--province", "--scale", "0", "--out", str(tmp_path), "--dry-run")
