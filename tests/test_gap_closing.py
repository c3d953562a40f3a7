"""A gap closes only when an approved report recomputes its item as passing: a school's claim
is not enough; reopening that report opens the gap again, in the status it had; a waiver needs
a reason (numbers in tests/campaign_world.py)."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from phases.models import Gap
from phases.services import campaign_enrol, gap_waive, gaps_reconcile
from reporting.services import report_approve, report_reopen
from tests import campaign_world
from tests import factories as f

pytestmark = pytest.mark.django_db
CODE = "3303820001"


@pytest.fixture
def world():
    campaign, schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    gaps = {g.indicator.code: g for g in Gap.objects.filter(tracked__school__code=CODE)}
    # 2013: computers up to 40 (10 per hundred: passes); the site still 7 000 m² (fails).
    figures = {**campaign_world.PASSING, "site_area": 7000}
    report = f.report(schools[CODE], year=2013, status="submitted", **figures)
    return {"gaps": gaps, "report": report, "reviewer": User.objects.create_user("reviewer")}


def status_of(gap):
    gap.refresh_from_db()
    return gap.status


def test_a_claim_without_passing_data_stays_claimed(world):
    site = world["gaps"]["L"]
    Gap.objects.filter(pk=site.pk).update(status=Gap.Status.CLAIMED)
    report = world["report"]
    report_approve(report=report, user=world["reviewer"], version=report.revision)
    assert status_of(site) == Gap.Status.CLAIMED
    assert site.closed_by is None


def test_approved_passing_data_closes_the_gap(world):
    computers = world["gaps"]["C"]
    report = world["report"]
    report_approve(report=report, user=world["reviewer"], version=report.revision)
    assert status_of(computers) == Gap.Status.CLOSED
    assert computers.closed_by == report and computers.closed_on is not None
    assert computers.history.count() == 2  # enrolled, then closed


def test_a_submitted_report_closes_nothing(world):
    assert gaps_reconcile(report=world["report"]) == {"closed": [], "reopened": []}
    assert status_of(world["gaps"]["C"]) == Gap.Status.OPEN


def test_reopening_the_report_reopens_the_gap_in_its_earlier_status(world):
    computers = world["gaps"]["C"]
    Gap.objects.filter(pk=computers.pk).update(status=Gap.Status.CLAIMED)
    report, reviewer = world["report"], world["reviewer"]
    report_approve(report=report, user=reviewer, version=report.revision)
    assert status_of(computers) == Gap.Status.CLOSED
    report_reopen(report=report, user=reviewer, version=report.revision, reason="计算机台数有误")
    assert status_of(computers) == Gap.Status.CLAIMED
    assert (computers.closed_by, computers.closed_on, computers.status_before_close) == (None, None, "")


def test_a_waiver_needs_a_reason(world):
    site = world["gaps"]["L"]
    with pytest.raises(ValidationError):
        gap_waive(gap=site, reason=" ", user=world["reviewer"])
    assert status_of(site) == Gap.Status.OPEN
    gap_waive(gap=site, reason="2014 年撤并入柳市二小", user=world["reviewer"])
    assert status_of(site) == Gap.Status.WAIVED
    assert site.history.latest().history_user == world["reviewer"]


def test_a_later_approved_report_that_fails_again_reopens_the_gap(world):
    computers = world["gaps"]["C"]
    report, reviewer = world["report"], world["reviewer"]
    report_approve(report=report, user=reviewer, version=report.revision)
    assert status_of(computers) == Gap.Status.CLOSED
    # 2014: computers down to 36 for 400 pupils, 9 per hundred, under the 10 required.
    later = f.report(
        report.school,
        year=2014,
        status="submitted",
        **{**campaign_world.PASSING, "site_area": 7000, "computers": 36},
    )
    report_approve(report=later, user=reviewer, version=later.revision)
    assert status_of(computers) == Gap.Status.OPEN
    assert computers.closed_by is None
    # Reopening 2014 leaves 2013, which passes, as the latest approved data: closed again.
    report_reopen(report=later, user=reviewer, version=later.revision, reason="计算机台数有误")
    assert status_of(computers) == Gap.Status.CLOSED
    assert computers.closed_by == report


def test_a_later_approved_report_that_passes_keeps_the_first_closing(world):
    computers = world["gaps"]["C"]
    report, reviewer = world["report"], world["reviewer"]
    report_approve(report=report, user=reviewer, version=report.revision)
    later = f.report(
        report.school, year=2014, status="submitted", **{**campaign_world.PASSING, "site_area": 7000}
    )
    report_approve(report=later, user=reviewer, version=later.revision)
    assert status_of(computers) == Gap.Status.CLOSED
    assert computers.closed_by == report
