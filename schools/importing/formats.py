"""The admin's import and export formats, reading files exactly as the commands do.

tablib's own readers refuse a sheet whose rows end early (cells left blank at the end of a row,
common in real files), decode CSV only as UTF-8 and lose merged header cells and formulas without
values. These read through `read_table`, and hand the table (with any reading problems) to the
import resource with the dataset.

tablib's writers turn text starting with "=" into a live formula (.xlsx) or write it raw (CSV).
These write formula-like text as escaping.py says, so that the file is safe to open and imports again
unchanged. The library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is no help: it drops the "="
(the name comes back changed), leaves "+", "-" and "@" alone, and turns every number into text.
"""

import tempfile
from pathlib import Path

import tablib
from import_export.formats.base_formats import CSV, XLSX

from schools.importing.escaping import csv_text
from schools.importing.outcome import FileRejected
from schools.importing.plans import emptiness
from schools.importing.readers import read_table
from schools.spreadsheets import append_rows, new_sheet, workbook_bytes


class ImportFileError(ValueError):
    """The file cannot be read at all; the admin shows the message."""


def _dataset(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        try:
            table = read_table(path)
        except FileRejected as rejected:
            raise ImportFileError(rejected.message) from None
    if not table.rows:
        # The admin answers an empty dataset with a message of its own, in English: say why here.
        raise ImportFileError(emptiness(table))
    dataset = table.as_dataset()
    dataset.source_table = table
    return dataset


class TableXLSX(XLSX):
    def create_dataset(self, in_stream):
        return _dataset(in_stream, ".xlsx")

    def export_data(self, dataset, **kwargs):
        workbook, sheet = new_sheet(dataset.title or "Sheet1", dataset.headers or [])
        append_rows(sheet, dataset, len(dataset.headers or []))
        return workbook_bytes(workbook)


class TableCSV(CSV):
    """Read as bytes, so that UTF-8 (with or without BOM) and GB18030 files both work."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return _dataset(in_stream, ".csv")

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(
            *([csv_text(value) for value in row] for row in dataset), headers=dataset.headers
        )
        # With a byte-order mark, or Excel reads the Chinese as another encoding.
        return "\ufeff" + escaped.export(self.get_title(), **kwargs)
