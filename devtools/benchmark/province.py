"""A province's worth of counties: loaded by plain INSERTs, then every county's balance at once.

The measure is about computing, not importing: schools and reports go in as the values the import
would write (approved reports at revision 1), without its checks or history, a county at a time
so that memory holds one county's rows.
"""

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from devtools.bench_data import county_sizes, rows
from devtools.benchmark.timing import plain_read, ratio, read_columns, timed
from schools.fields import REPORT_KEYS
from schools.models import AnnualReport, Region, School
from standards.balance import balance_counties
from standards.writers import insert_rows

SCHOOL_COLUMNS = (
    "id",
    "code",
    "name",
    "school_type",
    "ownership",
    "area_type",
    "region",
    "district",
    "teaching_point",
    "parent",
    "is_active",
)
REPORT_COLUMNS = ("school", "year", "status", "revision", "updated_at", *REPORT_KEYS)


def _regions(sizes):
    """A prefecture under the province with one county per size, two towns each; returns
    [(county, [town codes])]."""
    province = Region.objects.get(kind=Region.Kind.PROVINCE)
    prefecture = Region.objects.create(
        code="339900", name="基准测试市", kind=Region.Kind.PREFECTURE, parent=province
    )
    counties = Region.objects.bulk_create(
        Region(
            code=f"39{i:04d}", name=f"基准测试县{i:02d}", kind=Region.Kind.COUNTY, parent=prefecture, order=i
        )
        for i in range(len(sizes))
    )
    towns = Region.objects.bulk_create(
        Region(code=f"{county.code}{j:03d}", name=f"{county.name}镇{j}", kind=Region.Kind.TOWN, parent=county)
        for county in counties
        for j in (1, 2)
    )
    return [(county, [town.code for town in towns if town.parent_id == county.pk]) for county in counties]


def _insert(school_rows, report_rows, next_id, regions, year, now):
    ids = {row["code"]: next_id + offset for offset, row in enumerate(school_rows)}
    insert_rows(
        School,
        SCHOOL_COLUMNS,
        [
            (
                ids[row["code"]],
                row["code"],
                row["name"],
                row["school_type"],
                row["ownership"],
                row["area_type"],
                regions[row["region"]],
                "",
                row["teaching_point"],
                ids.get(row["parent_code"]),
                True,
            )
            for row in school_rows
        ],
    )
    insert_rows(
        AnnualReport,
        REPORT_COLUMNS,
        [
            (
                ids[row["school_code"]],
                year,
                AnnualReport.Status.APPROVED,
                1,
                now,
                *(row[key] for key in REPORT_KEYS),
            )
            for row in report_rows
        ],
    )
    return next_id + len(school_rows)


def province_load(*, total, seed, year, ties, progress):
    """Counties of skewed sizes holding `total` schools with one approved `year` report each.
    Returns the counties."""
    sizes = county_sizes(total)
    counties = _regions(sizes)
    regions = dict(Region.objects.values_list("code", "pk"))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    next_id = (School.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    first = 0
    with transaction.atomic():
        for index, ((_, towns), size) in enumerate(zip(counties, sizes, strict=True)):
            school_rows, report_rows, _ = rows(
                size, towns, seed * 1000 + index, year, ties, prefix="38", first=first
            )
            next_id = _insert(school_rows, report_rows, next_id, regions, year, now)
            first += size
            if index % 10 == 9:
                progress(f"province: {first:,} of {total:,} schools loaded")
        with connection.cursor() as cursor:  # explicit ids: move PostgreSQL's sequence past them
            for statement in connection.ops.sequence_reset_sql(no_style(), [School]):
                cursor.execute(statement)
    return [county for county, _ in counties]


def province_measure(*, total, seed, year, standard, ties, repeat, progress, peak_memory_mb):
    """Every county's balance through one call against one plain read of all their reports."""
    loaded, counties = timed(
        lambda: province_load(total=total, seed=seed, year=year, ties=ties, progress=progress)
    )
    progress(f"province: {len(counties)} counties loaded in {loaded:.1f} s; balance of every county")
    columns = read_columns(standard)
    balance, results = timed(
        lambda: balance_counties(standard=standard, year=year, counties=counties), repeat
    )
    peak = peak_memory_mb()
    read, count = timed(lambda: plain_read(columns, year=year), repeat)
    sizes = county_sizes(total)
    return {
        "schools": total,
        "reports_read": count,
        "counties": len(counties),
        "county_sizes": {"smallest": sizes[0], "median": sizes[len(sizes) // 2], "largest": sizes[-1]},
        "counties_in_result": len(results),
        "load_seconds": round(loaded, 3),
        "seconds": round(balance, 3),
        "read_seconds": round(read, 3),
        "ratio_to_read": ratio(balance, read),
        "peak_memory_mb": peak,
    }
