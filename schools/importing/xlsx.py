"""Reading the active sheet of an .xlsx file in one pass: cached values, formulas, merged cells.

openpyxl gives either the cached values (data_only=True) or the formulas, each at the cost of a
full parse, and its read-only mode hides merged cells; its parser also builds an element per cell.
A 20,000-row report sheet has close to a million cells, so the sheet itself is read here with
expat, once. openpyxl still reads the package: which sheet, and the shared strings.
"""

import zipfile
from xml.parsers import expat

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import SHEET_MAIN_NS

from schools.importing.cells import FORMULA_WITHOUT_VALUE

CELL, VALUE, FORMULA, ROW, TEXT, PHONETIC, MERGED = (
    f"{SHEET_MAIN_NS} {tag}" for tag in ("c", "v", "f", "row", "t", "rPh", "mergeCell")
)
DIGITS = "0123456789"


class NotExcel(Exception):
    pass


class Sheet:
    """expat handlers that collect `rows` ({row number: [(column, value)]}) and `merged` ranges ("A1:B1")."""

    def __init__(self, shared_strings):
        self.shared_strings = shared_strings
        self.rows, self.merged = {}, []
        self._cells, self._row, self._column = [], 0, 0
        self._type, self._formula = None, False
        self._text, self._collecting, self._phonetic = None, False, False

    def start(self, name, attributes):
        if name == CELL:
            reference = attributes.get("r")
            self._column = (
                column_index_from_string(reference.rstrip(DIGITS)) if reference else self._column + 1
            )
            self._type, self._formula, self._text = attributes.get("t", "n"), False, None
        elif name == VALUE or (name == TEXT and not self._phonetic):
            # A value, or a run of an inline string (rich text has several; phonetic guides are not text).
            self._collecting = True
            if self._text is None:
                self._text = []
        elif name == FORMULA:
            self._formula = True
        elif name == ROW:
            reference = attributes.get("r")
            self._row = int(reference) if reference else self._row + 1
            self._column, self._cells = 0, []
            self.rows[self._row] = self._cells
        elif name == PHONETIC:
            self._phonetic = True
        elif name == MERGED:
            self.merged.append(attributes.get("ref", ""))

    def end(self, name):
        if name == CELL:
            value = self._value("".join(self._text) if self._text else None)
            if value is not None:
                self._cells.append((self._column, value))
        elif name in (VALUE, TEXT):
            self._collecting = False
        elif name == PHONETIC:
            self._phonetic = False

    def data(self, text):
        if self._collecting:
            self._text.append(text)

    def _value(self, text):
        # Like openpyxl, an empty <v/> is no value: openpyxl itself writes formulas that way.
        if not text:
            return FORMULA_WITHOUT_VALUE if self._formula else None
        if self._type == "n":
            try:
                return int(text)
            except ValueError:
                return float(text)
        if self._type == "s":
            return self.shared_strings[int(text)]
        if self._type == "b":
            return text == "1"
        # Text as it stands: "inlineStr", "str" (a formula's text), "e" (an error code such as
        # #DIV/0!), "d" (an ISO date).
        return text


def read_sheet(path):
    """The active worksheet's Sheet (else the first worksheet's); NotExcel when the file is no workbook."""
    try:
        reader = ExcelReader(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError) as error:
        raise NotExcel(error) from None
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        target = _active_worksheet(reader)
        sheet = Sheet(reader.shared_strings)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler, parser.EndElementHandler = sheet.start, sheet.end
        parser.CharacterDataHandler = sheet.data
        with reader.archive.open(target) as source:
            parser.ParseFile(source)
    except (KeyError, OSError, ValueError, IndexError, expat.ExpatError, zipfile.BadZipFile) as error:
        raise NotExcel(error) from None
    finally:
        reader.archive.close()
    return sheet


def _active_worksheet(reader):
    """The path of the worksheet Excel opens on (the admin's import reads that one too)."""
    sheets = [rel for _sheet, rel in reader.parser.find_sheets() if rel.target in reader.valid_files]
    worksheets = [rel for rel in sheets if rel.Type.endswith("/worksheet")]
    if not worksheets:
        raise KeyError("no worksheet")
    views = reader.wb.views
    active = (views[0].activeTab if views else 0) or 0
    if active < len(sheets) and sheets[active] in worksheets:
        return sheets[active].target
    return worksheets[0].target
