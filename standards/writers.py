"""Bulk writes of computed results, without building a model instance per row.

Evaluating 20,000 schools stores about 200,000 item rows: building model instances for them
costs ten times the arithmetic, so rows go to the database as plain tuples.
"""

from django.db import connection


def _columns(model, fields):
    return ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)


def insert_rows(model, fields, rows, page_size=2000):
    """INSERT plain tuples (already in database form) into `model`'s table."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = _columns(model, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(
                cursor.cursor, f"INSERT INTO {table} ({columns}) VALUES %s", rows, page_size=page_size
            )
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def delete_results(*, standard_id, report_ids):
    """DELETE the stored results of `standard_id` for `report_ids`: items, then summaries,
    in two statements (no per-row cascade collection)."""
    if not report_ids:
        return
    from standards.models import ComplianceResult, ComplianceSummary

    q = connection.ops.quote_name
    summaries = q(ComplianceSummary._meta.db_table)
    results = q(ComplianceResult._meta.db_table)
    marks = ", ".join(["%s"] * len(report_ids))
    where = f"standard_id = %s AND report_id IN ({marks})"
    params = [standard_id, *report_ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {results} WHERE summary_id IN (SELECT id FROM {summaries} WHERE {where})", params
        )
        cursor.execute(f"DELETE FROM {summaries} WHERE {where}", params)
