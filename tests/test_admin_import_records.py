"""Every import through the admin leaves a batch (file name, SHA-256, user, counts, outcome): a
refused file, a preview and a confirmed import; a confirmed import is also in the admin's log."""

import hashlib

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import AnnualReport, ImportBatch, School
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = "学校标识码,年度,小学在校生数,小学班数,小学专任教师数,教学用计算机台数\n"
CSV = 0  # index in settings.IMPORT_FORMATS


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("admin", password="yq-admin-2013")
    client.force_login(user)
    return user


@pytest.fixture
def schools():
    f.school("3303820001")
    f.school("3303820002")


def preview(client, name, content, model="annualreport"):
    url = reverse(f"admin:schools_{model}_import")
    data = {"resource": "0", "format": str(CSV), "import_file": SimpleUploadedFile(name, content)}
    return client.post(url, data)


def confirm(client, response, model="annualreport"):
    return client.post(
        reverse(f"admin:schools_{model}_process_import"), response.context["confirm_form"].initial
    )


def batches():
    return list(
        ImportBatch.objects.order_by("pk").values_list(
            "kind", "file_name", "outcome", "created", "updated", "unchanged", "problems"
        )
    )


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def test_a_refused_preview_is_a_batch(client, superuser, schools):
    content = (HEADER + "3303820001,2012,100,4,5,12\n3303820002,2012,100,4,five,12\n").encode()

    preview(client, "bad.csv", content)

    assert batches() == [("reports", "bad.csv", "refused", 0, 0, 0, 1)]
    batch = ImportBatch.objects.get()
    assert (batch.sha256, batch.user) == (sha256(content), superuser)
    assert not AnnualReport.objects.exists()


def test_a_file_refused_unread_is_a_batch_without_a_digest(client, superuser, schools):
    preview(client, "reports.xls", b"\xd0\xcf\x11\xe0")

    assert batches() == [("reports", "reports.xls", "refused", 0, 0, 0, 1)]
    assert ImportBatch.objects.get().sha256 == ""


def test_a_preview_then_its_confirmation_are_two_batches_and_one_log_entry(client, superuser, schools):
    content = (HEADER + "3303820001,2012,100,4,5,12\n3303820002,2012,100,4,5,8\n").encode()

    response = preview(client, "r2012.csv", content)
    assert batches() == [("reports", "r2012.csv", "dry_run", 2, 0, 0, 0)]
    assert confirm(client, response).status_code == 302

    assert batches() == [
        ("reports", "r2012.csv", "dry_run", 2, 0, 0, 0),
        ("reports", "r2012.csv", "applied", 2, 0, 0, 0),
    ]
    applied = ImportBatch.objects.order_by("pk").last()
    assert (applied.sha256, applied.user) == (sha256(content), superuser)
    entry = LogEntry.objects.get()
    assert (entry.user, entry.action_flag, entry.content_type.model) == (superuser, ADDITION, "annualreport")
    assert entry.change_message == "导入 r2012.csv：新增 2，更新 0"


def test_an_import_that_changes_one_report_and_leaves_one_is_logged_as_a_change(client, superuser, schools):
    f.report(
        School.objects.get(code="3303820001"),
        students_primary=100,
        classes_primary=4,
        teachers_primary=5,
        computers=12,
    )
    f.report(
        School.objects.get(code="3303820002"),
        students_primary=100,
        classes_primary=4,
        teachers_primary=5,
        computers=8,
    )
    content = (HEADER + "3303820001,2012,100,4,5,12\n3303820002,2012,100,4,5,9\n").encode()

    confirm(client, preview(client, "fix.csv", content))

    assert batches()[-1] == ("reports", "fix.csv", "applied", 0, 1, 1, 0)
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.change_message) == (CHANGE, "导入 fix.csv：新增 0，更新 1")


def test_an_admin_import_of_schools_is_a_schools_batch(client, superuser):
    f.town()
    content = "学校标识码,学校名称,办学类型,城乡分类,所属镇街\n3303820009,新学校,小学,镇区,柳市镇\n"

    response = preview(client, "schools.csv", content.encode(), model="school")
    confirm(client, response, model="school")

    assert [row[:4] for row in batches()] == [
        ("schools", "schools.csv", "dry_run", 1),
        ("schools", "schools.csv", "applied", 1),
    ]
    assert School.objects.filter(code="3303820009").exists()
    assert LogEntry.objects.get().change_message == "导入 schools.csv：新增 1，更新 0"


def test_without_a_confirm_step_an_import_is_one_applied_batch(client, superuser, schools, settings):
    settings.IMPORT_EXPORT_SKIP_ADMIN_CONFIRM = True
    content = (HEADER + "3303820001,2012,100,4,5,12\n").encode()

    assert preview(client, "once.csv", content).status_code == 302

    assert batches() == [("reports", "once.csv", "applied", 1, 0, 0, 0)]
    assert ImportBatch.objects.get().sha256 == sha256(content)
    assert LogEntry.objects.get().change_message == "导入 once.csv：新增 1，更新 0"
