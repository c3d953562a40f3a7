"""Writes of the registry that are not imports."""

from django.db.models import F

from schools.models import AnnualReport


def report_touch(*, report_ids):
    """Mark reports as changed so that stored results computed from them count as stale."""
    AnnualReport.objects.filter(pk__in=report_ids).update(revision=F("revision") + 1)
