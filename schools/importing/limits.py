"""How large an import file may be once read: rows, columns, cells, and bytes unzipped.

The readers check these while they read (each cell as it is parsed, each chunk as it is unzipped),
so that a small file claiming a huge sheet is refused before anything grows: memory and time stay
bounded by the limits, whatever the file claims. The limits are settings (IMPORT_MAX_*).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from schools.importing.outcome import FileRejected

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    # Rows × columns of the table as read: the reader holds that many values at most.
    cells: int
    unzipped_bytes: int

    @classmethod
    def from_settings(cls):
        return cls(
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cells=settings.IMPORT_MAX_CELLS,
            unzipped_bytes=settings.IMPORT_MAX_UNZIPPED_BYTES,
        )

    def check_cell(self, row, column, last_row, width):
        """FileRejected unless a value at (`row`, `column`), in a table now `last_row` × `width`, is within limits."""
        where = {"row": f"{row:,}", "column": f"{column:,}"}
        if row > self.rows:
            message = _("文件超过%(max)s行（第%(row)s行仍有内容），请删除多余的行")
            raise FileRejected(message % {"max": f"{self.rows:,}", **where})
        if column > self.columns:
            message = _("文件超过%(max)s列（第%(row)s行第%(column)s列仍有内容），请删除多余的列")
            raise FileRejected(message % {"max": f"{self.columns:,}", **where})
        if last_row * width > self.cells:
            message = _(
                "文件超过%(max)s个单元格（第%(row)s行第%(column)s列仍有内容，表格已达%(rows)s行×%(columns)s列），"
                "请删除多余的行或列"
            )
            raise FileRejected(
                message
                % {"max": f"{self.cells:,}", "rows": f"{last_row:,}", "columns": f"{width:,}", **where}
            )

    def check_strings(self, count, part):
        """FileRejected when an Excel file's shared string table holds more strings than cells may be read."""
        if count > self.cells:
            message = _("文件超过%(max)s个单元格（%(part)s中的文字已超过%(max)s项），请删除多余的内容")
            raise FileRejected(message % {"max": f"{self.cells:,}", "part": part})

    def too_many_blank(self, *, cells, row):
        """The refusal of an Excel sheet writing more cells (rows) without a value than the limit
        of cells (rows): formatted only, they are not read, but each costs parsing."""
        if cells:
            message = _(
                "文件中设置了格式的空单元格超过%(max)s个（到第%(row)s行为止），请清除多余单元格的格式"
            )
            limit = self.cells
        else:
            message = _("文件中设置了格式的空行超过%(max)s行（到第%(row)s行为止），请删除多余的行")
            limit = self.rows
        return FileRejected(message % {"max": f"{limit:,}", "row": f"{row:,}"})

    def too_much_unzipped(self, part):
        """The refusal of an Excel file whose parts unzip to more than the limit (checked up to `part`)."""
        message = _("文件解压后超过%(max)s MB（读到%(part)s时），请删除多余的内容或拆分文件")
        megabytes = f"{self.unzipped_bytes / MEGABYTE:.2f}".rstrip("0").rstrip(".")
        return FileRejected(message % {"max": megabytes, "part": part})
