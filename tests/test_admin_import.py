"""The admin console's import: the same row definition as the commands, all or nothing, and the
imported reports' compliance recomputed."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import AnnualReport, ReportEvent
from standards.models import ComplianceSummary
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = "学校标识码,年度,小学在校生数,小学班数,小学专任教师数,教学用计算机台数\n"
CSV = 0  # index of CSV in settings.IMPORT_FORMATS


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
