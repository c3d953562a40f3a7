"""Importing the school registry and the annual reports from a file: all rows or none."""

from django.db import transaction
from django.utils.translation import gettext as _

from schools.importing.outcome import FileRejected, ImportOutcome, Problem
from schools.importing.readers import read_table
from schools.importing.resources import AnnualReportResource, ImportRefused, SchoolResource


def schools_import(*, path, dry_run=False):
    """Create or update schools, by school code, from an .xlsx or .csv file.

    Nothing is written when any row has a problem, or on a dry run (the counts are still reported).
    """
    return _import(SchoolResource(), path, dry_run)


def reports_import(*, path, year=None, dry_run=False):
    """Create or update approved annual reports, by school code and year, from an .xlsx or .csv file.

    `year` applies to rows without a year (a row with another year is a problem). An updated report's
    revision goes up by one; `report_ids` of the outcome lists the reports created or changed.
    """
    return _import(AnnualReportResource(year=year), path, dry_run)


def _import(resource, path, dry_run):
    try:
        table = read_table(path)
    except FileRejected as rejected:
        return ImportOutcome(problems=[Problem(None, None, rejected.message)])
    with transaction.atomic():
        result = resource.import_data(table.as_dataset(), dry_run=dry_run, table=table)
    plan = resource.plan
    outcome = ImportOutcome(
        created=plan.count(is_new=True),
        updated=plan.count(is_new=False),
        unchanged=plan.count(is_new=False, changed=False),
        problems=list(plan.problems) + _unexpected(result),
    )
    if outcome.problems:
        outcome.created = outcome.updated = outcome.unchanged = 0
    elif not dry_run and isinstance(resource, AnnualReportResource):
        outcome.report_ids = [entry.instance.pk for entry in plan.entries.values() if entry.changed]
    return outcome


def _unexpected(result):
    """Errors the plan did not foresee (a database constraint, say)."""
    problems = [
        Problem(None, None, _("导入时出错：%(error)r") % {"error": error.error})
        for error in result.base_errors
        if not isinstance(error.error, ImportRefused)
    ]
    for number, errors in result.row_errors():
        problems.extend(Problem(number + 1, None, str(error.error)) for error in errors)
    return problems
