import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from phases.selectors import current_campaign
from schools.counties import active_schools_by_county, counties_in
from schools.models import Region
from standards.balance import balance_compute, balance_counties
from standards.models import Standard
from standards.outputs import balance_table, counties_table, county_json


class Command(BaseCommand):
    help = (
        "Print the difference coefficients between the schools of one county, per level; "
        "with --all-counties, every county's (under --region when given), one entry per county."
    )

    def add_arguments(self, parser):
        parser.add_argument("--standard", required=True, help="balance standard code, e.g. national-2012")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--region",
            help="county code (default: the current campaign's); with --all-counties, any region above counties",
        )
        parser.add_argument("--all-counties", action="store_true", help="every county's balance at once")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, standard, year, region, all_counties, format, **options):
        try:
            chosen = Standard.objects.get(code=standard, kind=Standard.Kind.BALANCE)
        except Standard.DoesNotExist as exc:
            raise CommandError(_("未知的均衡标准：%(code)s") % {"code": standard}) from exc
        found = None
        if region:
            found = Region.objects.filter(code=region).first()
            if found is None:
                raise CommandError(_("未知的区划代码：%(code)s") % {"code": region})
        if all_counties:
            self._all_counties(chosen, year, found, format)
            return
        if found is None:
            campaign = current_campaign()
            if campaign is None:
                raise CommandError(_("没有当前创建工作，请用 --region 指定县（市、区）"))
            found = campaign.region
        result = balance_compute(standard=chosen, year=year, region=found)
        if format == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        for line in balance_table(result):
            self.stdout.write(line)

    def _all_counties(self, standard, year, region, format):
        counties = list(counties_in(Region.objects.subtree_ids(region) if region else None))
        results = balance_counties(standard=standard, year=year, counties=counties)
        schools = active_schools_by_county()
        entries = [county_json(county, schools.get(county.pk, 0), results[county.pk]) for county in counties]
        if format == "json":
            payload = {"standard": standard.code, "year": year, "counties": entries}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for line in counties_table(entries):
            self.stdout.write(line)
