from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reporting.importing.services import reports_import
from schools.importing import cells
from schools.importing.outcome import report_to_command


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a str: translated when the command runs, not at import.
        return _(
            "从Excel（.xlsx）或CSV文件导入学校年报（状态为已审核）：按学校标识码和年度新增或更新，"
            "并在同一事务中重新计算这些年报的达标结果。任何一行有问题则不写入任何数据。"
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Excel（.xlsx）或CSV（UTF-8或GB18030）文件"))
        parser.add_argument(
            "--year", help=_("年度：用于没有“年度”列或该列为空的行；与“年度”列不一致的行报错")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("只检查并报告将新增、更新的数量，不写入")
        )

    def handle(self, *args, file, year, dry_run, verbosity, **options):
        if year is not None:
            try:
                year = cells.year(year, "--year")
            except cells.CellError as error:
                raise CommandError(str(error)) from None
        outcome = reports_import(path=file, year=year, dry_run=dry_run)
        report_to_command(self, outcome, noun=_("年报"), dry_run=dry_run, verbosity=verbosity)
