"""Text that a spreadsheet would take for a formula, in the files the platform writes and reads back.

A school named '=HYPERLINK("http://…","…")' must reach the bureau's spreadsheet as that name, never
as a formula that runs (CSV injection). Both escapes are lossless, so that an exported file, edited
or not, imports again unchanged:
- .xlsx has cell types: such text goes into a text cell marked with Excel's quote prefix, the mark
  Excel itself sets when one types '=1. The cell's value is the text as it is, with no apostrophe,
  and editing the cell in Excel keeps it text.
- CSV has no types: such text gets a leading apostrophe (OWASP's advice), which the import removes.
Only text is escaped: a number, a negative one too, is written as a number.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Excel or LibreOffice reads as the start of a formula, with the full-width forms that a
# Chinese input method types (Excel takes "＝1" for "=1" too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
CSV_ESCAPE = "'"


def looks_like_formula(text):
    return text.startswith(FORMULA_STARTS)


def text_cell(sheet, text):
    """A write-only cell of `sheet` holding `text` as text, whatever it starts with."""
    # openpyxl refuses control characters outright; one stray byte must not break an export.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    if looks_like_formula(cell.value):
        cell.data_type = "s"  # openpyxl took "=…" for a formula
        cell.quotePrefix = True
    return cell


def xlsx_value(sheet, value):
    """`value` as a row appended to `sheet` takes it: formula-like text as a text cell, other text
    without control characters, anything else as it is."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text_cell(sheet, value) if looks_like_formula(value) else value


def _escaped_in_csv(text):
    # Text that already starts with apostrophes before a formula character ("'=1") gets one more,
    # or the import would take its own apostrophe for the escape.
    return text.lstrip(CSV_ESCAPE).startswith(FORMULA_STARTS)


def csv_text(value):
    """`value` as a CSV file holds it: formula-like text behind an apostrophe, anything else as it is."""
    if isinstance(value, str) and _escaped_in_csv(value):
        return CSV_ESCAPE + value
    return value


def csv_read(text):
    """A CSV cell's text with the export's escape removed (csv_text's inverse)."""
    if text.startswith(CSV_ESCAPE) and _escaped_in_csv(text[1:]):
        return text[1:]
    return text
