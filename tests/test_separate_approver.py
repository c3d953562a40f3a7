"""Separation of duties: the reviewer who last changed a report's figures cannot approve it, unless
the bureau switches the rule off (REPORT_SEPARATE_APPROVER=0, an office of one)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from reporting.models import ReportEvent, ReportingYear
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE = "3303820001"
FIGURES = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 25, "computers": 30}


@pytest.fixture
def county():
    region = f.county()
    f.school(CODE, region=f.town(region, "330382114", "柳市镇"), name="柳市一小")
    ReportingYear.objects.create(year=2013)
    return region


def reviewer(county, username):
    account = User.objects.create_user(username, password="yq-reviewer-2013")
    account.groups.add(roles_sync()["reviewer"])
    Scope.objects.create(user=account).regions.add(county)
    client = Client()
    client.force_login(account)
    return client


def entered_and_submitted(client):
    """The reviewer starts the school's report, types its figures and submits it, alone."""
    assert client.post(reverse("reporting:start", args=[CODE, 2013])).status_code == 302
    report = AnnualReport.objects.get(year=2013)
    data = {
        key: value for key, value in report.values().items() if value is not None and key != "pe_hour_met"
    }
    assert (
        client.post(
            reverse("reporting:submit", args=[CODE, 2013]), {**data, **FIGURES, "version": report.revision}
        ).status_code
        == 302
    )
    report.refresh_from_db()
    assert (report.status, report.computers) == (AnnualReport.Status.SUBMITTED, 30)
    return report


def approve(client, report):
    return client.post(
        reverse("reporting:approve", args=[CODE, 2013]), {"version": report.revision, "checked": "on"}
    )


def test_the_reviewer_who_entered_the_figures_cannot_approve_them(county, settings):
    assert settings.REPORT_SEPARATE_APPROVER is True  # on unless the bureau switches it off
    alone = reviewer(county, "reviewer-1")
    report = entered_and_submitted(alone)

    response = approve(alone, report)

    assert response.status_code == 200
    assert "不能由您本人审核通过" in response.content.decode()
    refused = AnnualReport.objects.get(pk=report.pk)
    assert (refused.status, refused.revision) == (AnnualReport.Status.SUBMITTED, report.revision)
    assert not ReportEvent.objects.filter(action=ReportEvent.Action.APPROVED).exists()

    assert approve(reviewer(county, "reviewer-2"), report).status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.APPROVED


def test_an_office_of_one_may_switch_the_rule_off(county, settings):
    settings.REPORT_SEPARATE_APPROVER = False
    alone = reviewer(county, "reviewer-1")
    report = entered_and_submitted(alone)

    assert approve(alone, report).status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).status == AnnualReport.Status.APPROVED


def test_what_counts_is_who_changed_the_figures_last(county, settings):
    first, second = reviewer(county, "reviewer-1"), reviewer(county, "reviewer-2")
    report = entered_and_submitted(first)
    # reviewer-2 returns it and, once returned, corrects one figure and submits it again.
    url = reverse("reporting:return", args=[CODE, 2013])
    assert second.post(url, {"reason": "请核实", "version": report.revision}).status_code == 302
    report.refresh_from_db()
    data = {
        key: value for key, value in report.values().items() if value is not None and key != "pe_hour_met"
    }
    entry = reverse("reporting:submit", args=[CODE, 2013])
    posted = {**data, "computers": 31, "version": report.revision}
    assert second.post(entry, posted).status_code == 302
    report.refresh_from_db()

    assert approve(second, report).status_code == 200  # the last change is reviewer-2's own
    assert approve(first, report).status_code == 302
