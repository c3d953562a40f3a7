"""A school's own annual report from a file its clerk uploads: read and checked as `import_reports`
reads and checks a file, for one report, without writing."""

from django.utils.translation import gettext as _

from reporting.importing.plan import plan_reports, report_layout
from schools import fields
from schools.importing.cells import CellError
from schools.importing.outcome import FileRejected, Problem
from schools.importing.plans import FIRST_DATA_ROW
from schools.importing.readers import read_table


class UploadRefused(Exception):
    """The file does not give the report's figures; `problems` lists every reason."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def report_values_from_file(*, path, report):
    """The figures of `report` as the file at `path` gives them (report key → value).

    The file must hold one row, of the report's school and year (a row without a year is taken as
    the report's year); a column the file leaves out, or a cell it leaves blank, keeps the report's
    stored value (a figure is cleared by writing 0, not by emptying its cell). Raises
    UploadRefused with every problem of the file, or with every row of another school or year
    (other schools' rows are not checked further).
    """
    try:
        table = read_table(path)
    except FileRejected as rejected:
        raise UploadRefused([Problem(None, None, rejected.message)]) from None
    others = _other_reports(table, report)
    if others:
        raise UploadRefused(others)
    plan = plan_reports(table, year=report.year, blank_keeps=True)
    if plan.problems:
        raise UploadRefused(plan.problems)
    if not plan.entries:
        # Every row was blank, or named the school but left every figure blank (an unfilled template).
        message = _("文件中没有本校%(year)d年度的年报数据：请在下载的模板中填写本校一行后再上传")
        raise UploadRefused([Problem(None, None, message % {"year": report.year})])
    (entry,) = plan.entries.values()  # a second row of the same school and year is a plan problem
    return {key: getattr(entry.instance, key) for key in fields.REPORT_KEYS}


def _other_reports(table, report):
    """A problem for each row whose school code or year is readable and not `report`'s."""
    layout = report_layout()
    positions, _problems = layout.match(table.headers, table.rows)
    problems = []
    for offset, row in enumerate(table.rows):
        number = offset + FIRST_DATA_ROW
        code = _readable(layout, positions, row, "school_code")
        year = _readable(layout, positions, row, "year")
        if code is not None and code != report.school.code:
            message = _("文件第%(row)d行是其他学校（%(code)s）的年报，只能上传本校年报")
            problems.append(Problem(None, None, message % {"row": number, "code": code}))
        elif year is not None and year != report.year:
            message = _("文件第%(row)d行是%(year)d年度的年报，本页是%(page)d年度，只能上传本年度的年报")
            problems.append(Problem(None, None, message % {"row": number, "year": year, "page": report.year}))
    return problems


def _readable(layout, positions, row, key):
    """The value of `row`'s cell in column `key`; None when there is no such column or the cell is
    blank or unreadable (the plan reports those)."""
    if key not in positions:
        return None
    try:
        return layout.columns[key].read(row[positions[key]])
    except CellError:
        return None
