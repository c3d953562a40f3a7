"""`make bench`: speed at scale as ratios within one run (no timing is asserted anywhere)."""

import html
import json
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook

from devtools.bench_data import report_row, rows
from reporting.importing.services import reports_import
from reporting.models import ReportEvent
from schools.fields import REPORT_KEYS
from schools.models import AnnualReport, Region, School
from standards.balance import balance_compute
from standards.models import BalanceRule, ComplianceSummary, Standard
from standards.selectors import SCHOOL_FIELDS, indicator_specs, needed_keys
from standards.services import compliance_evaluate, compliance_recompute

SCHOOL_KEYS = ("code", "name", "school_type", "ownership", "area_type", "region")
REPORT_COLUMNS = ("school_code", "year", *REPORT_KEYS)


def _timed(function, repeat=1):
    """Median seconds of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _xlsx(path, columns, data):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(columns))
    for row in data:
        sheet.append([row[key] for key in columns])
    book.save(path)


def _bulk_create(schools, reports):
    regions = dict(Region.objects.values_list("code", "pk"))
    with transaction.atomic():
        School.objects.bulk_create(
            [
                School(**{k: v for k, v in row.items() if k != "region"}, region_id=regions[row["region"]])
                for row in schools
            ],
            batch_size=1000,
        )
    school_ids = dict(School.objects.values_list("code", "pk"))
    with transaction.atomic():
        AnnualReport.objects.bulk_create(
            [
                AnnualReport(
                    school_id=school_ids[row["school_code"]],
                    year=row["year"],
                    status="approved",
                    **{key: row[key] for key in REPORT_KEYS},
                )
                for row in reports
            ],
            batch_size=1000,
        )


def _wipe():
    with transaction.atomic():
        ComplianceSummary.objects.all().delete()
        # A report's history protects it: the benchmark's scratch reports go with theirs.
        ReportEvent.objects.all().delete()
        AnnualReport.objects.all().delete()
        School.objects.all().delete()


def _rate(count, seconds):
    return round(count / seconds, 1) if seconds else None


class Command(BaseCommand):
    help = "Benchmark import, evaluate and balance on N generated schools; prints one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--repeat", type=int, default=3, help="runs per read-only timing (median)")
        parser.add_argument("--web-rows", type=int, default=5000, help="rows of the web import measured")
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="use the configured database itself instead of a throw-away test database",
        )

    def handle(self, *args, schools, seed, repeat, in_place, web_rows, **options):
        settings.DEBUG = False  # no query log: it would dominate the timings
        old_name = None
        if not in_place:
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            result = self._run(schools, seed, repeat, web_rows)
        finally:
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _run(self, count, seed, repeat, web_rows):
        for fixture in ("regions", "national-2012", "zj-basic", "campaign-2013"):
            call_command("loaddata", fixture, verbosity=0)
        towns = list(
            Region.objects.filter(kind__in=["street", "town", "township"]).values_list("code", flat=True)
        )
        school_rows, report_rows = rows(count, towns, seed)
        work = Path(tempfile.mkdtemp(prefix="yq-bench-"))
        schools_file, reports_file = work / "schools.xlsx", work / "reports.xlsx"
        _xlsx(schools_file, SCHOOL_KEYS, school_rows)
        _xlsx(reports_file, REPORT_COLUMNS, report_rows)

        _wipe()
        bare, _ = _timed(lambda: _bulk_create(school_rows, report_rows))
        _wipe()
        import_schools, _ = _timed(lambda: call_command("import_schools", str(schools_file), verbosity=0))
        # The reports as `import_reports` does them, timed in two parts: the import itself
        # (what bulk_create is compared with), then the compliance it recomputes.
        with transaction.atomic():
            import_reports, outcome = _timed(lambda: reports_import(path=str(reports_file), evaluate=False))
            if not outcome.ok:
                raise CommandError("\n".join(str(problem) for problem in outcome.problems[:20]))
            recompute, _ = _timed(lambda: compliance_recompute(reports=outcome.written_ids))
        imported = import_schools + import_reports

        basic = Standard.objects.get(code="zj-basic")
        evaluate_first, _ = _timed(lambda: compliance_evaluate(standard=basic, year=2012))
        evaluate_steady, _ = _timed(lambda: compliance_evaluate(standard=basic, year=2012), repeat)
        evaluate_read, _ = _timed(lambda: self._read(basic), repeat)

        national = Standard.objects.get(code="national-2012")
        county = Region.objects.get(code="330382")
        balance, _ = _timed(lambda: balance_compute(standard=national, year=2012, region=county), repeat)
        balance_read, _ = _timed(lambda: self._read(national), repeat)
        web = self._web_import(school_rows, work, min(web_rows, count), seed)
        rows_total = len(school_rows) + len(report_rows)
        return {
            "database": connection.vendor,
            "schools": count,
            "import": {
                "rows": rows_total,
                "seconds": round(imported, 3),
                "rows_per_s": _rate(rows_total, imported),
                "bulk_create_seconds": round(bare, 3),
                "bulk_create_rows_per_s": _rate(rows_total, bare),
                "ratio_to_bulk_create": round(bare / imported, 3),
                "schools_seconds": round(import_schools, 3),
                "reports_seconds": round(import_reports, 3),
                "compliance_recompute_seconds": round(recompute, 3),
            },
            "evaluate": {
                "first_seconds": round(evaluate_first, 3),
                "seconds": round(evaluate_steady, 3),
                "read_seconds": round(evaluate_read, 3),
                "ratio_to_read": round(evaluate_steady / evaluate_read, 2),
                "first_ratio_to_read": round(evaluate_first / evaluate_read, 2),
            },
            "balance": {
                "seconds": round(balance, 3),
                "read_seconds": round(balance_read, 3),
                "ratio_to_read": round(balance / balance_read, 2),
                "mode": BalanceRule.objects.get(standard=national).mode,
            },
            "web_import": web,
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }

    @staticmethod
    def _web_import(school_rows, work, count, seed):
        """A year's file of `count` reports through the admin's upload and confirm requests, against
        `import_reports` on the same file (each starting with no report of that year)."""
        rng = random.Random(seed)
        data = [report_row(rng, row["code"], row["school_type"], 2013) for row in school_rows[:count]]
        path = work / "reports-2013.xlsx"
        _xlsx(path, REPORT_COLUMNS, data)

        def forget():
            with transaction.atomic():
                ComplianceSummary.objects.filter(report__year=2013).delete()
                ReportEvent.objects.filter(report__year=2013).delete()
                AnnualReport.objects.filter(year=2013).delete()

        forget()
        command, _ = _timed(lambda: call_command("import_reports", str(path), verbosity=0))
        forget()
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.create_superuser("bench-admin", password=None))

        def upload_and_confirm():
            with path.open("rb") as handle:
                preview = client.post(
                    reverse("admin:schools_annualreport_import"),
                    {
                        "resource": "0",
                        "format": str(settings.IMPORT_FORMATS.index(XLSX)),
                        "import_file": handle,
                    },
                )
            hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', preview.content.decode()))
            fields = ("import_file_name", "original_file_name", "format", "resource")
            if "import_file_name" not in hidden:
                Path("/tmp/bench-preview.html").write_text(preview.content.decode())
                raise CommandError("the web import's preview found problems")
            confirm = client.post(
                reverse("admin:schools_annualreport_process_import"),
                {name: html.unescape(hidden[name]) for name in fields if name in hidden},
            )
            if confirm.status_code != 302:
                raise CommandError(f"web import answered {confirm.status_code}")

        seconds, _ = _timed(upload_and_confirm)
        if AnnualReport.objects.filter(year=2013).count() != count:
            raise CommandError("the web import did not write every report")
        return {
            "rows": count,
            "seconds": round(seconds, 3),
            "command_seconds": round(command, 3),
            "ratio_to_command": round(seconds / command, 2),
        }

    @staticmethod
    def _read(standard):
        """The same rows the computation reads, with values_list and nothing else."""
        keys = needed_keys(indicator_specs(standard))
        return len(list(AnnualReport.objects.approved().filter(year=2012).values_list(*SCHOOL_FIELDS, *keys)))
