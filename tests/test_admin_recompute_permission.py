"""The admin's "recompute" actions belong to those who change standards or review reports: the
read-only roles are not offered them, and a forged POST rewrites nothing."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from standards.models import ComplianceSummary, Standard
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELISTS = {
    "recompute": "admin:schools_annualreport_changelist",
    "standard": "admin:standards_standard_changelist",
}


@pytest.fixture
def world():
    std = f.standard("t-basic")
    f.indicator(std, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(std, max_failed=0)
    f.report(f.school("3303820001"), students_primary=100, classes_primary=4, teachers_primary=5, computers=7)
    return std


def staff(client, role):
    user = User.objects.create_user(role, password=f"yq-{role}-2013", is_staff=True)
    user.groups.add(roles_sync()[role])
    Scope.objects.create(user=user).regions.add(f.town())
    client.force_login(user)
    return client


def offered_actions(client, url_name):
    response = client.get(reverse(url_name))
    form = response.context["action_form"] if response.status_code == 200 else None
    return {name for name, _label in form.fields["action"].choices} if form else set()


def post_recompute(client, url_name, pk):
    return client.post(reverse(url_name), {"action": "recompute", "_selected_action": [pk], "index": 0})


@pytest.mark.parametrize("role", ["town", "leader", "inspector"])
def test_read_only_roles_cannot_recompute_reports_or_standards(client, world, role):
    staff(client, role)
    report = AnnualReport.objects.get()
    assert not ComplianceSummary.objects.exists()

    post_recompute(client, "admin:schools_annualreport_changelist", report.pk)
    post_recompute(client, "admin:standards_standard_changelist", world.pk)

    assert not ComplianceSummary.objects.exists()
    assert "recompute" not in offered_actions(client, "admin:schools_annualreport_changelist")
    assert "recompute" not in offered_actions(client, "admin:standards_standard_changelist")


def test_a_reviewer_recomputes_the_reports_of_their_scope(client, world):
    staff(client, "reviewer")
    report = AnnualReport.objects.get()

    assert "recompute" in offered_actions(client, "admin:schools_annualreport_changelist")
    response = post_recompute(client, "admin:schools_annualreport_changelist", report.pk)

    assert response.status_code == 302
    # 7 computers for 100 students against 10 per 100: one standard, one summary, failed
    assert list(ComplianceSummary.objects.values_list("passed_rule", flat=True)) == [False]


def test_the_administrator_recomputes_a_standard(client, world):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))

    assert "recompute" in offered_actions(client, "admin:standards_standard_changelist")
    response = post_recompute(client, "admin:standards_standard_changelist", world.pk)

    assert response.status_code == 302
    assert ComplianceSummary.objects.filter(standard=world, report__school__code="3303820001").count() == 1
    assert Standard.objects.count() == 1
