"""standards 0004: a summary's item rows become its `items` JSON (in the indicators' order) and
only the failed rows stay; going back rebuilds every row, with its `passed`, from the JSON.
standards 0006: the failed rows become the summary's `failed_indicators` text; going back
rebuilds them from the JSON."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("standards", "0003_threshold_blank_choice_labels")]
AFTER = [("standards", "0004_compliance_items_json")]
NAMED = [("standards", "0006_failed_indicators_column")]
ROWS = [("standards", "0005_values_fingerprint_number")]
D = Decimal


def _old_apps(executor):
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    return executor.loader.project_state(BEFORE).apps


def _migrated(*targets):
    """Migrate to each of `targets` in turn (a fresh executor: the graph changed); the last
    one's apps."""
    executor = MigrationExecutor(connection)
    for target in targets:
        executor.loader.build_graph()
        executor.migrate(target)
    return executor.loader.project_state(targets[-1]).apps


@pytest.fixture
def executor():
    """Migrations run by the test; every app's latest migration again afterwards."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    MigrationExecutor(connection).migrate(latest)


def _fill(apps):
    """Two summaries with item rows of every kind, written through the old models.
    Returns {name: id}."""
    Region = apps.get_model("schools", "Region")
    School = apps.get_model("schools", "School")
    AnnualReport = apps.get_model("schools", "AnnualReport")
    Standard = apps.get_model("standards", "Standard")
    Indicator = apps.get_model("standards", "Indicator")
    Summary = apps.get_model("standards", "ComplianceSummary")
    Result = apps.get_model("standards", "ComplianceResult")
    region = Region.objects.create(code="330382001", name="乐成街道", kind="street")
    school = School.objects.create(code="3303820999", name="旧校", school_type="nine_year", region=region)
    report = AnnualReport.objects.create(school=school, year=2013, status="approved")
    standard = Standard.objects.create(code="old", name="旧标准", kind="school", year=2012)

    def indicator(code, order):
        return Indicator.objects.create(
            standard=standard,
            code=code,
            name=code,
            unit="",
            numerator_unit="",
            category="other",
            numerator=["computers"],
            denominator=["students_{level}"],
            order=order,
        )

    # Shown by order, then code: S (0), then B and C (both 1).
    c, b, s = indicator("C", 1), indicator("B", 1), indicator("S", 0)

    def summary(part, failed):
        return Summary.objects.create(
            report=report,
            standard=standard,
            part=part,
            failed_count=failed,
            evaluated_count=2,
            passed_rule=not failed,
            report_revision=1,
            standard_fingerprint="f",
            values_fingerprint="v",
        )

    primary, junior = summary("primary", 1), summary("junior", 0)
    rows = [
        (primary, c, "8.7500", "10.000", False, "87.50", "5.00"),
        (primary, b, "30.0000", "25.000", True, "120.00", "0.00"),
        (primary, s, None, "4.500", None, None, None),
        (junior, c, "12.1234", "11.000", True, "110.21", "0.00"),
    ]
    for owner, ind, value, threshold, passed, percent, shortfall in rows:
        Result.objects.create(
            summary=owner,
            indicator=ind,
            value=None if value is None else D(value),
            threshold=D(threshold),
            passed=passed,
            percent=None if percent is None else D(percent),
            shortfall=None if shortfall is None else D(shortfall),
        )
    return {"primary": primary.pk, "junior": junior.pk, "C": c.pk, "B": b.pk, "S": s.pk}


def _items(apps, ids):
    Summary = apps.get_model("standards", "ComplianceSummary")
    return {part: Summary.objects.get(pk=ids[part]).items for part in ("primary", "junior")}


@pytest.mark.django_db(transaction=True)
def test_item_rows_become_json_and_only_failed_rows_stay(executor):
    ids = _fill(_old_apps(executor))
    apps = _migrated(AFTER)

    # 8.75 → 87500 (× 10⁴), 10 → 10000 (× 10³), 87.5 → 8750 and 5 → 500 (× 10²).
    assert _items(apps, ids) == {
        "primary": [
            [ids["S"], None, 4500, None, None, None],
            [ids["B"], 300000, 25000, True, 12000, 0],
            [ids["C"], 87500, 10000, False, 8750, 500],
        ],
        "junior": [[ids["C"], 121234, 11000, True, 11021, 0]],
    }
    Result = apps.get_model("standards", "ComplianceResult")
    assert list(
        Result.objects.values_list("summary_id", "indicator_id", "value", "threshold", "shortfall")
    ) == [(ids["primary"], ids["C"], D("8.7500"), D("10.000"), D("5.00"))]


@pytest.mark.django_db(transaction=True)
def test_going_back_rebuilds_every_row_with_its_verdict(executor):
    ids = _fill(_old_apps(executor))
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    old = _old_apps(executor)

    Result = old.get_model("standards", "ComplianceResult")
    rows = Result.objects.values_list(
        "summary_id", "indicator_id", "value", "threshold", "passed", "percent", "shortfall"
    )
    assert set(rows) == {
        (ids["primary"], ids["C"], D("8.7500"), D("10.000"), False, D("87.50"), D("5.00")),
        (ids["primary"], ids["B"], D("30.0000"), D("25.000"), True, D("120.00"), D("0.00")),
        (ids["primary"], ids["S"], None, D("4.500"), None, None, None),
        (ids["junior"], ids["C"], D("12.1234"), D("11.000"), True, D("110.21"), D("0.00")),
    }


@pytest.mark.django_db(transaction=True)
def test_failed_rows_become_the_summarys_failed_indicators(executor):
    ids = _fill(_old_apps(executor))
    apps = _migrated(NAMED)

    Summary = apps.get_model("standards", "ComplianceSummary")
    named = dict(Summary.objects.values_list("pk", "failed_indicators"))
    # Only C failed, in the primary part; the junior part failed nothing.
    assert named == {ids["primary"]: f",{ids['C']},", ids["junior"]: ""}
    with pytest.raises(LookupError):
        apps.get_model("standards", "ComplianceResult")


@pytest.mark.django_db(transaction=True)
def test_going_back_from_the_text_rebuilds_the_failed_rows(executor):
    ids = _fill(_old_apps(executor))
    apps = _migrated(NAMED, ROWS)

    Result = apps.get_model("standards", "ComplianceResult")
    assert list(
        Result.objects.values_list("summary_id", "indicator_id", "value", "threshold", "percent", "shortfall")
    ) == [(ids["primary"], ids["C"], D("8.7500"), D("10.000"), D("87.50"), D("5.00"))]
