"""Filtered lists written as .xlsx workbooks: the registry, the annual reports, compliance results.

Each builder takes rows already limited to the user's scope and fetched with their relations in
one query, and writes them through openpyxl's write-only mode, which streams each row to the file
instead of keeping every cell in memory (a year's reports are close to a million cells).

The registry and report exports use the import's Chinese column titles (docs/fields.md), whatever
the page language, so that an exported file can be corrected and imported again.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from dashboard.selectors_counties import Kind
from reporting.importing.plan import report_layout
from schools import fields
from schools.importing.school_plan import school_layout
from schools.levels import Level
from schools.spreadsheets import SECTION_KEYS, append_rows, new_sheet
from standards.outputs import VERDICTS
from standards.selectors import summary_items


def _yes_no(value):
    return {True: _("是"), False: _("否")}.get(value)


def schools_workbook(schools):
    """The registry columns (the import's), one row per school; `schools` needs region and parent."""
    with translation.override("zh-hans"):
        layout = school_layout()
        headers = [layout.title(key) for key in fields.REGISTRY_KEYS]
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
                *(_yes_no(value) if key in fields.BOOL_KEYS else value for key, value in _values(report)),
            )
            for report in reports
        )
        append_rows(sheet, rows, len(keys))
    return workbook


def _values(report):
    return ((key, getattr(report, key)) for key in SECTION_KEYS)


def compliance_items(summaries):
    """[(summary, StoredItem)] of the evaluated items (passed or failed; not those without a
    value or threshold) of `summaries`, in the page's order, with what a row of the export
    shows: two queries."""
    rows = summaries.select_related("report__school__region", "standard").order_by(
        "-failed_count", "report__school__code", "part"
    )
    return [
        (summary, item)
        for summary in summary_items(rows)
        for item in summary.stored_items
        if item.passed is not None
    ]


def compliance_workbook(results):
    """One row per evaluated indicator of each school; `results` are (summary, item) pairs of
    `compliance_items`."""
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
            summary.report.school.code,
            summary.report.school.name,
            summary.report.school.region.name,
            summary.report.year,
            str(Level(summary.part).label) if summary.part else None,
            summary.standard.name,
            item.indicator.name,
            item.value,
            item.threshold,
            item.indicator.unit,
            _yes_no(item.passed),
            item.percent,
            item.shortfall,
            item.indicator.numerator_unit,
        )
        for summary, item in results
    )
    append_rows(sheet, rows, len(headers))
    return workbook


def counties_workbook(columns, rows):
    """The county table's rows (`county_table_rows`): coefficients as numbers, verdicts as words."""
    headers = [label for _key, label, _kind, _note in columns]
    workbook, sheet = new_sheet(_("县域均衡"), headers, widths={1: 20, 2: 16})
    verdicts = {key for key, _label, kind, _note in columns if kind == Kind.VERDICT}
    cells = (
        [str(VERDICTS[row.get(key)]) if key in verdicts else row.get(key) for key, *_rest in columns]
        for row in rows
    )
    append_rows(sheet, cells, len(headers))
    return workbook
