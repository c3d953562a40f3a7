"""The report import through the admin's pages (upload, then confirm), against the command."""

import html
import random
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook

from devtools.bench_data import report_row
from devtools.benchmark.timing import ratio, timed
from reporting.models import ReportEvent
from schools.fields import REPORT_KEYS
from schools.models import AnnualReport
from standards.models import ComplianceSummary

REPORT_COLUMNS = ("school_code", "year", *REPORT_KEYS)
WEB_YEAR = 2013


def write_xlsx(path, columns, data):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(columns))
    for row in data:
        sheet.append([row[key] for key in columns])
    book.save(path)


def web_import(school_rows, work, count, seed):
    """A year's file of `count` reports through the admin's upload and confirm requests, against
    `import_reports` on the same file (each starting with no report of that year)."""
    rng = random.Random(seed)
    data = [
        report_row(rng, row["code"], row["school_type"], WEB_YEAR, row["teaching_point"])
        for row in school_rows[:count]
    ]
    path = work / "reports-2013.xlsx"
    write_xlsx(path, REPORT_COLUMNS, data)

    def forget():
        with transaction.atomic():
            ComplianceSummary.objects.filter(report__year=WEB_YEAR).delete()
            ReportEvent.objects.filter(report__year=WEB_YEAR).delete()
            AnnualReport.objects.filter(year=WEB_YEAR).delete()

    forget()
    command, _ = timed(lambda: call_command("import_reports", str(path), verbosity=0))
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

    seconds, _ = timed(upload_and_confirm)
    if AnnualReport.objects.filter(year=WEB_YEAR).count() != count:
        raise CommandError("the web import did not write every report")
    return {
        "rows": count,
        "seconds": round(seconds, 3),
        "command_seconds": round(command, 3),
        "ratio_to_command": ratio(seconds, command),
    }
