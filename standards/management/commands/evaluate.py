import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from standards.models import Standard
from standards.outputs import compliance_json, compliance_table
from standards.services import compliance_evaluate


class Command(BaseCommand):
    help = "Recompute and print each school's compliance with a per-school standard for one year."

    def add_arguments(self, parser):
        parser.add_argument("--standard", required=True, help="standard code, e.g. zj-basic")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, standard, year, format, **options):
        try:
            chosen = Standard.objects.get(code=standard, kind=Standard.Kind.SCHOOL)
        except Standard.DoesNotExist as exc:
            raise CommandError(_("未知的办学标准：%(code)s") % {"code": standard}) from exc
        computed = compliance_evaluate(standard=chosen, year=year)
        if format == "json":
            self.stdout.write(json.dumps(compliance_json(chosen, year, computed), ensure_ascii=False))
            return
        if options["verbosity"] >= 1:
            for line in compliance_table(computed):
                self.stdout.write(line)
        failing = sum(1 for _, units in computed for unit in units if not unit.passed_rule)
        self.stdout.write(
            _("%(code)s %(year)s：评估 %(n)s 所学校，不符合达标规则 %(failing)s 个评估单位")
            % {"code": chosen.code, "year": year, "n": len(computed), "failing": failing}
        )
