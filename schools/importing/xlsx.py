"""Reading the active sheet of an .xlsx file with the standard library: zipfile and expat.

openpyxl gives either the cached values (data_only=True) or the formulas, each at the cost of a
full parse, its read-only mode hides merged cells, and its parser builds an element per cell. Here
every part of the package is streamed through expat once, and the limits (settings IMPORT_MAX_*)
are checked as it goes: on each part's size before it is unzipped, on each chunk unzipped, on each
cell and shared string as it is parsed. A file claiming a sheet far beyond them is refused at the
first cell beyond, and the rows are kept sparse (a row holds values up to its own last one), so
memory never follows what a file claims. A DOCTYPE is refused: no workbook part has one, and it
is how entity expansion attacks begin.
"""

import lzma
import posixpath
import zipfile
import zlib
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, range_boundaries

from schools.importing.cells import FORMULA_WITHOUT_VALUE

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"
WORKBOOK_TYPES = frozenset(
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "ms-excel.template.macroEnabled",
    )
)
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"

CELL, VALUE, FORMULA, ROW, TEXT, PHONETIC, MERGED, STRING = (
    f"{MAIN} {tag}" for tag in ("c", "v", "f", "row", "t", "rPh", "mergeCell", "si")
)
DIGITS = "0123456789"
CHUNK = 1 << 16
# What a broken package raises on the way: a missing part, a bad number or index, broken XML,
# a corrupt or unsupported zip member (a bad deflate stream, a password, another compression).
BROKEN = (
    KeyError,
    ValueError,
    IndexError,
    expat.ExpatError,
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


class NotExcel(Exception):
    pass


class Sheet:
    """expat handlers that collect `rows` ({row number: [value or None, by column]}) and the
    ranges merged in the header row (`merged`, "A1:B1").

    `last_row` and `width` are the last row and column with a value; each value is checked
    against `limits` before it is kept.
    """

    def __init__(self, shared_strings, limits):
        self.shared_strings, self.limits = shared_strings, limits
        self.rows, self.merged = {}, []
        self.last_row = self.width = 0
        self._row, self._column, self._cells = 0, 0, None
        # Cells and rows without a value (only formatted) are not kept, but each costs parsing
        # and a few bytes compressed can hold millions of them: they are counted against limits too.
        self._blank_cells = self._blank_rows = 0
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
            if self._row < 1:
                raise ValueError(f"row {reference}")
            self._column, self._cells = 0, None
        elif name == PHONETIC:
            self._phonetic = True
        elif name == MERGED:
            # Only merges in the header row matter (readers refuse them); keeping no more than a
            # header can hold bounds what a file of repeated merges costs.
            reference = attributes.get("ref", "")
            if range_boundaries(reference)[1] == 1 and len(self.merged) < self.limits.columns:
                self.merged.append(reference)

    def end(self, name):
        if name == CELL:
            value = self._value("".join(self._text) if self._text else None)
            if value is not None:
                self._keep(value)
            else:
                self._blank_cells += 1
                if self._blank_cells > self.limits.cells:
                    raise self.limits.too_many_blank(cells=True, row=self._row)
        elif name == ROW and self._cells is None:
            self._blank_rows += 1
            if self._blank_rows > self.limits.rows:
                raise self.limits.too_many_blank(cells=False, row=self._row)
        elif name in (VALUE, TEXT):
            self._collecting = False
        elif name == PHONETIC:
            self._phonetic = False

    def data(self, text):
        if self._collecting:
            self._text.append(text)

    def _keep(self, value):
        row, column = self._row, self._column
        if row > self.last_row or column > self.width:
            self.last_row, self.width = max(row, self.last_row), max(column, self.width)
            self.limits.check_cell(row, column, self.last_row, self.width)
        cells = self._cells
        if cells is None:
            cells = self._cells = self.rows.setdefault(row, [])
        missing = column - len(cells)
        if missing == 1:  # the usual case: the next cell of the row
            cells.append(value)
        elif missing > 1:
            cells.extend([None] * (missing - 1))
            cells.append(value)
        else:
            cells[column - 1] = value

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
            index = int(text)
            if index < 0:
                raise IndexError(index)
            return self.shared_strings[index]
        if self._type == "b":
            return text == "1"
        # Text as it stands: "inlineStr", "str" (a formula's text), "e" (an error code such as
        # #DIV/0!), "d" (an ISO date).
        return text


class SharedStrings:
    """expat handlers that collect the shared string table: each <si>'s text, its runs joined,
    without phonetic guides (as openpyxl reads it)."""

    def __init__(self, limits, part):
        self.limits, self.part = limits, part
        self.strings, self._distinct = [], {}
        self._text, self._collecting, self._phonetic = [], False, False

    def start(self, name, attributes):
        if name == TEXT and not self._phonetic:
            self._collecting = True
        elif name == PHONETIC:
            self._phonetic = True
        elif name == STRING:
            self._text = []

    def end(self, name):
        if name == TEXT:
            self._collecting = False
        elif name == PHONETIC:
            self._phonetic = False
        elif name == STRING:
            text = "".join(self._text).replace("x005F_", "")
            # One object per distinct text: a table repeating one string costs a reference per entry.
            self.strings.append(self._distinct.setdefault(text, text))
            self.limits.check_strings(len(self.strings), self.part)

    def data(self, text):
        if self._collecting:
            self._text.append(text)


def read_sheet(path, limits):
    """The active worksheet's Sheet (else the first worksheet's); NotExcel when the file is no
    workbook, FileRejected (from `limits`) when it is beyond them."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise NotExcel(error) from None
    with archive:
        try:
            return _Package(archive, limits).sheet()
        except BROKEN as error:
            raise NotExcel(error) from None


class _Package:
    """The parts of an .xlsx package, each read once through expat within the unzipped budget."""

    def __init__(self, archive, limits):
        self.archive, self.limits = archive, limits
        self.budget = limits.unzipped_bytes

    def sheet(self):
        overrides = self._content_types()
        workbook = next((part for part, kind in overrides.items() if kind in WORKBOOK_TYPES), None)
        if workbook is None:
            raise KeyError("no workbook part")
        relationships = self._relationships(workbook)
        sheets, active = self._workbook(workbook)
        target = self._active_worksheet(sheets, active, relationships)
        strings = next((part for part, kind in overrides.items() if kind == SHARED_STRINGS_TYPE), None)
        shared = SharedStrings(self.limits, strings)
        if strings is not None and strings in self.archive.NameToInfo:
            self._parse(strings, shared.start, shared.end, shared.data)
        sheet = Sheet(shared.strings, self.limits)
        self._parse(target, sheet.start, sheet.end, sheet.data)
        return sheet

    def _content_types(self):
        """{part: content type} of the package's overrides, part names without the leading "/"."""
        overrides = {}

        def start(name, attributes):
            if name == f"{CONTENT_TYPES} Override":
                overrides[attributes["PartName"].lstrip("/")] = attributes["ContentType"]

        self._parse("[Content_Types].xml", start)
        return overrides

    def _relationships(self, part):
        """{id: (type, part)} of `part`'s relationships within the package."""
        folder, name = posixpath.split(part)
        found = {}

        def start(tag, attributes):
            if tag == f"{RELATIONSHIPS} Relationship" and attributes.get("TargetMode") != "External":
                target = attributes["Target"]
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                found[attributes["Id"]] = (attributes["Type"], posixpath.normpath(path))

        self._parse(posixpath.join(folder, "_rels", f"{name}.rels"), start)
        return found

    def _workbook(self, part):
        """The relationship ids of the workbook's sheets, in tab order, and the active tab."""
        sheets, views = [], []

        def start(name, attributes):
            if name == f"{MAIN} sheet":
                sheets.append(attributes[RELATIONSHIP_ID])
            elif name == f"{MAIN} workbookView":
                views.append(int(attributes.get("activeTab", 0)))

        self._parse(part, start)
        return sheets, views[0] if views else 0

    def _active_worksheet(self, sheets, active, relationships):
        """The part of the worksheet Excel opens on (the admin's import reads that one too)."""
        present = [
            relationships[id]
            for id in sheets
            if relationships.get(id, (None, None))[1] in self.archive.NameToInfo
        ]
        worksheets = [part for kind, part in present if kind == WORKSHEET_TYPE]
        if not worksheets:
            raise KeyError("no worksheet")
        if 0 <= active < len(present) and present[active][0] == WORKSHEET_TYPE:
            return present[active][1]
        return worksheets[0]

    def _parse(self, part, start, end=None, data=None):
        """Stream `part` through expat with the given handlers, spending the unzipped budget."""
        info = self.archive.getinfo(part)
        # The size a member claims is checked first, and the bytes it really gives as they come:
        # a member may claim less than it holds.
        if info.file_size > self.budget:
            raise self.limits.too_much_unzipped(part)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if data is not None:
            parser.CharacterDataHandler = data
        with self.archive.open(info) as member:
            while chunk := member.read(CHUNK):
                self.budget -= len(chunk)
                if self.budget < 0:
                    raise self.limits.too_much_unzipped(part)
                parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _refuse_doctype(*_declaration):
    raise ValueError("DOCTYPE in a workbook part")
