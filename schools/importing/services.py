"""Importing a file through a planned resource (the registry's, the annual reports'): all rows or none,
each attempt recorded as an import batch."""

import hashlib
from pathlib import Path

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from schools.importing.outcome import FileRejected, ImportOutcome, Problem
from schools.importing.readers import read_table
from schools.importing.resources import ImportRefused, SchoolResource
from schools.models import ImportBatch


def schools_import(*, path, dry_run=False, user=None):
    """Create or update schools, by school code, from an .xlsx or .csv file.

    Nothing is written when any row has a problem, or on a dry run (the counts are still reported).
    """
    return import_file(SchoolResource(), path, dry_run, user, "schools")


def import_file(resource, path, dry_run, user, kind):
    """Import, and record the attempt as a batch whatever its outcome (a refused file too)."""
    source = Path(path).name
    try:
        table = read_table(path)
    except FileRejected as rejected:
        outcome = ImportOutcome(problems=[Problem(None, None, rejected.message)])
        _record(kind, path, user, outcome, dry_run)
        return outcome
    with transaction.atomic():
        result = resource.import_data(
            table.as_dataset(), dry_run=dry_run, table=table, user=user, source=source
        )
        outcome = _outcome(resource, result, dry_run)
        if not outcome.problems:
            _record(kind, path, user, outcome, dry_run)
    if outcome.problems:
        _record(kind, path, user, outcome, dry_run)  # after the rollback, so that it stays
    return outcome


def _outcome(resource, result, dry_run):
    plan = resource.plan
    outcome = ImportOutcome(
        created=plan.count(is_new=True),
        updated=plan.count(is_new=False),
        unchanged=plan.count(is_new=False, changed=False),
        problems=list(plan.problems) + _unexpected(result),
    )
    if outcome.problems:
        outcome.created = outcome.updated = outcome.unchanged = 0
    elif not dry_run:
        outcome.written_ids = [entry.instance.pk for entry in plan.entries.values() if entry.changed]
    return outcome


def _sha256(path):
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""  # a file that cannot be read is recorded as refused all the same
    return digest.hexdigest()


def _record(kind, path, user, outcome, dry_run):
    if outcome.problems:
        result = ImportBatch.Outcome.REFUSED
    else:
        result = ImportBatch.Outcome.DRY_RUN if dry_run else ImportBatch.Outcome.APPLIED
    import_batch_record(
        kind=kind,
        file_name=Path(path).name,
        sha256=_sha256(path),
        user=user,
        outcome=result,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        problems=len(outcome.problems),
    )


@transaction.atomic
def import_batch_record(
    *,
    kind,
    file_name,
    sha256,
    user,
    outcome,
    created=0,
    updated=0,
    unchanged=0,
    problems=0,
    logged_model=None,
):
    """Record one import attempt; an applied import given `logged_model` (an admin import) also
    goes into the admin's log, one entry for the file: "导入 <file>：新增 n，更新 m"."""
    batch = ImportBatch.objects.create(
        kind=kind,
        file_name=file_name[:255],
        sha256=sha256,
        user=user,
        outcome=outcome,
        created=created,
        updated=updated,
        unchanged=unchanged,
        problems=problems,
    )
    if logged_model is not None and outcome == ImportBatch.Outcome.APPLIED:
        LogEntry.objects.create(
            user=user,
            content_type=ContentType.objects.get_for_model(logged_model),
            object_repr=file_name[:200],
            action_flag=ADDITION if created and not updated else CHANGE,
            change_message=_("导入 %(file)s：新增 %(created)s，更新 %(updated)s")
            % {"file": file_name, "created": created, "updated": updated},
        )
    return batch


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
