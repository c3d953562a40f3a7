"""Nothing with workflow history is deleted, in the admin or by a cascade: a report with events,
queries or explanations stays, with them; an account that left admin log entries stays; a school
with reports stays, and the admin says why."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import ProtectedError
from django.urls import reverse

from reporting.models import FieldQuery, QueryMessage, ReportEvent, WarningExplanation
from schools.models import AnnualReport, School
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("admin", password="yq-admin-2013")
    client.force_login(user)
    return user


@pytest.fixture
def approved():
    """An approved report with its history: an approval, a query thread and an explanation."""
    clerk = User.objects.create_user("clerk", password="yq-clerk-2013")
    report = f.report(f.school("3303820001"), computers=7)
    ReportEvent.objects.create(
        report=report, action="approved", user=clerk, from_status="submitted", to_status="approved"
    )
    query = FieldQuery.objects.create(report=report, field="computers", raised_by=clerk)
    QueryMessage.objects.create(query=query, author=clerk, text="请核实")
    WarningExplanation.objects.create(
        report=report, rule_code="w", field="computers", text="新购", author=clerk
    )
    return report


def history_counts():
    return (
        AnnualReport.objects.count(),
        ReportEvent.objects.count(),
        FieldQuery.objects.count(),
        QueryMessage.objects.count(),
        WarningExplanation.objects.count(),
    )


def test_a_report_with_history_cannot_be_deleted_at_all(approved):
    for doomed in (approved, approved.queries.get()):
        with pytest.raises(ProtectedError):
            doomed.delete()
    assert history_counts() == (1, 1, 1, 1, 1)


def test_the_admin_refuses_to_delete_a_report_with_history(client, superuser, approved):
    url = reverse("admin:schools_annualreport_delete", args=[approved.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    change_page = client.get(
        reverse("admin:schools_annualreport_change", args=[approved.pk])
    ).content.decode()
    assert url not in change_page  # no delete link
    assert history_counts() == (1, 1, 1, 1, 1)


def test_delete_selected_leaves_a_report_with_history(client, superuser, approved):
    changelist = reverse("admin:schools_annualreport_changelist")
    data = {"action": "delete_selected", "_selected_action": [approved.pk], "post": "yes"}

    response = client.post(changelist, data)

    assert response.status_code == 200
    assert "无法删除" in response.content.decode()  # Django's refusal page
    assert history_counts() == (1, 1, 1, 1, 1)


def test_an_account_with_admin_log_entries_is_not_deleted_with_them(client, superuser):
    leaver = User.objects.create_user("leaver", password="yq-leaver-2013", is_staff=True)
    LogEntry.objects.create(
        user=leaver,
        content_type=ContentType.objects.get_for_model(School),
        object_repr="柳市一小",
        action_flag=CHANGE,
        change_message="改学区",
    )
    url = reverse("admin:auth_user_delete", args=[leaver.pk])

    page = client.post(url, {"post": "yes"}).content.decode()
    bulk = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [leaver.pk], "post": "yes"},
    ).content.decode()

    assert User.objects.filter(username="leaver").exists()
    assert LogEntry.objects.filter(user=leaver).count() == 1
    assert "操作记录" in page and "操作记录" in bulk  # the refusal names what would be lost


def test_a_school_with_reports_is_refused_in_chinese(client, superuser):
    school = f.school("3303820001")
    f.report(school)

    response = client.post(reverse("admin:schools_school_delete", args=[school.pk]), {"post": "yes"})

    page = response.content.decode()
    assert response.status_code == 200 and "无法删除" in page and "受保护的相关对象" in page
    assert School.objects.filter(pk=school.pk).exists()
