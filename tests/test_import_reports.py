"""import_reports: annual reports from .xlsx/.csv files as approved reports, all rows or none,
with stored compliance recomputed in the same transaction."""

from decimal import Decimal
from io import StringIO

import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError

from reporting import rules as checks
from reporting.importing import resource as import_resource
from reporting.importing.resource import AnnualReportResource
from reporting.management.commands.import_reports import Command as ImportReports
from reporting.models import ReportRule
from schools import fields
from schools.models import AnnualReport, Region, School
from tests.import_files import csv_file, xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "学校标识码",
    "年度",
    "小学在校生数",
    "小学班数",
    "小学专任教师数",
    "小学高于规定学历教师数",
    "图书册数",
    "占地面积",
]


@pytest.fixture
def schools(db):
    county = Region.objects.create(code="330382", name="乐清市", kind="county")
    town = Region.objects.create(code="330382100", name="柳市镇", kind="town", parent=county)
    for code, school_type in (
        ("3303820001", "primary"),
        ("3303820002", "nine_year"),
        ("3303820003", "junior"),
    ):
        School.objects.create(
            code=code, name=f"学校{code[-1]}", school_type=school_type, area_type="town", region=town
        )


@pytest.fixture(autouse=True)
def recomputed(monkeypatch):
    """The ids each compliance recompute was asked for (the recompute is the standards app's business)."""
    calls = []
    monkeypatch.setattr(
        import_resource, "compliance_recompute", lambda *, reports: calls.append(sorted(reports))
    )
    return calls


def reports():
    fields = (
        "school__code",
        "year",
        "status",
        "revision",
        "students_primary",
        "teachers_primary",
        "books",
        "site_area",
    )
    return list(AnnualReport.objects.order_by("school__code", "year").values_list(*fields))


