"""The report's error rules are data the bureau edits: built in on every database, retuned or
switched off in the admin, applied alike by the clerk's save, the import and the template;
what the database itself forbids stays forbidden whatever the rules say."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reporting import rules as checks
from reporting import services as workflow
from reporting.models import ReportRule
from reporting.rule_defaults import builtin_rules, builtin_rules_ensure
from schools.models import AnnualReport
from standards import services
from tests import factories as f
from tests.import_files import csv_file

pytestmark = pytest.mark.django_db

HEADER = ["学校标识码", "年度", "小学在校生数", "小学班数", "小学专任教师数", "图书册数", "随迁子女在校生数"]


@pytest.fixture(autouse=True)
def no_recompute(monkeypatch):
    monkeypatch.setattr(services, "compliance_recompute", lambda *, reports: None)


@pytest.fixture
def school():
    return f.school("3303820001")


def import_problems(tmp_path, row):
    err = StringIO()
    path = csv_file(tmp_path / "reports.csv", HEADER, [["3303820001", "2013", *row]])
    with pytest.raises(CommandError):
        call_command("import_reports", str(path), stdout=StringIO(), stderr=err)
    assert not AnnualReport.objects.exists()
    return err.getvalue().splitlines()


def import_ok(tmp_path, row):
    path = csv_file(tmp_path / "reports.csv", HEADER, [["3303820001", "2013", *row]])
    call_command("import_reports", str(path), stdout=StringIO(), stderr=StringIO())
    return AnnualReport.objects.get()


def rule(code):
    return ReportRule.objects.get(code=code)


def test_every_database_starts_with_the_builtin_error_rules():
    stored = ReportRule.objects.filter(builtin=True)
    # 1 floor, 8 magnitude groups, 16 parts of a whole (REPORT_FIELDS.md's contradictions)
    assert stored.count() == 1 + 8 + 16 == len(builtin_rules())
    assert set(stored.values_list("severity", flat=True)) == {"error"}
    assert rule("limit-books").maximum == 2_000_000
    assert rule("part-green_area").denominator == ["site_area"]


def test_a_later_migrate_keeps_the_bureaus_edits_and_restores_only_what_is_missing():
    rule("limit-books").__class__.objects.filter(code="limit-books").update(
        maximum=50_000, message="图书太多"
    )
    ReportRule.objects.filter(code="part-gym_area").delete()

    assert builtin_rules_ensure() == 1
    assert builtin_rules_ensure() == 0
    assert (rule("limit-books").maximum, rule("limit-books").message) == (50_000, "图书太多")
    assert rule("part-gym_area").kind == "compare"


def test_a_tighter_limit_set_by_the_bureau_refuses_the_import_with_its_message(school, tmp_path):
    ReportRule.objects.filter(code="limit-books").update(maximum=10_000, message="图书册数不合常理")

    assert import_problems(tmp_path, ["420", "12", "30", "12000", "0"]) == [
        "row 2, column 图书册数: 图书册数不合常理：12,000（books），应不超过10,000"
    ]


def test_a_limit_switched_off_lets_a_large_figure_through(school, tmp_path):
    ReportRule.objects.filter(code="limit-books").update(is_active=False)

    assert import_ok(tmp_path, ["420", "12", "30", "3000000", "0"]).books == 3_000_000


def test_a_rule_added_by_the_bureau_is_applied_to_imports_and_saves(school, tmp_path):
    added = ReportRule(
        code="migrants-within-students",
        message="随迁子女在校生数不能多于在校生数",
        severity="error",
        kind="compare",
        numerator=["migrant_students"],
        denominator=["students_{level}"],
    )
    added.full_clean()
    added.save()

    assert import_problems(tmp_path, ["420", "12", "30", "9000", "421"]) == [
        "row 2, column 随迁子女在校生数: 随迁子女在校生数不能多于在校生数"
    ]
    report = import_ok(tmp_path, ["420", "12", "30", "9000", "420"])  # equal is allowed
    clerk = User.objects.create_user("clerk")
    report.status = AnnualReport.Status.DRAFT
    report.save()
    with pytest.raises(ValidationError) as caught:
        workflow.report_save(
            report=report, values={"migrant_students": 500}, user=clerk, version=report.revision
        )
    assert caught.value.message_dict == {"migrant_students": ["随迁子女在校生数不能多于在校生数"]}


def test_what_the_database_forbids_stays_forbidden_with_the_rules_switched_off(school, tmp_path):
    ReportRule.objects.filter(code__in=["non-negative", "limit-students"]).update(is_active=False)
    ReportRule.objects.filter(code__startswith="part-").update(is_active=False)
    report = f.report(
        school,
        year=2013,
        status=AnnualReport.Status.DRAFT,
        students_primary=420,
        classes_primary=12,
        teachers_primary=30,
    )
    clerk = User.objects.create_user("clerk")

    with pytest.raises(ValidationError) as caught:
        workflow.report_save(
            report=report,
            values={"computers": -3, "qualified_above_primary": 31},
            user=clerk,
            version=report.revision,
        )
    assert caught.value.message_dict == {
        "computers": ["不能为负数：-3（computers）"],
        "qualified_above_primary": [
            "小学高于规定学历教师数（qualified_above_primary）不能大于小学专任教师数（teachers_primary）"
        ],
    }
    assert import_problems_after(report, tmp_path) == [
        "row 2, column 小学在校生数: 不能为负数：-5（students_primary）"
    ]


def import_problems_after(report, tmp_path):
    report.delete()
    return import_problems(tmp_path, ["-5", "12", "30", "9000", "0"])


def test_the_clerks_save_uses_the_bureaus_wording(school):
    ReportRule.objects.filter(code="limit-teachers").update(maximum=100, message="教师数请核对")
    report = f.report(school, year=2013, status=AnnualReport.Status.DRAFT)

    with pytest.raises(ValidationError) as caught:
        workflow.report_save(
            report=report, values={"teachers_primary": 101}, user=User.objects.create_user("c"), version=1
        )
    assert caught.value.message_dict["teachers_primary"] == [
        "教师数请核对：101（teachers_primary），应不超过100"
    ]


def test_the_template_states_and_validates_the_current_limits(client, school):
    ReportRule.objects.filter(code="limit-books").update(maximum=50_000)
    ReportRule.objects.filter(code="limit-computers").update(is_active=False)
    client.force_login(User.objects.create_superuser("admin"))

    response = client.get("/reports/template.xlsx?year=2013")

    sheet = load_workbook(BytesIO(response.getvalue())).active
    titles = [cell.value for cell in sheet[1]]
    by_column = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        by_column[column] = validation
    books = by_column[get_column_letter(titles.index("图书册数") + 1)]
    computers = by_column[get_column_letter(titles.index("教学用计算机台数") + 1)]
    assert (books.operator, books.formula1, books.formula2) == ("between", "0", "50000")
    assert "0～50,000" in books.prompt
    assert (computers.operator, computers.formula1, computers.formula2) == ("greaterThanOrEqual", "0", None)
    assert "不小于0" in computers.prompt


def test_each_field_and_compare_rules_by_hand():
    floor = ReportRule(
        code="f",
        message="负数",
        severity="error",
        kind="range",
        numerator=["books", "computers"],
        each_field=True,
        minimum=Decimal(0),
    )
    top = ReportRule(
        code="t",
        message="太多",
        severity="error",
        kind="range",
        numerator=["classes_{level}"],
        each_field=True,
        maximum=Decimal(400),
    )
    part = ReportRule(
        code="p",
        message="部分大于整体",
        severity="error",
        kind="compare",
        numerator=["oversize_classes"],
        denominator=["classes_primary", "classes_junior"],
    )
    values = {
        "books": -1,
        "computers": 0,
        "classes_primary": 401,
        "classes_junior": 3,
        "oversize_classes": 405,
    }

    found = [
        (x.rule, x.field, x.value) for x in checks.check_report(values, None, "nine_year", [floor, top, part])
    ]

    # 401 + 3 = 404 classes, 405 oversize; the junior's 3 classes are within 400
    assert found == [("f", "books", -1), ("t", "classes_primary", 401), ("p", "oversize_classes", 405)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"numerator": ["bookz"]}, {"numerator": ["不是年报字段：bookz"]}),
        ({"numerator": "books"}, {"numerator": ['应为字段代码的列表，如 ["books", "computers"]']}),
        ({"numerator": []}, {"numerator": ["至少需要一个字段"]}),
        ({"kind": "compare"}, {"denominator": ["“部分不得大于整体”规则需要填写整体的字段"]}),
        (
            {"each_field": True, "denominator": ["students_{level}"]},
            {"each_field": ["只有不带分母的取值范围规则可以逐个字段检查"]},
        ),
    ],
)
def test_a_rule_naming_unknown_fields_or_mixing_kinds_is_refused(fields, message):
    candidate = ReportRule(
        **{
            "code": "x",
            "message": "x",
            "severity": "error",
            "kind": "range",
            "numerator": ["books"],
            "maximum": 1,
            **fields,
        }
    )
    with pytest.raises(ValidationError) as caught:
        candidate.clean()
    assert caught.value.message_dict == message


def test_the_admin_keeps_builtin_rules_and_records_changes(client):
    admin = User.objects.create_superuser("admin")
    client.force_login(admin)
    books = rule("limit-books")

    assert client.get(f"/admin/reporting/reportrule/{books.pk}/delete/").status_code == 403
    page = client.get(f"/admin/reporting/reportrule/{books.pk}/change/")
    assert page.status_code == 200 and 'name="numerator"' not in page.content.decode()

    response = client.post(
        f"/admin/reporting/reportrule/{books.pk}/change/",
        {
            "message": "图书册数请核对",
            "severity": "error",
            "minimum": "",
            "maximum": "80000",
            "max_change_percent": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    books.refresh_from_db()
    assert (books.maximum, books.numerator) == (80_000, ["books"])
    latest = books.history.latest()
    assert (latest.history_user, latest.maximum) == (admin, 80_000)


def test_an_error_rule_on_the_change_from_last_year_blocks_the_clerks_save(school):
    ReportRule.objects.create(
        code="books-tripled",
        message="图书册数比上年变化超过200%",
        severity="error",
        kind="change",
        numerator=["books"],
        max_change_percent=200,
    )
    f.report(school, year=2012, books=1000)
    report = f.report(school, year=2013, status=AnnualReport.Status.DRAFT, books=1000)
    clerk = User.objects.create_user("clerk")

    workflow.report_save(report=report, values={"books": 3000}, user=clerk, version=report.revision)  # +200 %
    with pytest.raises(ValidationError) as caught:
        workflow.report_save(
            report=report, values={"books": 3010}, user=clerk, version=report.revision
        )  # +201 %
    assert caught.value.message_dict == {"books": ["图书册数比上年变化超过200%"]}
