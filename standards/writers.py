"""Bulk writes of computed results, without building a model instance per row.

Evaluating 20,000 schools stores 20,000 summaries of about ten items each: building model
instances for them costs ten times the arithmetic, so rows go to the database as plain tuples,
each summary's items as one JSON text (`standards.calc.codec`), and only the failed items as rows.
"""

import json

from django.db import connection

from standards.calc.codec import PLACES

SUMMARY_FIELDS = (
    "report",
    "standard",
    "part",
    "failed_count",
    "evaluated_count",
    "passed_rule",
    "report_revision",
    "standard_fingerprint",
    "values_fingerprint",
    "computed_at",
    "items",
)
FAILED_FIELDS = ("summary", "indicator", "value", "threshold", "percent", "shortfall")


def _columns(model, fields):
    return ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)


def _placeholder(field, casts, scaled):
    """%s, cast (PostgreSQL) or divided by a power of ten in SQL (an integer count of
    hundredths becomes the decimal it counts, exactly on PostgreSQL)."""
    postgres = connection.vendor == "postgresql"
    if field in scaled:
        return f"(%s::numeric / {10 ** scaled[field]})" if postgres else f"(%s / {10 ** scaled[field]}.0)"
    if field in casts and postgres:
        return f"%s::{casts[field]}"
    return "%s"


def insert_rows(model, fields, rows, page_size=2000, casts=None, scaled=None):
    """INSERT plain tuples (already in database form) into `model`'s table. `casts`: {field:
    PostgreSQL type} for values sent as text to a column of another type (JSON text to jsonb);
    `scaled`: {field: places} for decimals sent as integers in units of 10^-places.
    Through Django's cursor, so that each page counts as a query and errors are Django's."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _columns(model, fields)
    template = ", ".join(_placeholder(f, casts or {}, scaled or {}) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(
                cursor,
                f"INSERT INTO {table} ({columns}) VALUES %s",
                rows,
                template=f"({template})",
                page_size=page_size,
            )
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({template})", rows)


def _in_ids(ids):
    """SQL matching a column against `ids` and its one parameter: any number of ids in a
    statement, where a placeholder per id would pass SQLite's limit of variables."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", list(ids)
    return "IN (SELECT value FROM json_each(%s))", json.dumps(list(ids))


def delete_results(*, standard_id, report_ids):
    """DELETE the stored results of `standard_id` for `report_ids`: failed items, then
    summaries, in two statements (no per-row cascade collection)."""
    if not report_ids:
        return
    from standards.models import ComplianceResult, ComplianceSummary

    q = connection.ops.quote_name
    summaries = q(ComplianceSummary._meta.db_table)
    results = q(ComplianceResult._meta.db_table)
    match, ids = _in_ids(report_ids)
    where = f"standard_id = %s AND report_id {match}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {results} WHERE summary_id IN (SELECT id FROM {summaries} WHERE {where})",
            [standard_id, ids],
        )
        cursor.execute(f"DELETE FROM {summaries} WHERE {where}", [standard_id, ids])


def _summary_ids(standard_id, report_ids):
    """{(report id, part): summary id} of `standard_id` for `report_ids`, in one query."""
    from standards.models import ComplianceSummary

    match, ids = _in_ids(report_ids)
    table = connection.ops.quote_name(ComplianceSummary._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT report_id, part, id FROM {table} WHERE standard_id = %s AND report_id {match}",
            [standard_id, ids],
        )
        return {(report_id, part): pk for report_id, part, pk in cursor.fetchall()}


def store_units(*, standard_id, fingerprint, computed_at, units):
    """Replace what is stored of `standard_id` for the reports of `units` by `units`.

    `units`: [(report id, part, failed count, evaluated count, passed rule, report revision,
    values fingerprint, items)], `items` encoded by `standards.calc.codec.encode_item`. Stores
    one summary per unit with its items as JSON and a ComplianceResult row per failed item;
    `fingerprint` is the standard's, `computed_at` an aware datetime. A fixed number of
    statements (the inserts in pages of 2,000 rows on PostgreSQL).
    """
    from standards.models import ComplianceResult, ComplianceSummary

    report_ids = sorted({unit[0] for unit in units})
    if not report_ids:
        return
    delete_results(standard_id=standard_id, report_ids=report_ids)
    at = connection.ops.adapt_datetimefield_value(computed_at)
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    insert_rows(
        ComplianceSummary,
        SUMMARY_FIELDS,
        [
            (
                report_id,
                standard_id,
                part,
                failed,
                evaluated,
                rule,
                revision,
                fingerprint,
                values,
                at,
                dumps(items),
            )
            for report_id, part, failed, evaluated, rule, revision, values, items in units
        ],
        casts={"items": "jsonb"},
    )
    ids = _summary_ids(standard_id, report_ids)
    insert_rows(
        ComplianceResult,
        FAILED_FIELDS,
        [
            (ids[unit[0], unit[1]], *item[:3], *item[4:])
            for unit in units
            for item in unit[7]
            if item[3] is False
        ],
        scaled=dict(zip(("value", "threshold", "percent", "shortfall"), PLACES, strict=True)),
    )