def run(path, *args):
    out = StringIO()
    call_command("import_reports", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def problems(path, *args):
    """The stderr lines of an import that must fail, after checking that it wrote nothing."""
    before = reports()
    err = StringIO()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_reports", str(path), *args, stdout=StringIO(), stderr=err)
    assert reports() == before
    return err.getvalue().splitlines()


def test_xlsx_with_titles_creates_approved_reports_and_recomputes_them(schools, tmp_path, recomputed):
    path = xlsx(
        tmp_path / "reports.xlsx",
        HEADER,
        [
            ["3303820001", 2012, 420, 12, 30, 25, 9000, 12000.5],
            [3303820002, 2012, 166, 6, 14, 10, 23226, "8000"],
        ],
    )

    assert run(path) == "年报：新增 2，更新 0，未变 0\n"
    assert reports() == [
        ("3303820001", 2012, "approved", 1, 420, 30, 9000, Decimal("12000.50")),
        ("3303820002", 2012, "approved", 1, 166, 14, 23226, Decimal("8000.00")),
    ]
    assert recomputed == [sorted(AnnualReport.objects.values_list("pk", flat=True))]


def test_csv_with_keys_and_the_year_from_the_command_line(schools, tmp_path):
    path = csv_file(
        tmp_path / "reports.csv",
        ["school_code", "students_primary", "classes_primary", "teachers_primary", "books", "pe_hour_met"],
        [["3303820001", "300", "8", "20", "1,234", "是"]],
    )

    run(path, "--year", "2013")

    report = AnnualReport.objects.get()
    assert (report.year, report.students_primary, report.books, report.pe_hour_met) == (2013, 300, 1234, True)


def test_blank_cells_are_zero_for_counts_and_areas_and_unknown_for_finance_and_health(schools, tmp_path):
    header = [
        "学校标识码",
        "年度",
        "图书册数",
        "占地面积",
        "教师工资总额",
        "每天一小时体育活动落实",
        "学生体质健康及格率",
        "网络多媒体教室数",
    ]
    # One figure given (a row with none at all is an unfilled template row, skipped).
    path = csv_file(tmp_path / "reports.csv", header, [["3303820001", "2012", "", "", "", "", "", "3"]])

    run(path)

    report = AnnualReport.objects.get()
    assert (report.books, report.site_area, report.teacher_payroll) == (0, Decimal("0.00"), None)
    assert (report.pe_hour_met, report.health_pass_rate) == (None, None)


def test_gb18030_csv_and_percent_and_money(schools, tmp_path):
    header = ["学校标识码", "年度", "教学仪器设备值", "学生体质健康及格率", "每天一小时体育活动落实"]
    path = csv_file(
        tmp_path / "reports.csv",
        header,
        [["3303820001", "2012", "1234567.8", "95.5%", "否"]],
        encoding="gb18030",
    )

    run(path)

    report = AnnualReport.objects.get()
    assert (report.equipment_value, report.health_pass_rate, report.pe_hour_met) == (
        Decimal("1234567.80"),
        Decimal("95.50"),
        False,
    )


def test_an_update_approves_the_report_and_bumps_its_revision(schools, tmp_path, recomputed):
    school = School.objects.get(code="3303820001")
    old = AnnualReport.objects.create(
        school=school,
        year=2012,
        status="submitted",
        revision=3,
        students_primary=100,
        classes_primary=4,
        teachers_primary=9,
        books=500,
        site_area=Decimal("800"),
    )
    path = csv_file(
        tmp_path / "reports.csv", ["学校标识码", "年度", "图书册数"], [["3303820001", "2012", "650"]]
    )

    assert run(path) == "年报：新增 0，更新 1，未变 0\n"
    # Columns the file leaves out keep their values.
    assert reports() == [("3303820001", 2012, "approved", 4, 100, 9, 650, Decimal("800.00"))]
    assert recomputed == [[old.pk]]


def test_importing_the_same_file_twice_leaves_the_same_state(schools, tmp_path, recomputed):
    path = xlsx(tmp_path / "reports.xlsx", HEADER, [["3303820001", 2012, 420, 12, 30, 25, 9000, 12000.25]])
    run(path)
    first = reports()

    assert run(path) == "年报：新增 0，更新 0，未变 1\n"
    assert reports() == first
    assert len(recomputed) == 1  # nothing changed the second time: nothing to recompute


def test_dry_run_reports_the_counts_writes_nothing_and_recomputes_nothing(schools, tmp_path, recomputed):
    path = csv_file(
        tmp_path / "reports.csv", ["学校标识码", "年度", "图书册数"], [["3303820001", "2012", "650"]]
    )

    assert run(path, "--dry-run") == "试运行：只检查，未写入任何数据\n年报：新增 1，更新 0，未变 0\n"
    assert reports() == []
    assert recomputed == []


def test_a_failed_recompute_undoes_the_import(schools, tmp_path, monkeypatch):
    def fail(*, reports):
        raise RuntimeError("recompute failed")

    monkeypatch.setattr(import_resource, "compliance_recompute", fail)
    path = csv_file(
        tmp_path / "reports.csv", ["学校标识码", "年度", "图书册数"], [["3303820001", "2012", "650"]]
    )

    with pytest.raises(CommandError):
        run(path)
    assert reports() == []


def good(code="3303820001", **values):
    row = dict(zip(HEADER, [code, "2012", "420", "12", "30", "25", "9000", "12000"], strict=True))
    row.update(values)
    return [row[title] for title in HEADER]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (good(图书册数="abc"), "row 5, column 图书册数: 不是数字：“abc”（books）"),
        (
            good(小学在校生数="-3"),
            "row 5, column 小学在校生数: 不能为负数：-3（students_primary），应不小于0",
        ),
        (good(小学班数="12.5"), "row 5, column 小学班数: 不是整数：“12.5”（classes_primary）"),
        (good(占地面积="1200.125"), "row 5, column 占地面积: 小数位数超过2位：“1200.125”（site_area）"),
        (
            good(小学在校生数="42000"),
            "row 5, column 小学在校生数: 学生人数超出合理范围：42,000（students_primary），应不超过20,000",
        ),
        (good(图书册数="#REF!"), "row 5, column 图书册数: 单元格是Excel错误值“#REF!”（books）"),
        (good(年度="1899"), "row 5, column 年度: 年度应为2000到"),
        (
            good(code="3303829999"),
            "row 5, column 学校标识码: 学校标识码“3303829999”不在学校名录中，请先导入学校（school_code）",
        ),
        (
            good(code="33038200"),
            "row 5, column 学校标识码: 学校标识码应为10位数字：“33038200”（school_code）",
        ),
        (
            good(code="3303820002"),
            "row 5, column 学校标识码: 同一学校同一年度的年报与第2行重复（school_code, year）",
        ),
        (
            good(小学高于规定学历教师数="31"),
            "row 5, column 小学高于规定学历教师数: 小学高于规定学历教师数（qualified_above_primary）"
            "不能大于小学专任教师数（teachers_primary）",
        ),
        (
            good(code="3303820003"),
            "row 5, column 小学在校生数: 小学在校生数（students_primary）："
            "该办学类型没有此学段，在校生数应为0",
        ),
        (
            good(小学班数=""),
            "row 5, column 小学班数: 小学班数（classes_primary）为0，但小学在校生数（students_primary）为420",
        ),
    ],
    ids=[
        "not a number",
        "negative",
        "not whole",
        "three decimals",
        "absurd",
        "excel error",
        "bad year",
        "unknown school",
        "malformed code",
        "duplicate",
        "part above whole",
        "level the type lacks",
        "students without classes",
    ],
)
def test_a_bad_row_is_reported_at_its_row_and_column_and_nothing_is_written(
    schools, tmp_path, recomputed, row, expected
):
    rows = [good("3303820002"), good("3303820001", 年度="2011"), good("3303820001", 年度="2010"), row]

    lines = problems(csv_file(tmp_path / "reports.csv", HEADER, rows))

    assert len(lines) == 1 and lines[0].startswith(expected)
    assert recomputed == []


