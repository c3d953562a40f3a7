"""The report's life: drafts, submission with explained warnings, return, approval (which
evaluates), reopening; every step in the history; stale copies refused."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from reporting import services as workflow
from reporting.models import ReportEvent, ReportRule, WarningExplanation
from reporting.rules import check_report
from schools.models import AnnualReport
from standards.models import ComplianceSummary
from standards.preview import compliance_preview
from tests import factories as f

pytestmark = pytest.mark.django_db

FIGURES = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 25, "computers": 30}


@pytest.fixture
def setup():
    call_command("loaddata", "report-rules", verbosity=0)
    std = f.standard("t-basic")
    f.indicator(std, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(std, max_failed=0)
    school = f.school("3303820001")
    f.report(school, year=2012, **FIGURES)
    report = f.report(school, year=2013, status=AnnualReport.Status.DRAFT, **FIGURES)
    clerk = User.objects.create_user("clerk", password="yq-clerk-2013")
    reviewer = User.objects.create_user("reviewer", password="yq-reviewer-2013")
    return {"report": report, "clerk": clerk, "reviewer": reviewer, "standard": std}


def test_rules_find_class_size_ratio_and_change_by_hand():
    call_command("loaddata", "report-rules", verbosity=0)
    rules = list(ReportRule.objects.all())
    # 470 students in 10 classes = 47 > 45; 470 / 10 teachers = 47 > 30; students +17.5 % (no
    # flag), computers 30 → 45 = +50 % (flag)
    values = {"students_primary": 470, "classes_primary": 10, "teachers_primary": 10, "computers": 45}
    previous = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 10, "computers": 30}
    found = {(x.rule, x.field): x.value for x in check_report(values, previous, "primary", rules)}
    assert found == {
        ("class-size-primary", "students_primary"): 47,
        ("students-per-teacher", "students_primary"): 47,
        ("change-30", "computers"): 50,
    }


def test_save_records_old_and_new_values(setup):
    report, clerk = setup["report"], setup["clerk"]
    workflow.report_save(report=report, values={"computers": 36}, user=clerk, version=report.revision)
    event = report.events.get()
    assert event.action == "saved" and event.user == clerk and event.changes == {"computers": ["30", "36"]}
    assert report.computers == 36 and report.revision == 2


def test_a_stale_copy_is_refused_and_nothing_is_lost(setup):
    report, clerk = setup["report"], setup["clerk"]
    mine = AnnualReport.objects.get(pk=report.pk)
    theirs = AnnualReport.objects.get(pk=report.pk)
    workflow.report_save(report=theirs, values={"computers": 40}, user=clerk, version=theirs.revision)
    with pytest.raises(workflow.Conflict):
        workflow.report_save(report=mine, values={"computers": 20}, user=clerk, version=mine.revision)
    assert AnnualReport.objects.get(pk=report.pk).computers == 40


def test_a_contradiction_blocks_the_save(setup):
    report = setup["report"]
    with pytest.raises(ValidationError) as caught:
        workflow.report_save(
            report=report,
            values={"qualified_above_primary": 30},
            user=setup["clerk"],
            version=report.revision,
        )
    assert "qualified_above_primary" in caught.value.message_dict
    assert not report.events.exists()


def test_submit_needs_every_warning_explained(setup):
    report, clerk = setup["report"], setup["clerk"]
    workflow.report_save(report=report, values={"computers": 45}, user=clerk, version=report.revision)
    with pytest.raises(ValidationError) as caught:
        workflow.report_submit(report=report, user=clerk, version=report.revision, explanations={})
    assert list(caught.value.message_dict) == ["computers"]
    workflow.report_submit(
        report=report,
        user=clerk,
        version=report.revision,
        explanations={("change-30", "computers"): "新建计算机教室，添置15台"},
    )
    assert report.status == "submitted"
    assert WarningExplanation.objects.get(report=report).text == "新建计算机教室，添置15台"


def test_a_drafts_explanations_are_kept_when_it_is_saved_without_submitting(setup):
    report, clerk = setup["report"], setup["clerk"]
    workflow.report_save(report=report, values={"computers": 45}, user=clerk, version=report.revision)
    workflow.explanations_save(
        report=report,
        user=clerk,
        explanations={
            ("change-30", "computers"): "新建计算机教室",
            ("change-30", "books"): "no such warning",
        },
    )
    # only the warning the report has is kept; a blank text keeps what was written
    assert list(WarningExplanation.objects.values_list("field", "text")) == [("computers", "新建计算机教室")]
    workflow.explanations_save(report=report, user=clerk, explanations={("change-30", "computers"): " "})
    assert WarningExplanation.objects.get().text == "新建计算机教室"
    workflow.report_submit(
        report=report,
        user=clerk,
        version=report.revision,
        explanations={("change-30", "computers"): "新建计算机教室，添置15台"},
    )
    assert WarningExplanation.objects.get().text == "新建计算机教室，添置15台"


def test_return_needs_a_reason_and_approval_evaluates(setup):
    report, clerk, reviewer = setup["report"], setup["clerk"], setup["reviewer"]
    workflow.report_submit(report=report, user=clerk, version=report.revision, explanations={})
    with pytest.raises(ValidationError):
        workflow.report_return(report=report, user=reviewer, version=report.revision, reason="  ")
    workflow.report_return(report=report, user=reviewer, version=report.revision, reason="计算机数请核实")
    assert report.status == "returned"
    workflow.report_submit(report=report, user=clerk, version=report.revision, explanations={})
    assert not ComplianceSummary.objects.filter(report=report).exists()  # never from unapproved figures
    workflow.report_approve(report=report, user=reviewer, version=report.revision)
    # 30 computers for 400 students = 7.5 per 100 < 10
    assert ComplianceSummary.objects.get(report=report).passed_rule is False


def test_an_approved_report_is_frozen_until_reopened_with_a_reason(setup):
    report, clerk, reviewer = setup["report"], setup["clerk"], setup["reviewer"]
    workflow.report_submit(report=report, user=clerk, version=report.revision, explanations={})
    workflow.report_approve(report=report, user=reviewer, version=report.revision)
    with pytest.raises(PermissionDenied):
        workflow.report_save(report=report, values={"computers": 40}, user=clerk, version=report.revision)
    workflow.report_reopen(report=report, user=reviewer, version=report.revision, reason="计算机数有误")
    assert report.status == "returned" and not ComplianceSummary.objects.filter(report=report).exists()
    workflow.report_save(report=report, values={"computers": 40}, user=clerk, version=report.revision)
    workflow.report_submit(
        report=report,
        user=clerk,
        version=report.revision,
        explanations={("change-30", "computers"): "补充配备"},
    )
    workflow.report_approve(report=report, user=reviewer, version=report.revision)
    assert ComplianceSummary.objects.get(report=report).passed_rule is True  # 10 per 100
    actions = list(report.events.values_list("action", "reason"))
    assert actions == [
        ("submitted", ""),
        ("approved", ""),
        ("reopened", "计算机数有误"),
        ("saved", ""),
        ("submitted", ""),
        ("approved", ""),
    ]
    assert ReportEvent.objects.filter(report=report, action="saved").get().changes == {
        "computers": ["30", "40"]
    }


def test_preview_shows_what_a_draft_would_mean_without_storing(setup):
    report = setup["report"]
    [unit] = compliance_preview(report=report, values={"computers": 40}, standard=setup["standard"])
    assert unit.items[0].passed is True and unit.items[0].value == 10
    assert not ComplianceSummary.objects.exists()
