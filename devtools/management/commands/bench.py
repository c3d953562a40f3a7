"""`make bench`: speed at scale as ratios within one run (no timing is asserted anywhere)."""

import json
import resource
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from devtools.bench_data import rows
from devtools.benchmark import verdicts
from devtools.benchmark.province import province_measure
from devtools.benchmark.timing import plain_read, ratio, read_columns, timed
from devtools.benchmark.web_import import REPORT_COLUMNS, web_import, write_xlsx
from reporting.importing.services import reports_import
from reporting.models import ReportEvent
from schools.fields import REPORT_KEYS
from schools.models import AnnualReport, Region, School
from standards.balance import balance_compute
from standards.models import BalanceRule, ComplianceSummary, Standard
from standards.selectors import indicator_specs
from standards.services import compliance_evaluate, compliance_recompute

SCHOOL_KEYS = (
    "code",
    "name",
    "school_type",
    "ownership",
    "area_type",
    "region",
    "teaching_point",
    "parent_code",
)
YEAR, PROVINCE_YEAR = 2012, 2014
# The balance rule's treatments of teaching points, each timed; each also takes another path of
# the rule (a minimum of students for separate teaching points, private schools counted when
# merging).
BALANCE_MODES = {
    "separate": {"teaching_points": "separate", "teaching_point_min_students": 50},
    "merge": {"teaching_points": "merge", "include_private": True},
    "exclude": {"teaching_points": "exclude"},
}
# name: (comparison, target); a ratio is met when `value comparison target` holds.
TARGETS = {
    "evaluate_over_read": ("<=", 1.0),
    "balance_over_read": ("<=", 1.0),
    "all_counties_over_read": ("<=", 1.0),
    "first_evaluation_over_read": ("<=", 3.5),
    "import_over_bulk_create": (">=", 0.33),
    "peak_memory_mb": ("<", 2048),
    "verdict_differences": ("==", 0),
}
HOLDS = {
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


def _peak_memory_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _bulk_create(schools, reports):
    regions = dict(Region.objects.values_list("code", "pk"))

    def create(rows, parents):
        School.objects.bulk_create(
            [
                School(
                    **{k: v for k, v in row.items() if k not in ("region", "parent_code")},
                    region_id=regions[row["region"]],
                    parent_id=parents.get(row["parent_code"]),
                )
                for row in rows
            ],
            batch_size=1000,
        )

    with transaction.atomic():
        create([row for row in schools if not row["parent_code"]], {})
        create([row for row in schools if row["parent_code"]], dict(School.objects.values_list("code", "pk")))
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
        School.objects.filter(teaching_point=True).delete()
        School.objects.all().delete()


def _rate(count, seconds):
    return round(count / seconds, 1) if seconds else None


def _verdict(name, value):
    if value is None:
        return None
    comparison, target = TARGETS[name]
    return HOLDS[comparison](value, target)


class Command(BaseCommand):
    help = (
        "Benchmark import, evaluate and balance on N generated schools, and every county's balance "
        "on a province; prints one JSON line of ratios with their targets (progress on stderr)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=20000)
        parser.add_argument(
            "--province-schools",
            type=int,
            default=250000,
            help="schools of the province whose counties' balance is computed at once (0: skip)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--repeat", type=int, default=3, help="runs per read-only timing (median)")
        parser.add_argument("--web-rows", type=int, default=5000, help="rows of the web import measured")
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="use the configured database itself instead of a throw-away test database",
        )

    def handle(self, *args, in_place, verbosity, **options):
        settings.DEBUG = False  # no query log: it would dominate the timings
        self.verbosity, self.started = verbosity, time.perf_counter()
        old_name = None
        self._progress("a throw-away database" if not in_place else "in place")
        if not in_place:
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            result = self._run(**options)
        finally:
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        result["seconds"] = round(time.perf_counter() - self.started, 1)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _progress(self, message):
        if self.verbosity:
            self.stderr.write(f"[{time.perf_counter() - self.started:7.1f} s] {message}")
            self.stderr.flush()

    def _run(self, *, schools, province_schools, seed, repeat, web_rows, **options):
        for fixture in ("regions", "national-2012", "national-2017", "zj-basic", "campaign-2013"):
            call_command("loaddata", fixture, verbosity=0)
        basic = Standard.objects.get(code="zj-basic")  # per school, thresholds by type
        levels = Standard.objects.get(code="national-2017")  # per level part, a percent rule
        national = Standard.objects.get(code="national-2012")  # balance
        ties = [(indicator_specs(basic), False), (indicator_specs(levels), True)]

        city = self._city(schools, seed, repeat, web_rows, ties, (basic, levels, national))
        province = None
        if province_schools:
            self._progress(f"province of {province_schools:,} schools")
            province = province_measure(
                total=province_schools,
                seed=seed,
                year=PROVINCE_YEAR,
                standard=national,
                ties=ties,
                repeat=repeat,
                progress=self._progress,
                peak_memory_mb=_peak_memory_mb,
            )
        figures = {
            "evaluate_over_read": city["evaluate"]["ratio_to_read"],
            "balance_over_read": max(mode["ratio_to_read"] for mode in city["balance"]["modes"].values()),
            "all_counties_over_read": province["ratio_to_read"] if province else None,
            "first_evaluation_over_read": city["evaluate"]["first_ratio_to_read"],
            "import_over_bulk_create": city["import"]["ratio_to_bulk_create"],
            "peak_memory_mb": province["peak_memory_mb"] if province else _peak_memory_mb(),
            "verdict_differences": city["verdicts"]["differences"],
        }
        met = {name: _verdict(name, value) for name, value in figures.items()}
        return {
            "database": connection.vendor,
            "schools": schools,
            "province_schools": province_schools,
            **figures,
            "targets": {name: f"{comparison} {target}" for name, (comparison, target) in TARGETS.items()},
            "met": met,
            # over the figures measured (the province's is not when it is skipped)
            "all_met": all(value for value in met.values() if value is not None),
            "details": {**city, "province": province},
        }

    def _city(self, count, seed, repeat, web_rows, ties, standards):
        basic, levels, national = standards
        towns = list(
            Region.objects.filter(kind__in=["street", "town", "township"]).values_list("code", flat=True)
        )
        self._progress(f"generating a city of {count:,} schools")
        school_rows, report_rows, tied = rows(count, towns, seed, YEAR, ties)
        work = Path(tempfile.mkdtemp(prefix="yq-bench-"))
        schools_file, reports_file = work / "schools.xlsx", work / "reports.xlsx"
        write_xlsx(schools_file, SCHOOL_KEYS, school_rows)
        write_xlsx(reports_file, REPORT_COLUMNS, report_rows)

        self._progress("bulk_create, then the importers")
        _wipe()
        bare, _ = timed(lambda: _bulk_create(school_rows, report_rows))
        _wipe()
        import_schools, _ = timed(lambda: call_command("import_schools", str(schools_file), verbosity=0))
        # The reports as `import_reports` does them, without the compliance it then recomputes
        # (timed below): the import itself is what bulk_create is compared with.
        with transaction.atomic():
            import_reports, outcome = timed(lambda: reports_import(path=str(reports_file), evaluate=False))
            if not outcome.ok:
                raise CommandError("\n".join(str(problem) for problem in outcome.problems[:20]))
        imported = import_schools + import_reports
        rows_total = len(school_rows) + len(report_rows)

        self._progress("compliance: first evaluations, recompute, steady evaluation")
        first, _ = timed(lambda: compliance_evaluate(standard=basic, year=YEAR))
        levels_first, levels_results = timed(lambda: compliance_evaluate(standard=levels, year=YEAR))
        recompute, _ = timed(lambda: compliance_recompute(reports=outcome.written_ids))
        steady, basic_results = timed(lambda: compliance_evaluate(standard=basic, year=YEAR), repeat)
        columns = read_columns(basic)
        read, _ = timed(lambda: plain_read(columns, year=YEAR), repeat)

        self._progress("verdicts: the Decimal reference against what was returned and stored")
        checked = self._verdicts([(basic, basic_results), (levels, levels_results)], tied)

        self._progress("balance of the county, per treatment of teaching points")
        balance = self._balance(national, repeat)
        self._progress(f"web import of {min(web_rows, count):,} reports")
        web = web_import(school_rows, work, min(web_rows, count), seed)
        return {
            "import": {
                "rows": rows_total,
                "seconds": round(imported, 3),
                "rows_per_s": _rate(rows_total, imported),
                "bulk_create_seconds": round(bare, 3),
                "bulk_create_rows_per_s": _rate(rows_total, bare),
                "ratio_to_bulk_create": ratio(bare, imported, 3),
                "schools_seconds": round(import_schools, 3),
                "reports_seconds": round(import_reports, 3),
            },
            "evaluate": {
                "first_seconds": round(first, 3),
                "seconds": round(steady, 3),
                "read_seconds": round(read, 3),
                "ratio_to_read": ratio(steady, read),
                "first_ratio_to_read": ratio(first, read),
                "by_level_first_seconds": round(levels_first, 3),
                "compliance_recompute_seconds": round(recompute, 3),
            },
            "balance": balance,
            "verdicts": checked,
            "web_import": web,
            "schools_by_kind": {
                "private": sum(row["ownership"] == "private" for row in school_rows),
                "teaching_points": sum(row["teaching_point"] for row in school_rows),
                **{
                    school_type: sum(row["school_type"] == school_type for row in school_rows)
                    for school_type in School.Type.values
                },
            },
        }

    @staticmethod
    def _verdicts(evaluated, tied):
        by_standard, total = {}, 0
        for standard, results in evaluated:
            expected, at_threshold = verdicts.reference(standard, YEAR)
            from_return = verdicts.differences(expected, verdicts.returned(results))
            from_store = verdicts.differences(expected, verdicts.stored(standard, YEAR))
            units, items = verdicts.count_items(expected)
            by_standard[standard.code] = {
                "units": units,
                "items": items,
                "items_at_threshold": at_threshold,
                "returned_differences": from_return,
                "stored_differences": from_store,
            }
            total += from_return + from_store
        return {"differences": total, "reports_with_a_tie": tied, "standards": by_standard}

    @staticmethod
    def _balance(standard, repeat):
        """balance_compute of the county, with every school's inputs, once per treatment of teaching
        points, against the plain read of its rows; the rule is put back afterwards."""
        county = Region.objects.get(code="330382")
        rule = BalanceRule.objects.get(standard=standard)
        kept = {field: getattr(rule, field) for mode in BALANCE_MODES.values() for field in mode}
        columns = read_columns(standard)
        towns = Region.objects.subtree_ids(county)
        read, count = timed(lambda: plain_read(columns, year=YEAR, school__region_id__in=towns), repeat)
        modes = {}
        try:
            for name, changes in BALANCE_MODES.items():
                BalanceRule.objects.filter(pk=rule.pk).update(**{**kept, **changes})
                seconds, result = timed(
                    lambda: balance_compute(standard=standard, year=YEAR, region=county), repeat
                )
                modes[name] = {
                    "seconds": round(seconds, 3),
                    "ratio_to_read": ratio(seconds, read),
                    "schools": {level: block["schools"] for level, block in result["levels"].items()},
                }
        finally:
            BalanceRule.objects.filter(pk=rule.pk).update(**kept)
        return {"reports_read": count, "read_seconds": round(read, 3), "mode": rule.mode, "modes": modes}
