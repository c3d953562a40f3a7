"""Loading the generated demo province (`demo_data --province`): its regions, then its schools and
reports through the same imports as `import_schools` and `import_reports`.

Regions have no import of their own (the bureau's come from a fixture): the province's are
written here, each once by its code. The registry and the reports go through CSV files and the
import commands, so that the demo exercises the path real data takes (checks, history, stored
compliance). Running it again re-imports the same files: every row is found unchanged and
nothing is duplicated.
"""

import csv
from pathlib import Path

from django.core.management import call_command

from devtools.demo.province import YEARS
from schools.fields import REGISTRY_KEYS, REPORT_KEYS
from schools.models import Region
from standards.models import Standard

# The standards the province is read against, loaded when absent (a bureau's edits survive).
STANDARD_FIXTURES = (
    ("national-2012", ("national-2012",)),
    ("national-2017", ("national-2017", "national-2017-balance")),
    ("zj-basic", ("zj-basic",)),
)
# Rows per import file: well inside the import's limits (IMPORT_MAX_ROWS, IMPORT_MAX_CELLS).
FILE_ROWS = 40_000
YES, NO = "是", "否"


def _cell(value):
    if isinstance(value, bool):
        return YES if value else NO
    return "" if value is None else value


def _write_csv(path, columns, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(key)) for key in columns])


def _chunks(province, rows_of):
    """Lists of rows of whole counties, each at most FILE_ROWS long (one county may be longer)."""
    chunk = []
    for county in province.counties:
        rows = rows_of(county)
        if chunk and len(chunk) + len(rows) > FILE_ROWS:
            yield chunk
            chunk = []
        chunk += rows
    if chunk:
        yield chunk


def province_files(province, out):
    """Write the registry and each year's reports as CSV files in `out`: {"schools": [...], year: [...]}."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"schools": []}
    for k, rows in enumerate(_chunks(province, lambda county: province.schools[county]), start=1):
        paths["schools"].append(out / f"province-schools-{k}.csv")
        _write_csv(paths["schools"][-1], REGISTRY_KEYS, rows)
    by_school = {year: {} for year in YEARS}
    for year in YEARS:
        for row in province.reports[year]:
            by_school[year].setdefault(row["school_code"][:6], []).append(row)
    for year in YEARS:
        paths[year] = []
        for k, rows in enumerate(
            _chunks(province, lambda county, y=year: by_school[y].get(county, [])), start=1
        ):
            paths[year].append(out / f"province-reports-{year}-{k}.csv")
            _write_csv(paths[year][-1], ("school_code", "year", *REPORT_KEYS), rows)
    return paths


def regions_ensure(regions):
    """Create the regions missing by code, parents first; returns how many were created. A region
    already there keeps its name and place."""
    existing = dict(Region.objects.filter(code__in=[r["code"] for r in regions]).values_list("code", "pk"))
    created = 0
    for order, row in enumerate(regions):
        if row["code"] in existing:
            continue
        parent = existing.get(row["parent"]) if row["parent"] else None
        region = Region.objects.create(
            code=row["code"], name=row["name"], kind=row["kind"], parent_id=parent, order=order
        )
        existing[row["code"]] = region.pk
        created += 1
    return created


def province_load(province, paths, verbosity):
    """Load the standards when absent, the regions, then the files through the imports."""
    for fixture, codes in STANDARD_FIXTURES:
        if Standard.objects.filter(code__in=codes).count() != len(codes):
            call_command("loaddata", fixture, verbosity=0)
    created = regions_ensure(province.regions)
    quiet = max(verbosity - 1, 0)
    for path in paths["schools"]:
        call_command("import_schools", str(path), verbosity=quiet)
    for year in YEARS:
        for path in paths[year]:
            call_command("import_reports", str(path), verbosity=quiet)
    return created
