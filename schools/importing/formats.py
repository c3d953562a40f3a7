"""The admin's import formats, reading files exactly as the commands do.

tablib's own readers refuse a sheet whose rows end early (cells left blank at the end of a row,
common in real files), decode CSV only as UTF-8 and lose merged header cells and formulas without
values. These read through `read_table`, and hand the table (with any reading problems) to the
import resource with the dataset.
"""

import tempfile
from pathlib import Path

from import_export.formats.base_formats import CSV, XLSX

from schools.importing.outcome import FileRejected
from schools.importing.plans import emptiness
from schools.importing.readers import read_table


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


class TableCSV(CSV):
    """Read as bytes, so that UTF-8 (with or without BOM) and GB18030 files both work."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return _dataset(in_stream, ".csv")
