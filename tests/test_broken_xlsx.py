"""An .xlsx file whose workbook or shared strings are broken XML is refused in Chinese on every
path that reads one: the clerk's upload, the admin's import, and both import commands (exit
status 1, no traceback)."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility
from django.db import connections
from django.urls import reverse

from schools.importing.readers import read_table
from schools.models import AnnualReport, ImportBatch, Scope
from schools.services import roles_sync
from tests import factories as f
from tests.xlsx_parts import WORKBOOK, package, shared_strings, sheet

pytestmark = pytest.mark.django_db

NOT_EXCEL = "文件不是有效的Excel（.xlsx）文件"
CODE = "3303820001"
ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>2013</v></c></row>'
)
STRINGS = "".join(shared_strings(["学校标识码", "年度", CODE]))


def broken(part):
    """A well-formed file but for `part`, cut off in the middle of a tag."""
    parts = {"workbook": WORKBOOK, "strings": STRINGS}
    parts[part] = parts[part][: len(parts[part]) // 2]
    return parts


@pytest.fixture(params=["workbook", "strings"])
def broken_file(request, tmp_path):
    parts = broken(request.param)
    return package(
        tmp_path / "report.xlsx", sheet(ROWS), strings=parts["strings"], workbook=parts["workbook"]
    )


def test_the_same_file_unbroken_is_read(tmp_path):
    path = package(tmp_path / "report.xlsx", sheet(ROWS), strings=STRINGS)

    table = read_table(path)

    assert table.headers == ["学校标识码", "年度"]
    assert table.rows == [(CODE, 2013)]


def test_the_clerks_upload_page_says_the_file_is_no_excel_file(client, broken_file):
    school = f.school(CODE)
    report = f.report(school, year=2013, status=AnnualReport.Status.DRAFT)
    user = User.objects.create_user("clerk", password="yq-clerk-2013")
    user.groups.add(roles_sync()["clerk"])
    Scope.objects.create(user=user).schools.add(school)
    client.force_login(user)

    response = client.post(
        reverse("reporting:upload", args=[CODE, 2013]),
        {
            "version": 1,
            "file": SimpleUploadedFile("report.xlsx", broken_file.read_bytes()),
        },
    )

    assert response.status_code == 200
    assert response.context["upload_errors"] == [NOT_EXCEL]
    report.refresh_from_db()
    assert report.revision == 1


def test_the_admin_import_page_says_the_file_is_no_excel_file(client, broken_file):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))
    data = {
        "resource": "0",
        "format": "1",
        "import_file": SimpleUploadedFile("r.xlsx", broken_file.read_bytes()),
    }

    response = client.post(reverse("admin:schools_annualreport_import"), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"import_file": [NOT_EXCEL]}
    assert AnnualReport.objects.count() == 0


@pytest.mark.parametrize("command", ["import_schools", "import_reports"])
def test_the_import_commands_say_so_and_exit_with_status_1(broken_file, command, capsys, monkeypatch):
    # As manage.py runs a command; it closes the connections afterwards, which would close the
    # test's own transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", command, str(broken_file)]).execute()

    err = capsys.readouterr().err
    assert exited.value.code == 1
    assert err.splitlines() == [NOT_EXCEL, "CommandError: 导入失败：共1个问题，未写入任何数据"]
    assert "Traceback" not in err
    assert ImportBatch.objects.get().outcome == ImportBatch.Outcome.REFUSED
