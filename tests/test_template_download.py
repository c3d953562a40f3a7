"""The annual-report template: the user's active schools prefilled, units and rules on each title,
data validation, and a filled-in copy that the real import accepts."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reporting.importing.services import reports_import
from schools.fields import SECTIONS
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("reporting:template")


@pytest.fixture
def towns():
    county = f.county()
    liushi = f.town(county, "330382114", "柳市镇")
    hongqiao = f.town(county, "330382108", "虹桥镇")
    f.school("3303820002", region=liushi, name="柳市二小")
    f.school("3303820001", school_type="junior", region=liushi, name="柳市一中")
    f.school("3303820003", region=liushi, name="柳市老校", is_active=False)
    f.school("3303820009", region=hongqiao, name="虹桥一小")
    return {"liushi": liushi, "hongqiao": hongqiao}


def login(client, role=None, regions=()):
    user = User.objects.create_user(role or "nobody", password="yq-test-2013")
    if role:
        user.groups.add(roles_sync()[role])
    if regions:
        Scope.objects.create(user=user).regions.add(*regions)
    client.force_login(user)
    return client


def download(client, query="?year=2013"):
    response = client.get(URL + query)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.getvalue())).active, response


def test_town_officer_gets_a_row_per_active_school_of_the_town(client, towns):
    sheet, response = download(login(client, "town", [towns["liushi"]]))
    assert response["Content-Disposition"] == 'attachment; filename="report-template-2013.xlsx"'
    rows = [[cell.value for cell in row[:3]] for row in sheet.iter_rows(min_row=2)]
    assert rows == [["3303820001", 2013, "柳市一中"], ["3303820002", 2013, "柳市二小"]]


def test_titles_are_code_year_name_then_the_report_fields_in_form_order(client, towns):
    sheet, _response = download(login(client, "admin"))
    titles = [cell.value for cell in sheet[1]]
    assert titles[:5] == ["学校标识码", "年度", "学校名称", "小学在校生数", "初中在校生数"]
    assert titles[-2:] == ["每天一小时体育活动落实", "学生体质健康及格率"]
    assert titles[3:] == [
        str(AnnualReport._meta.get_field(key).verbose_name) for _section, keys in SECTIONS for key in keys
    ]
    assert len(titles) == 3 + 41  # docs/fields.md lists 41 report fields
    assert sheet.max_row == 4  # every active school of the county: no closed school


def test_units_and_rules_are_in_the_title_comments_not_in_a_row(client, towns):
    sheet, _response = download(login(client, "admin"))
    notes = {cell.value: cell.comment.text for cell in sheet[1]}
    assert "单位：人" in notes["小学在校生数"] and "整数，0～20,000" in notes["小学在校生数"]
    assert "单位：个" in notes["小学班数"]
    assert "单位：平方米" in notes["占地面积"]
    assert "单位：元" in notes["教学仪器设备值"]
    assert "单位：台" in notes["教学用计算机台数"]
    assert "单位：%" in notes["学生体质健康及格率"]
    assert "“是”或“否”" in notes["每天一小时体育活动落实"]
    assert [cell.value for cell in sheet[2]][:3] == ["3303820001", 2013, "柳市一中"]


def test_numeric_cells_are_validated_and_the_header_and_names_frozen(client, towns):
    sheet, _response = download(login(client, "admin"))
    column = {cell.value: cell.column_letter for cell in sheet[1]}
    rules = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            rules[cells.coord.split(":")[0].rstrip("0123456789")] = validation

    def rule(title):
        found = rules[column[title]]
        return found.type, found.operator, found.formula1, found.formula2

    assert rule("小学在校生数") == ("whole", "between", "0", "20000")
    assert rule("图书册数") == ("whole", "between", "0", "2000000")
    assert rule("占地面积") == ("decimal", "between", "0", "2000000")
    assert rule("教师工资总额") == ("decimal", "between", "0", "1000000000")
    assert rule("学生体质健康及格率") == ("decimal", "between", "0", "100")
    assert rule("每天一小时体育活动落实")[::2] == ("list", '"是,否"')
    assert str(rules[column["小学在校生数"]].sqref) == "D2:D1048576"
    assert sheet.freeze_panes == "D2"
    assert sheet.column_dimensions["C"].width >= 20


def fill_template(client, path):
    """Download the template and fill both rows of the town's schools, as a school would in Excel."""
    sheet, _response = download(client)
    column = {cell.value: cell.column for cell in sheet[1]}
    junior = {"初中在校生数": 400, "初中班数": 10, "初中专任教师数": 30, "占地面积": 12000.5}
    junior["绿化用地面积"] = 3000
    primary = {"小学在校生数": 300, "小学班数": 8, "小学专任教师数": 20, "每天一小时体育活动落实": "是"}
    primary.update({"学生体质健康及格率": 95.5, "教师工资总额": "1234567.89"})
    for row, values in {2: junior, 3: primary}.items():
        for title, value in values.items():
            sheet.cell(row, column[title], value)
    sheet.parent.save(path)
    return path


def test_a_filled_in_template_imports_cleanly(client, towns, tmp_path):
    path = fill_template(login(client, "town", [towns["liushi"]]), tmp_path / "filled.xlsx")

    outcome = reports_import(path=path)

    assert outcome.ok, [str(problem) for problem in outcome.problems]
    assert (outcome.created, outcome.updated) == (2, 0)
    junior = AnnualReport.objects.get(school__code="3303820001", year=2013)
    assert (junior.students_junior, junior.site_area, junior.green_area) == (400, Decimal("12000.50"), 3000)
    primary = AnnualReport.objects.get(school__code="3303820002", year=2013)
    assert (primary.students_primary, primary.pe_hour_met) == (300, True)
    assert (primary.health_pass_rate, primary.teacher_payroll) == (Decimal("95.5"), Decimal("1234567.89"))
    assert primary.status == AnnualReport.Status.APPROVED


def test_the_import_reports_command_accepts_a_filled_in_template(client, towns, tmp_path):
    path = fill_template(login(client, "town", [towns["liushi"]]), tmp_path / "filled.xlsx")
    call_command("import_reports", str(path), stdout=io.StringIO())
    assert AnnualReport.objects.filter(year=2013).count() == 2


def test_a_school_name_that_looks_like_a_formula_stays_text(client, towns):
    f.school("3303820005", region=towns["liushi"], name='=HYPERLINK("http://example.com","点我")')
    sheet, _response = download(login(client, "town", [towns["liushi"]]))
    cell = sheet["C4"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == (
        "s",
        '=HYPERLINK("http://example.com","点我")',
        True,
    )


def test_year_defaults_to_this_year_and_a_bad_year_is_refused(client, towns):
    login(client, "admin")
    year = timezone.localdate().year
    _sheet, response = download(client, "")
    assert response["Content-Disposition"] == f'attachment; filename="report-template-{year}.xlsx"'
    assert client.get(URL + "?year=1999").status_code == 400
    assert client.get(URL + "?year=abc").status_code == 400


def test_a_user_without_the_view_permission_is_refused(client, towns):
    login(client, regions=[towns["liushi"]])
    assert client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, towns):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_home_page_offers_the_template_and_the_exports(client, towns):
    page = login(client, "town", [towns["liushi"]]).get(reverse("home")).content.decode()
    assert URL in page and reverse("dashboard:export_schools") in page
