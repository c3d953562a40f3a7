"""Bulk writes of computed results, without building a model instance per row.

Evaluating 20,000 schools stores 20,000 summaries of about ten items each: building model
instances for them costs ten times the arithmetic, so rows go to the database as plain tuples,
each summary's items as one JSON text (`standards.calc.codec`) and its failed indicators as one
`,id,id,` text, one row per summary.
"""

import io
import json
from contextlib import nullcontext

from django.db import connection

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
    "failed_indicators",
)


def _columns(model, fields):
    return ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)


# COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)


def insert_rows(model, fields, rows):
    """INSERT plain tuples (already in database form) into `model`'s table: by COPY on
    PostgreSQL (a multi-row INSERT cost twice as much there), by executemany on SQLite. Through
    Django's cursor, so that each counts as a query and errors are Django's."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _columns(model, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN"
            text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
            logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
            with logged, connection.wrap_database_errors:
                cursor.cursor.copy_expert(sql, io.StringIO(text))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _in_ids(ids):
    """SQL matching a column against `ids` and its one parameter: any number of ids in a
    statement, where a placeholder per id would pass SQLite's limit of variables."""
    if connection.vendor == "postgresql":
        # Not "= ANY(array)": on a table the planner has not analyzed yet (the first evaluation,
        # filling it) that is a scan comparing every row with every id, a join is not.
        return "IN (SELECT unnest(%s::bigint[]))", list(ids)
    return "IN (SELECT value FROM json_each(%s))", json.dumps(list(ids))


def delete_results(*, standard_id, report_ids):
    """DELETE the stored results of `standard_id` for `report_ids`, in one statement (no
    per-row cascade collection)."""
    if not report_ids:
        return
    from standards.models import ComplianceSummary

    summaries = connection.ops.quote_name(ComplianceSummary._meta.db_table)
    match, ids = _in_ids(report_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {summaries} WHERE standard_id = %s AND report_id {match}", [standard_id, ids]
        )


def store_units(*, standard_id, fingerprint, computed_at, units):
    """Replace what is stored of `standard_id` for the reports of `units` by `units`.

    `units`: [(report id, part, failed count, evaluated count, passed rule, report revision,
    values fingerprint, items, failed indicators)], `items` the JSON text of the items encoded by
    `standards.calc.codec`, `failed indicators` their `,id,id,` text. Stores one summary per unit;
    `fingerprint` is the standard's, `computed_at` an aware datetime. Two statements.
    """
    from standards.models import ComplianceSummary

    report_ids = sorted({unit[0] for unit in units})
    if not report_ids:
        return
    delete_results(standard_id=standard_id, report_ids=report_ids)
    at = connection.ops.adapt_datetimefield_value(computed_at)
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
                items,
                names,
            )
            for report_id, part, failed, evaluated, rule, revision, values, items, names in units
        ],
    )
