"""Filtered lists written as .xlsx workbooks: the registry, the annual reports, compliance results.

Each builder takes rows already limited to the user's scope and fetched with their relations in
one query, and writes them through openpyxl's write-only mode, which streams each row to the file
instead of keeping every cell in memory (a year's reports are close to a million cells).

The registry and report exports use the import's Chinese column titles (docs/fields.md), whatever
the page language, so that an exported file can be corrected and imported again.
"""

import io

from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from schools import rules
from schools.importing.escaping import text_cell, xlsx_value
from schools.importing.report_plan import report_layout
from schools.importing.school_plan import school_layout
from schools.levels import Level
from standards.models import ComplianceResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The report fields in the order of the report form.
SECTION_KEYS = tuple(key for _section, keys in rules.SECTIONS for key in keys)
BOLD = Font(bold=True)


def column_width(title, minimum=8, maximum=40):
    """A width that shows `title` whole; a Chinese character takes two columns' width."""
    width = sum(2 if ord(char) > 0x2E7F else 1 for char in str(title)) + 2
    return max(minimum, min(maximum, width))


def new_sheet(title, headers, widths=None, notes=None, freeze="A2"):
    """A write-only workbook whose one sheet has a bold header row, frozen, and sized columns.

    `widths` maps a column index (0-based) to a width, for columns whose data is wider than their
    header (school names); `notes` maps a column index to the comment of its header.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    # A write-only sheet writes its column sizes and panes with the first row: set them before it.
    for index, header in enumerate(headers):
        width = (widths or {}).get(index) or column_width(header)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = freeze
    sheet.append(
        [_header_cell(sheet, header, (notes or {}).get(index)) for index, header in enumerate(headers)]
    )
    return workbook, sheet


def _header_cell(sheet, title, note):
    cell = text_cell(sheet, str(title))
    cell.font = BOLD
    if note:
        cell.comment = Comment(note, _("均衡发展监测平台"), width=240, height=120)
    return cell


def append_rows(sheet, rows, width):
    """Append `rows` and put an autofilter over the header and them."""
    count = 0
    for row in rows:
        # A school named "=HYPERLINK(…)" stays a name, never a formula run in the reader's Excel.
        sheet.append([xlsx_value(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{count + 1}"


def xlsx_response(workbook, filename):
    """The workbook as a download; `filename` is ASCII, which every browser and mail client keeps."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)


def _yes_no(value):
    return {True: _("是"), False: _("否")}.get(value)


def schools_workbook(schools):
    """The registry columns (the import's), one row per school; `schools` needs region and parent."""
    with translation.override("zh-hans"):
        layout = school_layout()
        headers = [layout.title(key) for key in rules.REGISTRY_KEYS]
        workbook, sheet = new_sheet(_("学校名录"), headers, widths={0: 14, 1: 30})
        rows = (
            (
                school.code,
                school.name,
                school.get_school_type_display(),
                school.get_ownership_display(),
                school.get_area_type_display(),
                school.region.name,
                school.district,
                _yes_no(school.teaching_point),
                school.parent.code if school.parent_id else None,
            )
            for school in schools
        )
        append_rows(sheet, rows, len(headers))
    return workbook


def reports_workbook(reports):
    """The report columns (the import's, in the form's order), one row per report; needs `school`."""
    with translation.override("zh-hans"):
        layout = report_layout()
        keys = ("school_code", "name", "year", *SECTION_KEYS)
        workbook, sheet = new_sheet(_("学校年报"), [layout.title(key) for key in keys], widths={0: 14, 1: 30})
        rows = (
            (
                report.school.code,
                report.school.name,
                report.year,
                *(_yes_no(value) if key in rules.BOOL_KEYS else value for key, value in _values(report)),
            )
            for report in reports
        )
        append_rows(sheet, rows, len(keys))
    return workbook


def _values(report):
    return ((key, getattr(report, key)) for key in SECTION_KEYS)


def compliance_items(summaries):
    """The evaluated items (passed or failed; not those without a value or threshold) of
    `summaries`, in the page's order, with what a row of the export shows: one query."""
    return (
        ComplianceResult.objects.filter(summary__in=summaries, passed__isnull=False)
        .select_related("summary__report__school__region", "summary__standard", "indicator")
        .order_by(
            "-summary__failed_count",
            "summary__report__school__code",
            "summary__part",
            "indicator__order",
            "indicator__code",
        )
    )


def compliance_workbook(results):
    """One row per evaluated indicator of each school; `results` are ComplianceResult rows with
    summary__report__school__region, summary__standard and indicator."""
    headers = [
        _("学校标识码"),
        _("学校名称"),
        _("所属镇街"),
        _("年度"),
        _("学段"),
        _("标准"),
        _("指标"),
        _("实际值"),
        _("标准值"),
        _("单位"),
        _("达标"),
        _("达成度（%）"),
        _("差额"),
        _("差额单位"),
    ]
    workbook, sheet = new_sheet(_("逐校达标"), headers, widths={1: 30, 5: 30, 6: 24})
    rows = (
        (
            item.summary.report.school.code,
            item.summary.report.school.name,
            item.summary.report.school.region.name,
            item.summary.report.year,
            str(Level(item.summary.part).label) if item.summary.part else None,
            item.summary.standard.name,
            item.indicator.name,
            item.value,
            item.threshold,
            item.indicator.unit,
            _yes_no(item.passed),
            item.percent,
            item.shortfall,
            item.indicator.numerator_unit,
        )
        for item in results
    )
    append_rows(sheet, rows, len(headers))
    return workbook
