"""Text that a spreadsheet would take for a formula: every export writes it so that it stays text
(an .xlsx text cell, a CSV apostrophe), and every exported file imports again unchanged."""

import codecs
import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.importing.services import reports_import
from schools.importing.escaping import csv_read, csv_text, xlsx_value
from schools.importing.services import schools_import
from schools.models import AnnualReport, School
from schools.services import roles_sync
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

# Names an attacker (or a careless clerk) could give a school, each the start of a formula to Excel.
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-x", "@SUM(A1)", "＝1"]
# Names that start like the CSV escape: they must come back with their apostrophes.
QUOTED = ["'=1", "''+2"]
NAMES = [*HOSTILE, *QUOTED, "柳市一小"]
CODES = [f"33038200{number:02d}" for number in range(1, len(NAMES) + 1)]


@pytest.fixture
def registry():
    liushi = f.town(f.county(), "330382114", "柳市镇")
    for code, name in zip(CODES, NAMES, strict=True):
        school = f.school(code, region=liushi, name=name, district="@学区" if code == CODES[0] else "东片")
        f.report(
            school, students_primary=100, classes_primary=4, teachers_primary=5, books=900, site_area="1234.5"
        )
    return liushi


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))
    return client


def admin_export(client, model, extension):
    url = reverse(f"admin:schools_{model}_export")
    form = client.get(url).context["form"]
    fmt = next(value for value, label in form.fields["format"].choices if label == extension)
    data = {name: "on" for name, field in form.fields.items() if field.initial is True}
    response = client.post(url, {**data, "format": fmt, "resource": "0"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith(f'.{extension}"'), (
        response
    )
    return response.content


def saved(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def sheet_of(content):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def sheet_rows(content):
    return list(sheet_of(content).iter_rows(min_row=2))


def assert_names_are_text(rows, column):
    """Each school name cell is a text cell holding the name as it is, marked as text for Excel."""
    cells = {row[column].value: row[column] for row in rows}
    assert set(cells) >= set(NAMES)
    assert {cells[name].data_type for name in NAMES} == {"s"}
    for name in HOSTILE:
        cell = cells[name]
        # Excel's own mark of "text typed after an apostrophe": editing the cell keeps it text.
        assert cell.quotePrefix, name


def csv_rows(content):
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def unchanged_state():
    return list(School.objects.order_by("code").values_list("code", "name", "district")), list(
        AnnualReport.objects.order_by("school__code").values_list("school__code", "revision", "site_area")
    )


def assert_imports_unchanged(outcome, count):
    assert outcome.ok, [str(problem) for problem in outcome.problems]
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, count)


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_admins_export_of_schools_imports_again_unchanged(admin_client, registry, tmp_path, extension):
    before = unchanged_state()
    content = admin_export(admin_client, "school", extension)
    outcome = schools_import(path=saved(tmp_path, f"schools.{extension}", content))
    assert_imports_unchanged(outcome, len(NAMES))
    assert unchanged_state() == before


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_admins_export_of_reports_imports_again_unchanged(admin_client, registry, tmp_path, extension):
    before = unchanged_state()
    content = admin_export(admin_client, "annualreport", extension)
    outcome = reports_import(path=saved(tmp_path, f"reports.{extension}", content))
    assert_imports_unchanged(outcome, len(NAMES))
    assert unchanged_state() == before


def test_the_admins_xlsx_export_writes_hostile_names_as_text_and_numbers_as_numbers(admin_client, registry):
    rows = sheet_rows(admin_export(admin_client, "school", "xlsx"))
    assert_names_are_text(rows, 1)
    district = next(row[6] for row in rows if row[0].value == CODES[0])
    assert (district.value, district.data_type, district.quotePrefix) == ("@学区", "s", True)
    sheet = sheet_of(admin_export(admin_client, "annualreport", "xlsx"))
    reports = list(sheet.iter_rows(min_row=2))
    assert_names_are_text(reports, 1)
    site_area = [cell.value for cell in sheet[1]].index("占地面积")
    assert {(row[site_area].value, row[site_area].data_type) for row in reports} == {(1234.5, "n")}


def test_the_admins_csv_export_puts_an_apostrophe_before_formula_like_text_only(admin_client, registry):
    content = admin_export(admin_client, "school", "csv")
    assert content.startswith(codecs.BOM_UTF8)  # or Excel does not read it as UTF-8
    rows = csv_rows(content)
    names = {row[0]: row[1] for row in rows[1:]}
    assert names[CODES[0]] == "'" + HOSTILE[0]
    assert names[CODES[5]] == "''=1"  # a name starting with the escape gets one more, to come back whole
    assert names[CODES[-1]] == "柳市一小"
    reports = csv_rows(admin_export(admin_client, "annualreport", "csv"))
    site_area = reports[0].index("占地面积")
    assert {row[site_area] for row in reports[1:]} == {"1234.50"}


@pytest.mark.parametrize("model", ["school", "annualreport"])
@pytest.mark.parametrize(("extension", "fmt"), [("csv", "0"), ("xlsx", "1")])
def test_the_admins_import_of_its_own_export_reports_no_change(admin_client, registry, model, extension, fmt):
    before = unchanged_state()
    upload = SimpleUploadedFile(f"export.{extension}", admin_export(admin_client, model, extension))
    url = reverse(f"admin:schools_{model}_import")
    response = admin_client.post(url, {"resource": "0", "format": fmt, "import_file": upload})
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, len(NAMES))
    assert unchanged_state() == before


def login_admin(client):
    user = User.objects.create_user("bureau", password="yq-test-2013")
    user.groups.add(roles_sync()["admin"])
    client.force_login(user)
    return client


def test_the_dashboards_exports_write_hostile_names_as_text_and_import_again(client, registry, tmp_path):
    login_admin(client)
    before = unchanged_state()
    schools = client.get(reverse("dashboard:export_schools")).getvalue()
    assert_names_are_text(sheet_rows(schools), 1)
    assert_imports_unchanged(schools_import(path=saved(tmp_path, "schools.xlsx", schools)), len(NAMES))
    reports = client.get(reverse("dashboard:export_reports") + "?year=2012").getvalue()
    assert_names_are_text(sheet_rows(reports), 1)
    assert_imports_unchanged(reports_import(path=saved(tmp_path, "reports.xlsx", reports)), len(NAMES))
    assert unchanged_state() == before


def test_the_compliance_export_writes_hostile_names_as_text(client, registry):
    basic = f.standard("t-basic", name="办学基本标准")
    f.indicator(basic, "K", ["books"], ["students_{level}"], thresholds=["15"], name="生均图书")
    f.pass_rule(basic, max_failed=1)
    compliance_recompute(standard=basic)  # as the admin's save does: the export only reads stored results
    login_admin(client)
    content = client.get(
        reverse("dashboard:export_compliance") + "?standard=t-basic&year=2012&failed="
    ).getvalue()
    rows = sheet_rows(content)
    assert len(rows) == len(NAMES)
    assert_names_are_text(rows, 1)


def test_the_report_template_writes_hostile_names_as_text(client, registry):
    login_admin(client)
    content = client.get(reverse("reporting:template") + "?year=2013").getvalue()
    assert_names_are_text(sheet_rows(content), 2)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1", "＋1", "－1", "＠x"])
def test_formula_like_text_becomes_a_text_cell_with_its_value_as_it_is(text):
    sheet = openpyxl.Workbook(write_only=True).create_sheet()
    cell = xlsx_value(sheet, text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_other_values_are_written_as_they_are():
    sheet = openpyxl.Workbook(write_only=True).create_sheet()
    assert [xlsx_value(sheet, value) for value in ("柳市一小", -1, None, "a\x01b")] == [
        "柳市一小",
        -1,
        None,
        "ab",
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("＝1", "'＝1"),
        ("\tx", "'\tx"),
        ("'=1", "''=1"),
        ("'plain", "'plain"),
        ("柳市一小", "柳市一小"),
        ("", ""),
    ],
)
def test_csv_text_is_escaped_and_read_back_whole(text, written):
    assert csv_text(text) == written
    assert csv_read(written) == text


def test_numbers_are_not_escaped_in_csv():
    assert [csv_text(value) for value in (-5, -1.5, 0, None)] == [-5, -1.5, 0, None]


def test_a_hand_escaped_csv_cell_is_read_as_its_text(tmp_path):
    f.town(f.county(), "330382114", "柳市镇")
    path = tmp_path / "schools.csv"
    path.write_text(
        "学校标识码,学校名称,办学类型,城乡分类,所属镇街\n3303820001,'=1,小学,镇区,柳市镇\n", encoding="utf-8"
    )
    assert schools_import(path=path).ok
    assert School.objects.get().name == "=1"
