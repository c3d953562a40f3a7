"""Stored compliance stays current: recomputed when a report or the standard changes, by any
path, and never kept for a report that is not approved."""

from decimal import Decimal

import pytest

from schools.models import AnnualReport
from standards import services
from standards.models import ComplianceSummary, Threshold
from standards.services import compliance_evaluate, compliance_recompute, compliance_refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def basic():
    std = f.standard("t-basic")
    f.indicator(std, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(std, max_failed=0)
    return std


def _report(code, computers, status=AnnualReport.Status.APPROVED):
    school = f.school(code)
    return f.report(
        school,
        status=status,
        students_primary=100,
        classes_primary=4,
        teachers_primary=5,
        computers=computers,
    )


def _passed(report, std):
    return ComplianceSummary.objects.get(report=report, standard=std).passed_rule


def test_threshold_changed_outside_the_admin_is_noticed(basic):
    report = _report("3303820001", computers=10)  # 10 per 100: exactly at the threshold
    compliance_recompute()
    assert _passed(report, basic) is True
    Threshold.objects.filter(indicator__standard=basic).update(value=Decimal("10.5"))
    assert compliance_refresh(standard=basic) == 1
    assert _passed(report, basic) is False


def test_report_edited_without_the_services_is_caught_by_evaluate(basic):
    report = _report("3303820001", computers=9)
    compliance_recompute()
    AnnualReport.objects.filter(pk=report.pk).update(computers=12)  # revision not bumped
    compliance_evaluate(standard=basic, year=2012)
    assert _passed(report, basic) is True


def test_nothing_stale_means_nothing_recomputed(basic):
    _report("3303820001", computers=9)
    compliance_recompute()
    assert compliance_refresh(standard=basic) == 0


def test_evaluate_rewrites_only_what_changed(basic, django_assert_max_num_queries):
    one, two = _report("3303820001", computers=9), _report("3303820002", computers=12)
    compliance_evaluate(standard=basic, year=2012)
    first = {s.report_id: s.pk for s in ComplianceSummary.objects.filter(standard=basic)}
    # Nothing changed: read, compare, no write (the ids stay).
    with django_assert_max_num_queries(7) as queries:  # specs (3), the read, the unapproved check, savepoints
        compliance_evaluate(standard=basic, year=2012)
    assert not [
        q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "DELETE"))
    ]
    assert {s.report_id: s.pk for s in ComplianceSummary.objects.filter(standard=basic)} == first
    # One report edited behind the services' back: only its summary is rewritten.
    AnnualReport.objects.filter(pk=two.pk).update(computers=8)
    compliance_evaluate(standard=basic, year=2012)
    now = {s.report_id: s.pk for s in ComplianceSummary.objects.filter(standard=basic)}
    assert now[one.pk] == first[one.pk] and now[two.pk] != first[two.pk]
    assert _passed(two, basic) is False


def test_report_no_longer_approved_loses_its_results(basic):
    report = _report("3303820001", computers=9)
    compliance_recompute()
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.RETURNED)
    compliance_recompute(reports=[report.pk])
    assert not ComplianceSummary.objects.filter(report=report).exists()


def test_draft_reports_are_never_evaluated(basic):
    _report("3303820001", computers=9, status=AnnualReport.Status.DRAFT)
    assert compliance_recompute() == 0 and not ComplianceSummary.objects.exists()


def test_long_id_lists_are_taken_in_slices(basic, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    reports = [_report(f"33038200{i:02d}", computers=5 + i) for i in range(5)]
    assert compliance_recompute(reports=[r.pk for r in reports]) == 5
    # 5, 6, …, 9 computers per 100 students against 10: all fail
    assert ComplianceSummary.objects.filter(passed_rule=False).count() == 5
