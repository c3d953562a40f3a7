"""Writing .xlsx workbooks for download: a bold, frozen, sized header row, rows streamed in
write-only mode, formula-like text kept as text (`schools.importing.escaping`)."""

import io

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from schools import fields
from schools.importing.escaping import text_cell, xlsx_value

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The report fields in the order of the report form.
SECTION_KEYS = tuple(key for _section, keys in fields.SECTIONS for key in keys)
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


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook, filename):
    """The workbook as a download; `filename` is ASCII, which every browser and mail client keeps."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
