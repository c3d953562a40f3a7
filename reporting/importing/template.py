"""The annual-report template: an .xlsx file that schools fill in and `import_reports` reads back.

Row 1 holds the import's Chinese titles and row 2 onwards the data: the import reads every row
after the header as a report, so a row of units would be refused as non-numbers. The units and the
allowed values go instead into each title's comment, and into the cell's input message through
data validation, which also stops most typing errors before the file reaches the import. A second
"说明" sheet was rejected: the import reads the sheet the file was saved on, and a file saved while
looking at the notes would be refused.
"""

from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reporting.importing.plan import report_layout
from schools import fields
from schools.importing.cells import FIRST_YEAR
from schools.importing.escaping import xlsx_value
from schools.models import AnnualReport
from schools.spreadsheets import SECTION_KEYS, column_width, new_sheet

IDENTITY_KEYS = ("school_code", "year", "name")
KEYS = (*IDENTITY_KEYS, *SECTION_KEYS)
LAST_ROW = 1_048_576  # Excel's last row: validation also covers rows a school adds


def report_template(schools, year, bounds, figures=None):
    """A write-only workbook with one row per school of `schools` ((code, name) pairs) for `year`;
    `bounds` maps report keys to the (lowest, highest) values the bureau's error rules allow.

    `figures` maps a school's code to its report's current values (report key → value): the row
    of a school that has started its report comes filled in with them, so that a school that
    fills in the rest and uploads the file loses nothing it saved on the page."""
    figures = figures or {}
    with translation.override("zh-hans"):
        layout = report_layout()
        titles = [layout.title(key) for key in KEYS]
    widths = {0: 14, 1: 8, 2: 30, **{index: column_width(titles[index], 10) for index in range(3, len(KEYS))}}
    limits = {key: _limits(key, bounds) for key in fields.NUMERIC_KEYS}
    notes = {index: _note(key, limits) for index, key in enumerate(KEYS)}
    # The code, year and name columns stay in view while a school scrolls to the right.
    workbook, sheet = new_sheet(_("学校年报"), titles, widths, notes, freeze="D2")
    for index, key in enumerate(KEYS):
        validation = _validation(key, limits)
        if validation is not None:
            column = get_column_letter(index + 1)
            validation.add(f"{column}2:{column}{LAST_ROW}")
            sheet.data_validations.append(validation)
    for code, name in schools:
        code_cell = WriteOnlyCell(sheet, value=code)
        code_cell.number_format = "@"  # text, as the code is an identifier and not a number
        values = figures.get(code)
        filled = [_cell_value(values[key]) for key in SECTION_KEYS] if values else []
        sheet.append([code_cell, year, xlsx_value(sheet, name), *filled])
    return workbook


def _cell_value(value):
    """A report value as the template's cell holds it: 是/否 for a yes-or-no, blank for unknown."""
    if isinstance(value, bool):
        # The words of the column's validation list, in any language the page is shown in.
        return "是" if value else "否"
    return value


def filename(year):
    return f"report-template-{year}.xlsx"


def _unit(key):
    if key in fields.BOOL_KEYS:
        return _("是/否")
    return str(AnnualReport._meta.get_field(key).help_text)


def _limits(key, bounds):
    """The (lowest, highest) value of a numeric field; highest is None when no rule bounds it."""
    low, high = bounds.get(key, (None, None))
    low = max(Decimal(low or 0), Decimal(0))  # the database holds no negative figure
    if key in fields.PERCENT_KEYS:
        high = min(Decimal(high or 100), Decimal(100))
    return low, None if high is None else Decimal(high)


def _plain(number):
    """A number as a formula takes it: "20000", "0.5"."""
    return f"{number.normalize():f}"


def _range(key, limits):
    low, high = limits[key]
    if high is None:
        return _("不小于%(min)s") % {"min": _plain(low)}
    return f"{_plain(low)}～{high.normalize():,f}"


def _rule(key, limits):
    """What a cell of `key` accepts, in words: the bounds the import checks."""
    if key in fields.COUNT_KEYS:
        return _("整数，%(range)s") % {"range": _range(key, limits)}
    if key in fields.BOOL_KEYS:
        return _("填“是”或“否”，可留空")
    if key in fields.PERCENT_KEYS:
        return _("%(range)s，最多两位小数，可留空") % {"range": _range(key, limits)}
    blank = _("可留空") if key in fields.OPTIONAL_MONEY_KEYS else _("留空按0计")
    return _("最多两位小数，%(range)s，%(blank)s") % {"range": _range(key, limits), "blank": blank}


def _note(key, limits):
    if key == "school_code":
        # A prefilled row left empty would import as a report of zeros: the import cannot tell it apart.
        return _("10位学校标识码，用于识别学校。未填报的学校请删除整行：表中每一行都会导入为一份年报。")
    if key == "year":
        return _("统计年度")
    if key == "name":
        return _("仅供核对，导入时不读取")
    return _("单位：%(unit)s\n%(rule)s\n字段：%(key)s") % {
        "unit": _unit(key),
        "rule": _rule(key, limits),
        "key": key,
    }


def _validation(key, limits):
    """The data validation of one column (None for the name): the bounds the import checks."""
    if key == "name":
        return None
    if key == "school_code":
        validation = DataValidation(type="textLength", operator="equal", formula1="10")
    elif key == "year":
        last = timezone.localdate().year + 1
        validation = DataValidation(
            type="whole", operator="between", formula1=str(FIRST_YEAR), formula2=str(last)
        )
    elif key in fields.BOOL_KEYS:
        validation = DataValidation(type="list", formula1='"是,否"')
    else:
        kind = "whole" if key in fields.COUNT_KEYS else "decimal"
        low, high = limits[key]
        if high is None:
            validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_plain(low))
        else:
            validation = DataValidation(
                type=kind, operator="between", formula1=_plain(low), formula2=_plain(high)
            )
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = _("数值不符合要求")
    validation.error = _note(key, limits)
    if key in fields.REPORT_KEYS:
        validation.showInputMessage = True
        validation.prompt = _("单位：%(unit)s；%(rule)s") % {"unit": _unit(key), "rule": _rule(key, limits)}
    return validation