def test_percent_above_100_and_an_unknown_yes_no_are_refused(schools, tmp_path):
    header = ["学校标识码", "年度", "学生体质健康及格率", "每天一小时体育活动落实"]
    path = csv_file(tmp_path / "reports.csv", header, [["3303820001", "2012", "101", "大概"]])

    assert problems(path) == [
        "row 2, column 学生体质健康及格率: 应在0到100之间：“101”（health_pass_rate）",
        "row 2, column 每天一小时体育活动落实: 应为“是”或“否”：“大概”（pe_hour_met）",
    ]


def test_the_year_column_and_the_command_line_must_agree(schools, tmp_path):
    path = csv_file(
        tmp_path / "reports.csv",
        HEADER,
        [good(), good("3303820002", 年度="2013"), good("3303820003", 年度="")],
    )

    lines = problems(path, "--year", "2012")

    # An empty year cell takes the command line's year (and school 3 is a junior school).
    assert lines == [
        "row 3, column 年度: 年度2013与命令行指定的年度（--year 2012）不一致（year）",
        "row 4, column 小学在校生数: 小学在校生数（students_primary）：该办学类型没有此学段，在校生数应为0",
    ]


def test_without_a_year_column_the_command_line_must_give_one(schools, tmp_path):
    path = csv_file(tmp_path / "reports.csv", ["学校标识码", "图书册数"], [["3303820001", "1"]])

    assert problems(path) == ["row 1: 缺少必填列“年度”（year）"]


def test_the_command_explains_itself():
    assert "--year" in ImportReports().create_parser("manage.py", "import_reports").format_help()


def test_a_bad_year_option_is_refused():
    with pytest.raises(CommandError, match="--year"):
        call_command("import_reports", "reports.csv", "--year", "20x2")


def test_excel_errors_and_formulas_without_a_value_are_refused_and_cached_values_read(schools, tmp_path):
    rows = [
        ["3303820001", 2012, 420, 12, 30, 25, "#DIV/0!", 1000],
        ["3303820002", 2012, 420, 12, 30, 25, "=C3*20", 1000],
    ]
    refused = xlsx(tmp_path / "refused.xlsx", HEADER, rows)
    accepted = xlsx(tmp_path / "accepted.xlsx", HEADER, rows[1:], cached={"G2": 8400})

    assert problems(refused) == [
        "row 2, column 图书册数: 单元格是Excel错误值“#DIV/0!”（books）",
        "row 3, column 图书册数: 公式没有计算结果，请在Excel中重新计算并保存后再导入（books）",
    ]
    run(accepted)
    assert AnnualReport.objects.get().books == 8400


def test_a_bad_row_after_more_than_a_batch_of_good_rows_writes_nothing(schools, tmp_path, recomputed):
    town = Region.objects.get(code="330382100")
    codes = [f"33038{n:05d}" for n in range(100, 1301)]
    School.objects.bulk_create(
        [School(code=code, name=code, school_type="primary", area_type="town", region=town) for code in codes]
    )
    rows = [good(code) for code in codes] + [good("3303820001", 图书册数="很多")]

    lines = problems(csv_file(tmp_path / "reports.csv", HEADER, rows))

    assert lines == ["row 1203, column 图书册数: 不是数字：“很多”（books）"]
    assert AnnualReport.objects.count() == 0
    assert recomputed == []


def test_the_admin_resource_refuses_a_file_with_a_bad_row_and_writes_nothing(schools):
    dataset = tablib.Dataset(good(), good("3303820002", 图书册数="-1"), headers=HEADER)

    result = AnnualReportResource().import_data(dataset, dry_run=False)

    assert [row.error.messages for row in result.invalid_rows] == [
        ["第3行，图书册数列：不能为负数：-1（books），应不小于0"]
    ]
    assert AnnualReport.objects.count() == 0


def test_the_admin_resource_export_imports_back_unchanged(schools, tmp_path):
    run(csv_file(tmp_path / "reports.csv", HEADER, [good(), good("3303820002")]))

    exported = AnnualReportResource().export()
    assert exported.headers[:3] == ["学校标识码", "学校名称", "年度"]
    result = AnnualReportResource().import_data(exported, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 2


@pytest.mark.django_db
def test_every_numeric_field_has_a_builtin_limit_and_a_floor():
    bounded = checks.field_bounds(ReportRule.objects.filter(builtin=True))
    assert {key for key in fields.NUMERIC_KEYS if key not in bounded} == set()
    assert {key for key, (low, high) in bounded.items() if key in fields.NUMERIC_KEYS and low != 0} == set()
    unbounded = {key for key, (low, high) in bounded.items() if key in fields.NUMERIC_KEYS and high is None}
    assert unbounded == {"health_pass_rate"}  # a percentage: 0 to 100 by its nature
