import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from devtools import demo
from devtools.demo import province as demo_province
from devtools.province import province_files, province_load
from phases.models import Campaign, CityTarget, LedgerItem, UnitCost
from phases.services import campaign_enrol, gaps_reconcile_reports
from reporting.models import ReportingYear, ReportRule
from schools.fields import REGISTRY_KEYS, REPORT_KEYS, contradictions
from schools.models import AnnualReport, Region, School
from standards.models import Standard
from standards.services import compliance_recompute

CHOICES = {"school_type": School.Type, "ownership": School.Ownership, "area_type": School.AreaType}
# Cell values are data for the importers, so they stay Chinese whatever the active language.
YES, NO = "是", "否"


def _standards_present(*codes):
    return lambda: Standard.objects.filter(code__in=codes).count() == len(codes)


# Each fixture is loaded only when absent, so that a bureau's edits to a standard survive.
FIXTURES = (
    ("regions", lambda: Region.objects.filter(code=demo.COUNTY_CODE).exists()),
    ("national-2012", _standards_present("national-2012")),
    ("national-2017", _standards_present("national-2017", "national-2017-balance")),
    ("zj-basic", _standards_present("zj-basic")),
    ("campaign-2013", lambda: Campaign.objects.filter(is_current=True).exists()),
    # The application ledger each tracked school keeps (PLAN-T11), a sample list.
    ("ledger-items", lambda: LedgerItem.objects.exists()),
    # The plan's city targets (PLAN-R1, R3, R5, R7, R8) for the campaign above.
    ("city-targets", lambda: CityTarget.objects.exists()),
    ("unit-costs-sample", lambda: UnitCost.objects.filter(indicator__standard__code="zj-basic").exists()),
    # The bureau's own rules (the built-in error rules are in every database from its first migrate).
    ("report-rules", lambda: ReportRule.objects.filter(builtin=False).exists()),
)


def _cell(key, value):
    if key in CHOICES:
        return str(CHOICES[key](value).label)
    if isinstance(value, bool):
        return YES if value else NO
    return None if value == "" else value


