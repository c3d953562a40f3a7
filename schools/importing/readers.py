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
from schools.importing.limits import Limits
from schools.importing.outcome import FileRejected, Problem
from schools.importing.xlsx import NotExcel, read_sheet

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
        """A table from the file's rows of cells (a list, header first; a row may end early);
        trailing blank rows are dropped."""
        last = len(records)
        while last and all(is_blank(value) for value in records[last - 1]):
            last -= 1
        width = max((len(records[number]) for number in range(last)), default=0)
        padded = [(*records[number], *(None,) * (width - len(records[number]))) for number in range(last)]
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
    return reader(path, Limits.from_settings())


def _read_csv(path, limits):
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
    records, last_row, width = [], 0, 0
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            # Empty fields at the end of a line are no content: an Excel cell left blank, or padding.
            while record and record[-1] == "":
                record.pop()
            if record:
                last_row, width = number, max(len(record), width)
                limits.check_cell(number, len(record), last_row, width)
            # An exported CSV file puts an apostrophe before text a spreadsheet would run as a formula.
            records.append([csv_read(value) for value in record])
    except csv.Error as error:
        raise FileRejected(_("文件不是有效的CSV文本文件：%(error)s") % {"error": error}) from None
    return Table.from_records(records)


def _read_xlsx(path, limits):
    try:
        sheet = read_sheet(path, limits)
    except NotExcel:
        raise FileRejected(_("文件不是有效的Excel（.xlsx）文件")) from None
    table = Table.from_records([sheet.rows.get(number, ()) for number in range(1, sheet.last_row + 1)])
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
