import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from phases.selectors import current_campaign
from schools.models import Region
from standards.balance import balance_compute
from standards.models import Standard
from standards.outputs import balance_table


class Command(BaseCommand):
    help = "Print the difference coefficients between the schools of one county, per level."

    def add_arguments(self, parser):
        parser.add_argument("--standard", required=True, help="balance standard code, e.g. national-2012")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--region", help="county code (default: the current campaign's)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, standard, year, region, format, **options):
        try:
            chosen = Standard.objects.get(code=standard, kind=Standard.Kind.BALANCE)
        except Standard.DoesNotExist as exc:
            raise CommandError(_("未知的均衡标准：%(code)s") % {"code": standard}) from exc
        if region:
            county = Region.objects.filter(code=region).first()
            if county is None:
                raise CommandError(_("未知的区划代码：%(code)s") % {"code": region})
        else:
            campaign = current_campaign()
            if campaign is None:
                raise CommandError(_("没有当前创建工作，请用 --region 指定县（市、区）"))
            county = campaign.region
        result = balance_compute(standard=chosen, year=year, region=county)
        if format == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        for line in balance_table(result):
            self.stdout.write(line)
