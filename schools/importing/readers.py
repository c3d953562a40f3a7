"""Reading an import file (.xlsx or .csv) into a Table: the header row and the data rows as written."""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.utils.translation import gettext as _
from openpyxl.utils import range_boundaries

from schools.importing.cells import is_blank
from schools.importing.escaping import csv_read
from schools.importing.outcome import FileRejected, Problem
from schools.importing.xlsx import NotExcel, read_sheet

# More rows and columns than any registry or report has: a stray value beyond them is a mistake,
# and reading up to it would only fill memory.
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Table:
    """A file's header row and data rows; `rows[i]` is spreadsheet row i + 2 (blank rows are kept)."""

    headers: list[str]
    rows: list[tuple]
    # Problems seen while reading, before any value is looked at (merged header cells).
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def from_records(cls, records):
        """A table from the file's rows of cells, header first; trailing blank rows are dropped."""
        records = [list(record) for record in records]
        while records and all(is_blank(value) for value in records[-1]):
            records.pop()
        width = max((len(record) for record in records), default=0)
        padded = [tuple(record) + (None,) * (width - len(record)) for record in records]
        headers = [_header(value) for value in padded[0]] if padded else []
        return cls(headers=headers, rows=padded[1:])

    @classmethod
    def from_dataset(cls, dataset):
        """A table from a tablib Dataset, as the admin's import reads one."""
        return cls.from_records([dataset.headers or [], *dataset])

    def as_dataset(self):
        return tablib.Dataset(*self.rows, headers=self.headers)


def _header(value):
    return "" if value is None else str(value).strip()


def check_type(name):
    """FileRejected unless the file `name` is of a type read_table reads (.xlsx or .csv)."""
    path = Path(name)
    if path.suffix.lower() not in _READERS:
        raise FileRejected(
            _("不支持的文件类型“%(suffix)s”：请使用.xlsx或.csv文件") % {"suffix": path.suffix or path.name}
        )


def read_table(path):
    """Read the active sheet of an .xlsx file, or a .csv file; FileRejected if impossible."""
    path = Path(path)
    check_type(path)
    reader = _READERS[path.suffix.lower()]
    if not path.is_file():
        raise FileRejected(_("找不到文件：%(path)s") % {"path": path})
    return reader(path)


def _read_csv(path):
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise FileRejected(
            _("文件不是有效的CSV文本文件（它是压缩包或Excel文件，Excel文件的扩展名应为.xlsx）")
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRejected(_("文件不是有效的CSV文本文件：编码既不是UTF-8也不是GB18030"))
    if _CONTROL.search(text):
        raise FileRejected(_("文件不是有效的CSV文本文件（含有二进制内容）"))
    try:
        # An exported CSV file puts an apostrophe before text a spreadsheet would run as a formula.
        records = [
            [csv_read(value) for value in record] for record in csv.reader(io.StringIO(text, newline=""))
        ]
    except csv.Error as error:
        raise FileRejected(_("文件不是有效的CSV文本文件：%(error)s") % {"error": error}) from None
    _check_size(len(records), max((len(record) for record in records), default=0))
    return Table.from_records(records)


def _check_size(last_row, last_column):
    if last_row > MAX_ROWS:
        message = _("文件超过%(max)s行（第%(row)s行仍有内容），请删除多余的行")
        raise FileRejected(message % {"max": f"{MAX_ROWS:,}", "row": f"{last_row:,}"})
    if last_column > MAX_COLUMNS:
        message = _("文件超过%(max)s列（第%(column)s列仍有内容），请删除多余的列")
        raise FileRejected(message % {"max": f"{MAX_COLUMNS:,}", "column": f"{last_column:,}"})


def _read_xlsx(path):
    try:
        sheet = read_sheet(path)
    except NotExcel:
        raise FileRejected(_("文件不是有效的Excel（.xlsx）文件")) from None
    rows = {number: cells for number, cells in sheet.rows.items() if cells}
    width = max((column for cells in rows.values() for column, _value in cells), default=0)
    _check_size(max(rows, default=0), width)
    records = [[None] * width for _number in range(max(rows, default=0))]
    for number, cells in rows.items():
        for column, value in cells:
            records[number - 1][column - 1] = value
    table = Table.from_records(records)
    table.problems = _merged_header_problems(sheet.merged, table.headers)
    return table


_READERS = {".xlsx": _read_xlsx, ".csv": _read_csv}


def _merged_header_problems(merged, headers):
    problems = []
    for reference in merged:
        first_column, first_row, _last_column, _last_row = range_boundaries(reference)
        if first_row == 1:
            header = headers[first_column - 1] if first_column <= len(headers) else ""
            problems.append(
                Problem(
                    1,
                    header or reference.split(":")[0],
                    _("表头不能有合并单元格（%(ref)s）") % {"ref": reference},
                )
            )
    return problems
