"""A clerk uploads the school's filled-in report template on the entry page: read and checked as the
import reads a file, saved into the draft through the workflow (still a draft, with its history),
or refused whole with every problem listed and nothing changed."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import ReportEvent
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE, OTHER = "3303820001", "3303820002"
# The template's first titles, as dashboard/template_xlsx.py writes them, and some of its figures.
HEADER = ["学校标识码", "年度", "学校名称", "小学在校生数", "小学班数", "小学专任教师数", "教学用计算机台数"]


@pytest.fixture
def draft():
    school = f.school(CODE, name="柳市一小")
    f.school(OTHER, name="柳市二小")
    return f.report(school, year=2013, status=AnnualReport.Status.DRAFT)


@pytest.fixture
def clerk(client, draft):
    user = User.objects.create_user("clerk", password="yq-clerk-2013")
    user.groups.add(roles_sync()["clerk"])
    Scope.objects.create(user=user).schools.add(draft.school)
    client.force_login(user)
    return client


def workbook(rows, header=HEADER):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def upload(client, content, name="report-template-2013.xlsx", version=1, year=2013):
    return client.post(
        reverse("reporting:upload", args=[CODE, year]),
        {"version": version, "file": SimpleUploadedFile(name, content)},
    )


def refusal(response):
    assert response.status_code == 200
    return response.context["upload_errors"]


def test_the_downloaded_template_filled_in_is_saved_into_the_draft(clerk, draft):
    response = clerk.get(reverse("reporting:template") + "?year=2013")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    column = {cell.value: cell.column for cell in sheet[1]}
    assert [cell.value for cell in sheet[2]][:3] == [CODE, 2013, "柳市一小"]
    figures = {"小学在校生数": 420, "小学班数": 12, "小学专任教师数": 30, "教学用计算机台数": 45}
    figures.update({"占地面积": 12000.5, "每天一小时体育活动落实": "是"})
    for title, value in figures.items():
        sheet.cell(2, column[title], value)
    filled = io.BytesIO()
    sheet.parent.save(filled)

    response = upload(clerk, filled.getvalue())

    assert response.status_code == 302 and response.url == reverse("reporting:entry", args=[CODE, 2013])
    assert "已按上传的文件保存草稿。" in clerk.get(response.url).content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.revision) == ("draft", 2)
    assert (draft.students_primary, draft.classes_primary, draft.teachers_primary) == (420, 12, 30)
    assert (draft.computers, draft.site_area, draft.pe_hour_met) == (45, Decimal("12000.50"), True)
    event = ReportEvent.objects.get(report=draft)
    assert (event.action, event.user.username, event.from_status, event.to_status) == (
        "saved",
        "clerk",
        "draft",
        "draft",
    )
    assert event.changes == {
        "students_primary": ["0", "420"],
        "classes_primary": ["0", "12"],
        "teachers_primary": ["0", "30"],
        "computers": ["0", "45"],
        "site_area": ["0.00", "12000.5"],
        "pe_hour_met": [None, "True"],
    }


def test_a_column_left_out_of_the_file_keeps_its_saved_value(clerk, draft):
    AnnualReport.objects.filter(pk=draft.pk).update(books=8400)

    assert upload(clerk, workbook([[CODE, 2013, "柳市一小", 420, 12, 30, 45]])).status_code == 302

    draft.refresh_from_db()
    assert (draft.students_primary, draft.books, draft.revision) == (420, 8400, 2)


def test_a_file_with_a_row_of_another_school_is_refused_and_nothing_changes(clerk, draft):
    rows = [[CODE, 2013, "柳市一小", 420, 12, 30, 45], [OTHER, 2013, "柳市二小", 300, 8, 20, 30]]

    response = upload(clerk, workbook(rows))

    assert refusal(response) == ["文件第3行是其他学校（3303820002）的年报，只能上传本校年报"]
    assert "文件第3行是其他学校（3303820002）的年报，只能上传本校年报" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.students_primary, draft.revision) == (0, 1)
    assert not ReportEvent.objects.exists()


def test_a_row_of_another_year_is_refused(clerk, draft):
    errors = refusal(upload(clerk, workbook([[CODE, 2012, "柳市一小", 420, 12, 30, 45]])))

    assert errors == ["文件第2行是2012年度的年报，本页是2013年度，只能上传本年度的年报"]


def test_every_problem_of_the_file_is_listed_by_row_and_column(clerk, draft):
    errors = refusal(upload(clerk, workbook([[CODE, 2013, "柳市一小", 420, "twelve", "five", -3]])))

    assert errors == [
        # The page names the columns by their titles, without the field keys the command prints.
        "第2行，小学班数列：不是数字：“twelve”",
        "第2行，小学专任教师数列：不是数字：“five”",
        "第2行，教学用计算机台数列：不能为负数：-3，应不小于0",
    ]
    draft.refresh_from_db()
    assert (draft.students_primary, draft.revision) == (0, 1)


def test_the_page_shows_each_problem_in_its_language_not_in_the_commands_format(clerk, draft):
    page = upload(clerk, workbook([[CODE, 2013, "柳市一小", 420, "twelve", 30, 45]])).content.decode()

    assert "<li>第2行，小学班数列：不是数字：“twelve”" in page
    assert "row 2" not in page and "column 小学班数" not in page


def test_contradictions_are_refused_with_their_column(clerk, draft):
    errors = refusal(upload(clerk, workbook([[CODE, 2013, "柳市一小", 420, 0, 30, 45]])))

    assert errors == ["第2行，小学班数列：小学班数为0，但小学在校生数为420"]
    draft.refresh_from_db()
    assert (draft.students_primary, draft.revision) == (0, 1)


def test_figures_for_a_level_the_school_does_not_teach_are_refused(clerk, draft):
    # The primary school's form hides the junior fields; the file may not fill them either.
    header = [*HEADER, "初中专任教师数"]
    errors = refusal(upload(clerk, workbook([[CODE, 2013, "柳市一小", 420, 12, 30, 45, 3]], header)))

    assert errors == ["第2行，初中专任教师数列：初中专任教师数：该办学类型没有此学段，应为0"]
    draft.refresh_from_db()
    assert (draft.teachers_junior, draft.revision) == (0, 1)


def test_a_file_without_the_schools_figures_is_refused(clerk, draft):
    errors = refusal(upload(clerk, workbook([[CODE, 2013, "柳市一小"]])))

    assert errors == ["文件中没有本校2013年度的年报数据：请在下载的模板中填写本校一行后再上传"]


def test_a_file_over_the_size_limit_is_refused_unread(clerk, draft, settings):
    settings.IMPORT_MAX_BYTES = 512 * 1024  # 0.5 MB
    # 600 KB of what is not a workbook: read, it would be refused as such instead.
    errors = refusal(upload(clerk, b"x" * (600 * 1024)))

    # 614,400 / 1,048,576 = 0.586 MB, rounded up to 0.59
    assert errors == ["文件过大（0.59 MB）：上传的文件不能超过0.5 MB"]
    draft.refresh_from_db()
    assert draft.revision == 1


def test_only_xlsx_and_csv_files_are_read(clerk, draft):
    errors = refusal(upload(clerk, b"\xd0\xcf\x11\xe0", name="report.xls"))

    assert errors == ["不支持的文件类型“.xls”：请使用.xlsx或.csv文件"]


def test_a_csv_file_is_read_too(clerk, draft):
    content = "学校标识码,年度,小学在校生数,小学班数,小学专任教师数\n3303820001,2013,420,12,30\n".encode(
        "gb18030"
    )

    assert upload(clerk, content, name="report.csv").status_code == 302

    draft.refresh_from_db()
    assert (draft.students_primary, draft.classes_primary, draft.teachers_primary) == (420, 12, 30)


def test_an_upload_from_a_stale_page_is_refused(clerk, draft):
    AnnualReport.objects.filter(pk=draft.pk).update(revision=2)

    response = upload(clerk, workbook([[CODE, 2013, "柳市一小", 420, 12, 30, 45]]), version=1)

    assert response.status_code == 409
    assert response.context["upload_errors"] == ["该年报已被他人修改，请重新加载后再操作。"]
    draft.refresh_from_db()
    assert (draft.students_primary, draft.revision) == (0, 2)


def test_an_approved_report_takes_no_upload(clerk, draft):
    f.report(draft.school, year=2012)  # approved
    page = clerk.get(reverse("reporting:entry", args=[CODE, 2012]))
    assert reverse("reporting:upload", args=[CODE, 2012]) not in page.content.decode()

    response = upload(clerk, workbook([[CODE, 2012, "柳市一小", 420, 12, 30, 45]]), year=2012)

    assert response.status_code == 403
    assert AnnualReport.objects.get(year=2012).students_primary == 0


def test_the_draft_page_offers_the_upload_and_the_template(clerk, draft):
    page = clerk.get(reverse("reporting:entry", args=[CODE, 2013])).content.decode()

    assert 'enctype="multipart/form-data"' in page and reverse("reporting:upload", args=[CODE, 2013]) in page
    assert reverse("reporting:template") + "?year=2013" in page
