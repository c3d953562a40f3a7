"""The annual report's process moved from `schools` to `reporting` (schools 0007, reporting 0001):
its tables are renamed, every row stays, and permissions granted on them keep working."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("schools", "0006_report_rules_as_data"), ("reporting", None)]


def _leaves(executor):
    """Every app's latest migration: going back to the old layout unapplies later migrations of
    other apps too (those that depend on it), and the next tests need them all."""
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_layout():
    """The database as the old layout left it, then migrated back to the latest state after the test."""
    executor = MigrationExecutor(connection)
    latest = _leaves(executor)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    others = [key for key in executor.loader.graph.leaf_nodes() if key[0] in {"auth", "contenttypes"}]
    yield executor.loader.project_state([BEFORE[0], *others]).apps
    executor = MigrationExecutor(connection)
    executor.migrate(latest)


def _fill(apps):
    """One report with a row of every kind the process keeps, written through the old models."""
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Region = apps.get_model("schools", "Region")
    School = apps.get_model("schools", "School")
    AnnualReport = apps.get_model("schools", "AnnualReport")
    clerk = User.objects.create(username="clerk-old")
    region = Region.objects.create(code="330382001", name="乐成街道", kind="street")
    school = School.objects.create(code="3303820999", name="旧校", school_type="primary", region=region)
    report = AnnualReport.objects.create(
        school=school,
        year=2013,
        status="approved",
        students_primary=300,
        classes_primary=8,
        teachers_primary=20,
    )
    rule = apps.get_model("schools", "ReportRule").objects.create(
        code="class-size-old",
        message="班额偏大",
        severity="warning",
        kind="range",
        numerator=["students_{level}"],
        denominator=["classes_{level}"],
        maximum=45,
    )
    apps.get_model("schools", "HistoricalReportRule").objects.create(
        id=rule.pk,
        code=rule.code,
        message=rule.message,
        severity="warning",
        kind="range",
        numerator=rule.numerator,
        denominator=rule.denominator,
        maximum=45,
        history_type="+",
        history_date="2013-09-01T08:00:00Z",
        history_user=clerk,
    )
    events = apps.get_model("schools", "ReportEvent")
    events.objects.create(report=report, action="created", user=clerk, to_status="draft")
    events.objects.create(
        report=report,
        action="approved",
        user=clerk,
        from_status="submitted",
        to_status="approved",
        changes={"books": ["0", "3000"]},
    )
    apps.get_model("schools", "WarningExplanation").objects.create(
        report=report, rule_code=rule.code, field="students_primary", text="新校区启用", author=clerk
    )
    query = apps.get_model("schools", "FieldQuery").objects.create(
        report=report, field="books", raised_by=clerk
    )
    apps.get_model("schools", "QueryMessage").objects.create(
        query=query, author=clerk, text="图书是否含电子书？"
    )
    content_type, _ = ContentType.objects.get_or_create(app_label="schools", model="reportrule")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="change_reportrule", defaults={"name": "Can change report rule"}
    )
    group = Group.objects.create(name="规则维护")
    group.permissions.add(permission)
    clerk.groups.add(group)
    return report.pk


@pytest.mark.django_db(transaction=True)
def test_every_row_of_the_report_process_survives_the_move(old_layout):
    report_id = _fill(old_layout)
    executor = MigrationExecutor(connection)
    executor.migrate(_leaves(executor))

    from django.contrib.auth.models import User

    from reporting.models import FieldQuery, QueryMessage, ReportEvent, ReportRule, WarningExplanation

    assert list(ReportEvent.objects.filter(report_id=report_id).values_list("action", flat=True)) == [
        "created",
        "approved",
    ]
    assert ReportEvent.objects.get(action="approved").changes == {"books": ["0", "3000"]}
    rule = ReportRule.objects.get(code="class-size-old")
    assert rule.maximum == 45 and rule.history.count() == 1
    assert WarningExplanation.objects.get(report_id=report_id).text == "新校区启用"
    assert (
        QueryMessage.objects.get(query=FieldQuery.objects.get(report_id=report_id)).text
        == "图书是否含电子书？"
    )
    # The permission granted on the old app's model is the new app's, under the same codename.
    assert User.objects.get(username="clerk-old").has_perm("reporting.change_reportrule")
