"""zj-basic judges each level's class size against that level's own limit (primary ≤ 45,
junior ≤ 50), so a spanning school's average over its levels cannot hide oversize primary
classes. Expected numbers are worked out by hand in the comments."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from schools.models import AnnualReport
from standards.models import ComplianceSummary, Standard
from standards.selectors import summary_items
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

SIZE_KEYS = (["students_{level}"], ["classes_{level}"])


@pytest.fixture
def zj():
    call_command("loaddata", "zj-basic", verbosity=0)
    return Standard.objects.get(code="zj-basic")


def class_size_results(zj, report):
    """{indicator code: (value, threshold, passed, shortfall)} of the class-size items."""
    compliance_recompute(reports=AnnualReport.objects.filter(pk=report.pk), standard=zj)
    summaries = summary_items(ComplianceSummary.objects.filter(report=report, standard=zj))
    found = {
        item.indicator.code: (item.value, item.threshold, item.passed, item.shortfall)
        for summary in summaries
        for item in summary.stored_items
        if [item.indicator.numerator, item.indicator.denominator] == list(SIZE_KEYS)
    }
    # The failed ones are named in the summary's failed indicators too.
    named = {
        item.indicator.code
        for summary in summaries
        for item in summary.stored_items
        if f",{item.indicator.id}," in summary.failed_indicators
    }
    assert {code for code in named if code in found} == {
        code for code, item in found.items() if item[2] is False
    }
    return found


def test_nine_year_school_fails_primary_class_size_hidden_by_its_overall_average(zj):
    # primary 624 students in 12 classes = 52 a class (limit 45); junior 480 in 12 = 40 (limit 50);
    # over both levels 1,104 / 24 = 46, under the old nine-year limit of 48.
    school = f.school("3303820001", "nine_year")
    report = f.report(
        school,
        students_primary=624,
        classes_primary=12,
        teachers_primary=36,
        students_junior=480,
        classes_junior=12,
        teachers_junior=40,
    )
    assert class_size_results(zj, report) == {
        # 624 − 12 × 45 = 84 students too many in the primary part
        "Z9": (Decimal(52), Decimal(45), False, Decimal(84)),
        "Z10": (Decimal(40), Decimal(50), True, Decimal(0)),
    }


def test_primary_school_is_judged_on_primary_class_size_only(zj):
    # 280 students in 6 classes = 46.6667 against 45: 280 − 270 = 10 too many
    school = f.school("3303820002", "primary")
    report = f.report(school, students_primary=280, classes_primary=6, teachers_primary=15)
    assert class_size_results(zj, report) == {"Z9": (Decimal("46.6667"), Decimal(45), False, Decimal(10))}


def test_junior_school_is_judged_on_junior_class_size_only(zj):
    # 490 students in 10 classes = 49 against 50
    school = f.school("3303820003", "junior")
    report = f.report(school, students_junior=490, classes_junior=10, teachers_junior=40)
    assert class_size_results(zj, report) == {"Z10": (Decimal(49), Decimal(50), True, Decimal(0))}


def test_twelve_year_school_leaves_senior_classes_out_of_both_class_sizes(zj):
    # primary 18 classes × 44 = 792; junior 9 × 51 = 459 (459 − 450 = 9 too many); the 12 senior
    # classes of 55 change neither level's average
    school = f.school("3303820004", "twelve_year")
    report = f.report(
        school,
        students_primary=792,
        classes_primary=18,
        teachers_primary=45,
        students_junior=459,
        classes_junior=9,
        teachers_junior=36,
        students_senior=660,
        classes_senior=12,
        teachers_senior=50,
    )
    assert class_size_results(zj, report) == {
        "Z9": (Decimal(44), Decimal(45), True, Decimal(0)),
        "Z10": (Decimal(51), Decimal(50), False, Decimal(9)),
    }
