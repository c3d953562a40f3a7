"""`make bench` runs end to end on a small city and reports every figure (no timing asserted)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from schools.models import AnnualReport, School
from standards.models import ComplianceSummary


@pytest.mark.django_db
def test_bench_reports_every_figure_and_loads_through_the_importers():
    out = StringIO()
    call_command("bench", "--schools", "40", "--repeat", "1", "--web-rows", "20", "--in-place", stdout=out)
    result = json.loads(out.getvalue())
    assert result["schools"] == 40 and result["import"]["rows"] == 80
    for section, keys in {
        "import": ("rows_per_s", "bulk_create_rows_per_s", "ratio_to_bulk_create"),
        "evaluate": ("seconds", "read_seconds", "ratio_to_read", "first_ratio_to_read"),
        "balance": ("seconds", "read_seconds", "ratio_to_read"),
    }.items():
        assert all(result[section][key] > 0 for key in keys), section
    assert result["peak_memory_mb"] > 0
    assert result["web_import"]["rows"] == 20 and result["web_import"]["ratio_to_command"] > 0
    # the benchmark's city was imported through the commands and evaluated
    assert School.objects.count() == 40 and AnnualReport.objects.approved().filter(year=2012).count() == 40
    assert AnnualReport.objects.approved().filter(year=2013).count() == 20  # the web import's
    assert ComplianceSummary.objects.filter(standard__code="zj-basic", report__year=2012).count() == 40
