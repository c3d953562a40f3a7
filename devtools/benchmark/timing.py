"""Timings and the plain read every computation is compared with."""

import statistics
import time

from schools.models import AnnualReport
from standards.selectors import SCHOOL_FIELDS, indicator_specs, needed_keys


def timed(function, repeat=1):
    """Median seconds of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def ratio(numerator, denominator, places=2):
    return round(numerator / denominator, places) if denominator else None


def read_columns(standard):
    """The columns a computation of `standard` reads: the school's and the report keys its
    indicators (and the units' levels and bands) need."""
    return (*SCHOOL_FIELDS, *needed_keys(indicator_specs(standard)))


def plain_read(columns, **filters):
    """Approved reports matching `filters`, `columns` fetched with values_list and nothing else:
    what a computation reading those rows cannot beat. Returns the number of rows."""
    return len(list(AnnualReport.objects.approved().filter(**filters).values_list(*columns)))
