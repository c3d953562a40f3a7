"""The admin console's import: the same row definition as the commands, all or nothing, and the
imported reports' compliance recomputed."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin

from reporting.models import ReportEvent
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from standards.models import ComplianceSummary
from tests import factories as f
from tests.import_files import xlsx

pytestmark = pytest.mark.django_db

HEADER = "学校标识码,年度,小学在校生数,小学班数,小学专任教师数,教学用计算机台数\n"
CSV, XLSX = 0, 1  # indexes in settings.IMPORT_FORMATS


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))
    return client


@pytest.fixture
def setup():
    std = f.standard("t-basic")
    f.indicator(std, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(std, max_failed=0)
    f.school("3303820001")
    f.school("3303820002")


def upload(client, text):
    url = reverse("admin:schools_annualreport_import")
    data = {"resource": "0", "format": str(CSV), "import_file": SimpleUploadedFile("r.csv", text.encode())}
    return client.post(url, data)


def test_a_file_with_a_bad_row_shows_the_problem_and_writes_nothing(admin_client, setup):
    response = upload(admin_client, HEADER + "3303820001,2012,100,4,5,12\n3303820002,2012,100,4,five,12\n")
    page = response.content.decode()
    assert response.status_code == 200
    assert "小学专任教师数" in page and "five" in page
    assert 'name="import_file_name"' not in page  # no confirm button
    assert AnnualReport.objects.count() == 0


def test_a_clean_file_is_previewed_then_written_and_evaluated(admin_client, setup):
    response = upload(admin_client, HEADER + "3303820001,2012,100,4,5,12\n3303820002,2012,100,4,5,8\n")
    assert response.status_code == 200 and AnnualReport.objects.count() == 0
    confirm = response.context["confirm_form"].initial
    response = admin_client.post(reverse("admin:schools_annualreport_process_import"), confirm)
    assert response.status_code == 302
    assert AnnualReport.objects.approved().count() == 2
    # 12 per 100 students passes; 8 per 100 fails against 10
    verdicts = dict(ComplianceSummary.objects.values_list("report__school__code", "passed_rule"))
    assert verdicts == {"3303820001": True, "3303820002": False}
    # who imported what stays in each report's history
    events = ReportEvent.objects.order_by().values_list("action", "user__username", "reason").distinct()
    assert list(events) == [("imported", "admin", "r.csv")]


def staff(client, role):
    user = User.objects.create_user(role, password=f"yq-{role}-2013", is_staff=True)
    user.groups.add(roles_sync()[role])
    client.force_login(user)
    return client


@pytest.mark.parametrize(("role", "status"), [("reviewer", 200), ("town", 403), ("clerk", 403)])
def test_only_reviewers_and_administrators_may_import(client, role, status):
    staff(client, role)
    for model in ("school", "annualreport"):
        assert client.get(reverse(f"admin:schools_{model}_import")).status_code == status, model
        assert client.post(reverse(f"admin:schools_{model}_process_import"), {}).status_code == status, model


def test_the_import_button_is_offered_to_reviewers_only(client):
    url = reverse("admin:schools_annualreport_import")
    assert (
        url
        not in staff(client, "town").get(reverse("admin:schools_annualreport_changelist")).content.decode()
    )
    assert (
        url
        in staff(Client(), "reviewer").get(reverse("admin:schools_annualreport_changelist")).content.decode()
    )


def upload_file(client, name, content, format_index=CSV):
    url = reverse("admin:schools_annualreport_import")
    data = {"resource": "0", "format": str(format_index), "import_file": SimpleUploadedFile(name, content)}
    return client.post(url, data)


def refusal(response):
    """What the page says about the file; a refused file offers no confirm button."""
    page = response.content.decode()
    assert response.status_code == 200 and 'name="import_file_name"' not in page
    return page


def test_a_file_over_the_size_limit_is_refused_unread(admin_client, setup, settings, monkeypatch):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024

    def unreachable(*args):
        raise AssertionError("an oversized file was stored")

    monkeypatch.setattr(ImportExportModelAdmin, "write_to_tmp_storage", unreachable)

    page = refusal(upload_file(admin_client, "r.csv", b"x" * (2 * 1024 * 1024 + 1)))

    # 2,097,153 bytes = 2.000001 MB, rounded up to 2.01
    assert "文件过大（2.01 MB）：上传的文件不能超过2 MB" in page
    assert AnnualReport.objects.count() == 0


def test_only_xlsx_and_csv_files_are_accepted(admin_client, setup):
    page = refusal(upload_file(admin_client, "reports.xls", b"\xd0\xcf\x11\xe0"))

    assert "不支持的文件类型“.xls”：请使用.xlsx或.csv文件" in page


def test_merged_header_cells_are_refused(admin_client, setup, tmp_path):
    header = ["学校标识码", "年度", "小学在校生数", "小学班数", "小学专任教师数", "教学用计算机台数"]
    path = xlsx(tmp_path / "r.xlsx", header, [["3303820001", 2012, 100, 4, 5, 12]], merge="C1:D1")

    page = refusal(upload_file(admin_client, "r.xlsx", path.read_bytes(), format_index=XLSX))

    assert "表头不能有合并单元格（C1:D1）" in page
    assert AnnualReport.objects.count() == 0


def test_a_formula_without_its_value_is_refused(admin_client, setup, tmp_path):
    header = ["学校标识码", "年度", "小学在校生数", "小学班数", "小学专任教师数", "教学用计算机台数"]
    path = xlsx(tmp_path / "r.xlsx", header, [["3303820001", 2012, 100, 4, 5, "=C2*0.12"]])

    page = refusal(upload_file(admin_client, "r.xlsx", path.read_bytes(), format_index=XLSX))

    assert "公式没有计算结果，请在Excel中重新计算并保存后再导入（computers）" in page
    assert AnnualReport.objects.count() == 0


def test_an_unknown_column_is_refused(admin_client, setup):
    content = HEADER.replace("年度", "年份") + "3303820001,2012,100,4,5,12\n"

    page = refusal(upload_file(admin_client, "r.csv", content.encode()))

    assert "未知的列“年份”" in page
    assert AnnualReport.objects.count() == 0


def test_a_bad_cell_of_an_xlsx_file_is_shown_by_row_and_column_in_the_pages_language(
    admin_client, setup, tmp_path
):
    header = ["学校标识码", "年度", "小学在校生数", "小学班数", "小学专任教师数", "教学用计算机台数"]
    rows = [["3303820001", 2012, 100, 4, 5, 12], ["3303820002", 2012, 100, 4, "five", 12]]
    path = xlsx(tmp_path / "r.xlsx", header, rows)

    response = upload_file(admin_client, "r.xlsx", path.read_bytes(), format_index=XLSX)
    page = refusal(response)

    # the second data row is the sheet's row 3, in the message and in the table's row column
    assert "第3行，小学专任教师数列：不是数字：“five”" in page
    assert [row.number for row in response.context["result"].invalid_rows] == [3]
    assert "row 3" not in page and "column 小学专任教师数" not in page  # the commands' fixed format
    assert AnnualReport.objects.count() == 0


def test_header_problems_of_an_xlsx_file_are_listed_in_the_pages_language_without_a_traceback(
    admin_client, setup, tmp_path
):
    header = ["学校标识码", "年份", "小学在校生数", "小学班数", "小学专任教师数", "教学用计算机台数"]
    path = xlsx(tmp_path / "r.xlsx", header, [["3303820001", 2012, 100, 4, 5, 12]])

    page = refusal(upload_file(admin_client, "r.xlsx", path.read_bytes(), format_index=XLSX))

    assert '<li class="import-refused">第1行，年份列：未知的列“年份”</li>' in page
    assert '<li class="import-refused">第1行：缺少必填列“年度”（year）</li>' in page
    assert "row 1" not in page and "Traceback" not in page
    assert AnnualReport.objects.count() == 0


def test_an_empty_sheet_is_refused(admin_client, setup, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [], [])

    page = refusal(upload_file(admin_client, "r.xlsx", path.read_bytes(), format_index=XLSX))

    assert "文件是空的：第1行应为表头" in page


def test_the_files_name_decides_how_it_is_read_whatever_format_is_chosen(admin_client, setup, tmp_path):
    header = ["学校标识码", "年度", "小学在校生数", "小学班数", "小学专任教师数", "教学用计算机台数"]
    path = xlsx(tmp_path / "r.xlsx", header, [["3303820001", 2012, 100, 4, 5, 12]])

    response = upload_file(admin_client, "r.xlsx", path.read_bytes(), format_index=CSV)

    assert response.context["confirm_form"].initial["format"] == str(XLSX)


def test_a_reviewer_cannot_import_reports_of_schools_outside_their_scope(client, setup):
    other_town = f.town(f.county(), "330382108", "虹桥镇")
    f.school("3303820003", region=other_town)
    staff(client, "reviewer")
    Scope.objects.create(user=User.objects.get(username="reviewer")).regions.add(f.town())
    response = upload(client, HEADER + "3303820001,2012,100,4,5,12\n3303820003,2012,100,4,5,12\n")
    page = response.content.decode()
    assert "3303820003" in page and "不在您的数据范围内" in page
    assert 'name="import_file_name"' not in page
    assert AnnualReport.objects.count() == 0
