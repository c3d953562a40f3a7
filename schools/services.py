"""Writes of the registry that are not imports."""

from django.db.models import F

from schools.models import AnnualReport, ReportRule
from schools.rule_defaults import builtin_rules


def report_touch(*, report_ids):
    """Mark reports as changed so that stored results computed from them count as stale."""
    AnnualReport.objects.filter(pk__in=report_ids).update(revision=F("revision") + 1)


def builtin_rules_ensure(*, using="default", model=ReportRule):
    """Write the built-in error rules missing from the database (by code); returns how many.

    Runs after every migrate (and after the test framework's flush) with the migrated state's
    model: a rule the bureau edited or switched off stays as it is.
    """
    wanted = builtin_rules()
    columns = {field.name for field in model._meta.fields}
    if not all(key in columns for rule in wanted for key in rule):
        return 0  # migrated only part of the way
    stored = set(model.objects.using(using).values_list("code", flat=True))
    missing = [model(**rule) for rule in wanted if rule["code"] not in stored]
    model.objects.using(using).bulk_create(missing)
    return len(missing)
