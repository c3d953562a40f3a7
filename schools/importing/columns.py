"""The columns an import file may have, and matching the file's header row to them.

A header may be a field's key (`books`) or its Chinese title (`图书册数`, the model field's
verbose_name); whitespace anywhere in a header is ignored, as is the case of a key.
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from schools.importing.cells import CellError, is_blank, unreadable
from schools.importing.outcome import Problem

REQUIRED = object()
IGNORED = object()


class Column(NamedTuple):
    key: str
    title: Any  # lazy Chinese title
    parse: Callable[[Any, str], Any] | None
    # The value of a blank cell, REQUIRED, or IGNORED for a column that is read by people only.
    blank: Any = None

    def read(self, value):
        """The value to store for one cell, or CellError."""
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if self.blank is REQUIRED:
                raise CellError(_("不能为空（%(key)s）") % {"key": self.key})
            return self.blank
        error = unreadable(value, self.key)
        if error:
            raise error
        return self.parse(value, self.key)


def normalised(header):
    return "".join(str(header).split()).lower()


def column_label(headers, index):
    """How a problem names a column: its header as written, or its letter when the header is empty."""
    header = headers[index] if index < len(headers) else ""
    return header or get_column_letter(index + 1)


class Layout:
    """The columns one kind of file may have, and which of them it must have."""

    def __init__(self, columns, required=(), aliases=None):
        self.columns = {column.key: column for column in columns}
        self.required = required
        # Other headers users write for a column: normalised header → key.
        self.aliases = aliases or {}

    def title(self, key):
        with translation.override("zh-hans"):
            return str(self.columns[key].title)

    def _names(self):
        names = dict(self.aliases)
        for key, column in self.columns.items():
            names[normalised(key)] = key
            names[normalised(str(column.title))] = key
            names[normalised(self.title(key))] = key
        return names

    def match(self, headers, rows, optional=()):
        """Map each known column key to its index in `headers`.

        Returns (positions, problems): problems for unknown, repeated or missing required
        columns (`optional` lists required keys that may be missing this time), and for data
        under an empty header.
        """
        names = self._names()
        positions, problems = {}, []
        for index, header in enumerate(headers):
            if not header:
                if any(index < len(row) and not is_blank(row[index]) for row in rows):
                    problems.append(Problem(1, column_label(headers, index), _("该列有数据但表头为空")))
                continue
            key = names.get(normalised(header))
            if key is None:
                problems.append(Problem(1, header, _("未知的列“%(header)s”") % {"header": header}))
            elif key in positions:
                problems.append(
                    Problem(
                        1,
                        header,
                        _("与“%(other)s”是同一列（%(key)s）")
                        % {"other": headers[positions[key]], "key": key},
                    )
                )
            else:
                positions[key] = index
        for key in self.required:
            if key not in positions and key not in optional:
                problems.append(
                    Problem(
                        1,
                        None,
                        _("缺少必填列“%(title)s”（%(key)s）") % {"title": self.title(key), "key": key},
                    )
                )
        return positions, problems