def _write(path, title, columns, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([str(heading) for _key, heading in columns])
    for row in rows:
        sheet.append([_cell(key, row.get(key)) for key, _heading in columns])
    book.save(path)


class Command(BaseCommand):
    help = (
        "Write a reproducible synthetic demo city (a school registry and two years of annual reports) "
        "as .xlsx files and load it through import_schools and import_reports; idempotent. "
        "With --province: a generated province of many counties (three years of reports) instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=180, help="number of demo schools (default 180)")
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--out", default=settings.BASE_DIR / "demo-files", help="directory for the .xlsx files"
        )
        parser.add_argument("--dry-run", action="store_true", help="write and check the files, load nothing")
        parser.add_argument(
            "--province",
            action="store_true",
            help="a generated province of many counties instead of the Yueqing demo city",
        )
        parser.add_argument(
            "--counties",
            type=int,
            default=demo_province.FULL_COUNTIES,
            help=f"with --province: number of counties (default {demo_province.FULL_COUNTIES})",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="with --province: schools per county × F (1.0: 60 to 3,000 a county)",
        )

    def handle(self, *args, schools, seed, out, dry_run, verbosity, province, counties, scale, **options):
        if province:
            self._province(counties, scale, seed, Path(out) / "province", dry_run, verbosity)
            return
        try:
            city = demo.generate(schools, seed)
        except ValueError as exc:
            raise CommandError(
                _("学校数应在 %(low)s 到 %(high)s 之间") % {"low": demo.MIN_SCHOOLS, "high": demo.MAX_SCHOOLS}
            ) from exc
        self._check(city)
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        with translation.override("zh-hans"):
            paths = self._write_files(city, out)
        if not dry_run:
            with transaction.atomic():
                self._load(city, paths, verbosity)
        if verbosity >= 1:
            self._summary(city, out, dry_run)

    def _province(self, counties, scale, seed, out, dry_run, verbosity):
        start = time.monotonic()
        try:
            built = demo_province.generate(counties=counties, scale=scale, seed=seed)
        except ValueError as exc:
            raise CommandError(_("县数应在 1 到 99 之间，规模系数应大于 0 且不超过 1")) from exc
        paths = province_files(built, out)
        created = None
        if not dry_run:
            with transaction.atomic():
                created = province_load(built, paths, verbosity)
        if verbosity >= 1:
            sizes = [len(rows) for rows in built.schools.values()]
            reports = sum(len(rows) for rows in built.reports.values())
            self.stdout.write(
                _(
                    "演示省：%(counties)s 个县（市、区），%(schools)s 所学校（每县 %(low)s–%(high)s 所），"
                    "%(reports)s 份年报（%(years)s），文件在 %(out)s"
                )
                % {
                    "counties": len(sizes),
                    "schools": sum(sizes),
                    "low": min(sizes),
                    "high": max(sizes),
                    "reports": reports,
                    "years": "、".join(str(year) for year in built.reports),
                    "out": out,
                }
            )
            if dry_run:
                self.stdout.write(_("未导入数据库（--dry-run）。"))
            else:
                self.stdout.write(_("新建行政区划 %(n)s 个。") % {"n": created})
            self.stdout.write(_("用时 %(s).1f 秒。") % {"s": time.monotonic() - start})

    def _check(self, city):
        types = {school["code"]: school["school_type"] for school in city.schools}
        for year, rows in city.reports.items():
            for row in rows:
                problems = contradictions(row, types[row["school_code"]])
                if problems:
                    raise CommandError(
                        _("演示数据自相矛盾：%(code)s %(year)s 年：%(problem)s")
                        % {"code": row["school_code"], "year": year, "problem": problems[0][1]}
                    )

    def _write_files(self, city, out):
        registry = [(key, School._meta.get_field(key).verbose_name) for key in REGISTRY_KEYS[:-1]]
        registry.append(("parent_code", _("所属中心校标识码")))
        report = [
            ("school_code", School._meta.get_field("code").verbose_name),
            ("year", AnnualReport._meta.get_field("year").verbose_name),
            *((key, AnnualReport._meta.get_field(key).verbose_name) for key in REPORT_KEYS),
        ]
        paths = {"schools": out / "schools.xlsx"}
        _write(paths["schools"], _("学校名录"), registry, city.schools)
        for year, rows in city.reports.items():
            paths[year] = out / f"reports-{year}.xlsx"
            _write(paths[year], _("学校年报%(year)s") % {"year": year}, report, rows)
        return paths

    def _load(self, city, paths, verbosity):
        for name, present in FIXTURES:
            if not present():
                call_command("loaddata", name, verbosity=0)
        quiet = max(verbosity - 1, 0)
        call_command("import_schools", str(paths["schools"]), verbosity=quiet)
        for year in city.reports:
            call_command("import_reports", str(paths[year]), verbosity=quiet)
        # The demo's reports stand for data the bureau has already reviewed.
        reports = AnnualReport.objects.filter(
            school__code__in=[school["code"] for school in city.schools], year__in=list(city.reports)
        )
        reports.exclude(status=AnnualReport.Status.APPROVED).update(status=AnnualReport.Status.APPROVED)
        # Approved in the autumn of their year, as PLAN-T10 has the 2013 reports approved by the end
        # of October: the phases and the gaps closed by these reports carry those dates.
        for year in city.reports:
            approved = timezone.make_aware(datetime(year, 10, 25, 10))
            reports.filter(year=year).update(updated_at=approved)
        compliance_recompute(reports=reports)
        # The bureau opens the years it collects; the demo's years are its reporting years.
        for year in city.reports:
            ReportingYear.objects.get_or_create(year=year, defaults={"is_open": True})
        Campaign.objects.filter(is_current=True).update(is_demo=True)
        # The campaign tracks the schools its baseline year fails (PLAN-T1); the later approved
        # reports then close the gaps their data fixes. Both keep what is already there.
        campaign = Campaign.objects.filter(is_current=True).first()
        if campaign is not None:
            first = campaign.phases.order_by("number").first()
            campaign_enrol(campaign=campaign, enrolled_on=first.starts_on if first else None)
            later = reports.filter(year__gt=campaign.baseline_year).values_list("pk", flat=True)
            gaps_reconcile_reports(reports=list(later))

    def _summary(self, city, out, dry_run):
        points = sum(1 for school in city.schools if school["teaching_point"])
        private = sum(1 for school in city.schools if school["ownership"] == "private")
        self.stdout.write(
            _("演示数据：%(n)s 所学校（其中教学点 %(points)s 所、民办 %(private)s 所），文件在 %(out)s")
            % {"n": len(city.schools), "points": points, "private": private, "out": out}
        )
        items = demo.load_standard().rule.max_failed + 1
        for year, codes in city.failing.items():
            self.stdout.write(
                _("%(year)s 年：按构造有 %(count)s 所学校 %(items)s 项及以上办学基本标准不达标")
                % {"year": year, "count": len(codes), "items": items}
            )
        if dry_run:
            self.stdout.write(_("未导入数据库（--dry-run）。"))
