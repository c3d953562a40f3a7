from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from schools.importing.outcome import report_to_command
from schools.importing.services import schools_import


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a str: translated when the command runs, not at import.
        return _(
            "从Excel（.xlsx）或CSV文件导入学校名录：表头为字段中文名称或键名，按学校标识码新增或更新。"
            "任何一行有问题则不写入任何数据，并逐条列出问题（row 行号, column 列名: 说明）。"
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Excel（.xlsx）或CSV（UTF-8或GB18030）文件"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("只检查并报告将新增、更新的数量，不写入")
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        outcome = schools_import(path=file, dry_run=dry_run)
        report_to_command(self, outcome, noun=_("学校"), dry_run=dry_run, verbosity=verbosity)
