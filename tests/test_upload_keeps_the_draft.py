"""A school's upload changes the figures it fills in and nothing else: a blank cell keeps the
draft's value, and the template of a school that has started its report comes filled in with the
draft's current values, so that a file filled in partly never wipes what was saved on the page."""

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
SAVED = {
    "students_primary": 400,
    "classes_primary": 10,
    "teachers_primary": 25,
    "computers": 30,
    "books": 9000,
    "site_area": Decimal("12000.50"),
    "public_funds": Decimal("350000.00"),
    "pe_hour_met": True,
    "health_pass_rate": Decimal("95.50"),
}
FOUR = {"小学在校生数": 420, "小学班数": 12, "小学专任教师数": 30, "教学用计算机台数": 45}


@pytest.fixture
def draft():
    school = f.school(CODE, name="柳市一小")
    f.school(OTHER, name="柳市二小")
    return f.report(school, year=2013, status=AnnualReport.Status.DRAFT, **SAVED)


@pytest.fixture
def clerk(client, draft):
    user = User.objects.create_user("clerk", password="yq-clerk-2013")
    user.groups.add(roles_sync()["clerk"])
    Scope.objects.create(user=user).schools.add(draft.school)
    client.force_login(user)
    return client


@pytest.fixture
def town(client, draft):
    """A town officer: both schools of the town in one template."""
    user = User.objects.create_user("town", password="yq-town-2013")
    user.groups.add(roles_sync()["town"])
    Scope.objects.create(user=user).regions.add(draft.school.region)
    client.force_login(user)
    return client


def template(client):
    response = client.get(reverse("reporting:template") + "?year=2013")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.getvalue())).active


def row_of(sheet, code):
    """Title → value of the school's row."""
    titles = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] == code:
            return dict(zip(titles, row, strict=False))
    raise AssertionError(code)


def upload(client, sheet):
    data = io.BytesIO()
    sheet.parent.save(data)
    return client.post(
        reverse("reporting:upload", args=[CODE, 2013]),
        {
            "version": 1,
            "file": SimpleUploadedFile("report-template-2013.xlsx", data.getvalue()),
        },
    )


def test_blank_cells_of_an_upload_keep_the_drafts_values(clerk, draft):
    titles = [cell.value for cell in template(clerk)[1]]
    book = openpyxl.Workbook()
    book.active.append(titles)
    book.active.append([FOUR.get(title) for title in titles])
    for column, value in ((1, CODE), (2, 2013), (3, "柳市一小")):
        book.active.cell(2, column, value)

    response = upload(clerk, book.active)

    assert response.status_code == 302
    assert "已按上传的文件保存草稿。" in clerk.get(response.url).content.decode()
    draft.refresh_from_db()
    figures = draft.values()
    assert {
        key: figures[key] for key in ("students_primary", "classes_primary", "teachers_primary", "computers")
    } == {
        "students_primary": 420,
        "classes_primary": 12,
        "teachers_primary": 30,
        "computers": 45,
    }
    # Every other figure is as it was saved on the page, not 0 or blank.
    assert figures["books"] == 9000
    assert figures["site_area"] == Decimal("12000.50")
    assert figures["public_funds"] == Decimal("350000.00")
    assert figures["pe_hour_met"] is True
    assert figures["health_pass_rate"] == Decimal("95.50")
    saved = ReportEvent.objects.get(report=draft, action=ReportEvent.Action.SAVED)
    assert sorted(saved.changes) == ["classes_primary", "computers", "students_primary", "teachers_primary"]


def test_the_template_of_a_started_report_holds_the_drafts_values(town, draft):
    sheet = template(town)
    mine = row_of(sheet, CODE)
    assert mine["小学在校生数"] == 400
    assert mine["图书册数"] == 9000
    assert mine["占地面积"] == 12000.5
    assert mine["公用经费支出"] == 350000
    assert mine["每天一小时体育活动落实"] == "是"
    assert mine["学生体质健康及格率"] == 95.5
    assert mine["初中在校生数"] == 0  # the draft's value of a level the school does not teach
    assert mine["教师工资总额"] is None  # unknown stays blank
    # A school that has not started its report gets its code, year and name only.
    other = row_of(sheet, OTHER)
    assert [other["学校标识码"], other["年度"], other["学校名称"]] == [OTHER, 2013, "柳市二小"]
    assert all(
        value is None for title, value in other.items() if title not in ("学校标识码", "年度", "学校名称")
    )


def test_the_downloaded_template_with_one_cell_changed_changes_one_figure(clerk, draft):
    sheet = template(clerk)
    column = [cell.value for cell in sheet[1]].index("教学用计算机台数") + 1
    sheet.cell(2, column, 45)

    assert upload(clerk, sheet).status_code == 302

    draft.refresh_from_db()
    assert {key: getattr(draft, key) for key in SAVED} == {**SAVED, "computers": 45}
    saved = ReportEvent.objects.get(report=draft, action=ReportEvent.Action.SAVED)
    assert saved.changes == {"computers": ["30", "45"]}
