"""Importing annual reports from a file (the admin's import uses the same resource)."""

from reporting.importing.resource import AnnualReportResource
from schools.importing.services import import_file


def reports_import(*, path, year=None, dry_run=False, user=None, evaluate=True):
    """Create or update approved annual reports, by school code and year, from an .xlsx or .csv
    file, and evaluate them in the same transaction. Nothing is written when any row has a problem.

    `year` applies to rows without a year (a row with another year is a problem). An updated
    report's revision goes up by one; `written_ids` of the outcome lists the reports created or
    changed.
    """
    return import_file(AnnualReportResource(year=year, evaluate=evaluate), path, dry_run, user, "reports")
