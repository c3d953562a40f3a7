"""Imports leave a trail: a batch per file (applied, refused or checked only), an "imported"
event with old → new values per report, and a history record per school."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reporting.models import ReportEvent
from schools.models import AnnualReport, ImportBatch, School
from tests import factories as f
from tests.import_files import csv_file

pytestmark = pytest.mark.django_db

HEADER = ["学校标识码", "年度", "小学在校生数", "小学班数", "小学专任教师数", "图书册数"]


def run(path, *args):
    call_command("import_reports", str(path), *args, verbosity=0)


def test_an_applied_import_is_a_batch_and_each_report_has_its_event(tmp_path):
    f.school("3303820001")
    first = csv_file(tmp_path / "r2012.csv", HEADER, [["3303820001", "2012", "300", "8", "20", "6000"]])
    run(first)
    second = csv_file(tmp_path / "r2012b.csv", HEADER, [["3303820001", "2012", "300", "8", "20", "6600"]])
    run(second)
    batches = list(
        ImportBatch.objects.order_by("at", "pk").values_list("file_name", "outcome", "created", "updated")
    )
    assert batches == [("r2012.csv", "applied", 1, 0), ("r2012b.csv", "applied", 0, 1)]
    assert ImportBatch.objects.order_by("pk").last().sha256 == hashlib.sha256(second.read_bytes()).hexdigest()
    events = list(ReportEvent.objects.order_by("pk").values_list("action", "reason", "changes"))
    assert events == [
        ("imported", "r2012.csv", {}),
        ("imported", "r2012b.csv", {"books": ["6000", "6600"]}),
    ]


def test_a_refused_import_is_recorded_and_writes_nothing_else(tmp_path):
    f.school("3303820001")
    bad = csv_file(tmp_path / "bad.csv", HEADER, [["3303820001", "2012", "300", "8", "20", "lots"]])
    with pytest.raises(CommandError):
        run(bad)
    batch = ImportBatch.objects.get()
    assert (batch.outcome, batch.problems, batch.created) == ("refused", 1, 0)
    assert not AnnualReport.objects.exists() and not ReportEvent.objects.exists()


def test_a_dry_run_is_recorded_as_such(tmp_path):
    f.school("3303820001")
    path = csv_file(tmp_path / "r.csv", HEADER, [["3303820001", "2012", "300", "8", "20", "6000"]])
    run(path, "--dry-run")
    assert ImportBatch.objects.get().outcome == "dry_run" and not ReportEvent.objects.exists()


def test_imported_schools_have_history(tmp_path):
    f.town()
    header = ["学校标识码", "学校名称", "办学类型", "城乡分类", "所属镇街"]
    path = csv_file(tmp_path / "s.csv", header, [["3303820009", "新学校", "小学", "镇区", "柳市镇"]])
    call_command("import_schools", str(path), verbosity=0)
    path = csv_file(tmp_path / "s2.csv", header, [["3303820009", "新学校（更名）", "小学", "镇区", "柳市镇"]])
    call_command("import_schools", str(path), verbosity=0)
    school = School.objects.get(code="3303820009")
    records = list(
        school.history.order_by("history_date", "history_id").values_list(
            "history_type", "name", "history_change_reason"
        )
    )
    assert records == [("+", "新学校", "导入 s.csv"), ("~", "新学校（更名）", "导入 s2.csv")]


def test_rows_of_a_template_left_unfilled_are_skipped_not_imported_as_zeros(tmp_path):
    school = f.school("3303820001")
    f.school("3303820002")
    f.report(school, year=2013, students_primary=300, classes_primary=8, teachers_primary=20, books=6000)
    path = csv_file(
        tmp_path / "template.csv",
        HEADER,
        [["3303820001", "2013", "", "", "", ""], ["3303820002", "2013", "200", "6", "12", "4000"]],
    )
    run(path)
    kept = AnnualReport.objects.get(school__code="3303820001")
    assert (kept.students_primary, kept.books) == (300, 6000)
    assert AnnualReport.objects.get(school__code="3303820002").books == 4000
    assert ImportBatch.objects.get().created == 1
