"""`demo_data` loads the bureau's warning rules (class size, students per teacher, change on last
year) although `migrate` has already stored the built-in error rules: without them no demo
clerk ever meets a warning to explain."""

import pytest
from django.core.management import call_command

from reporting.models import ReportRule

WARNINGS = {"class-size-primary", "class-size-junior", "students-per-teacher", "change-30"}


@pytest.mark.django_db
def test_the_demo_has_the_warning_rules_beside_the_builtin_ones(tmp_path):
    assert ReportRule.objects.filter(builtin=True).exists()  # what migrate stores
    call_command("demo_data", "--schools", "60", "--out", str(tmp_path), verbosity=0)
    codes = set(
        ReportRule.objects.filter(severity=ReportRule.Severity.WARNING).values_list("code", flat=True)
    )
    assert codes == WARNINGS


@pytest.mark.django_db
def test_a_bureaus_own_rules_are_not_overwritten_by_the_demo(tmp_path):
    ReportRule.objects.create(
        code="own",
        message="本局规则",
        severity=ReportRule.Severity.WARNING,
        kind=ReportRule.Kind.RANGE,
        numerator=["books"],
        maximum=1,
    )
    call_command("demo_data", "--schools", "60", "--out", str(tmp_path), verbosity=0)
    assert not ReportRule.objects.filter(code__in=WARNINGS).exists()
