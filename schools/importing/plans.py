"""A plan: what an import would write, row by row, worked out over the whole file before any write."""

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from schools.importing.cells import CellError, is_blank
from schools.importing.columns import IGNORED, column_label
from schools.importing.outcome import Problem

FIRST_DATA_ROW = 2


class Entry(NamedTuple):
    """The instance a row becomes, ready to save; `changed` is False when the row matches the database;
    `changes` maps each changed field to [old, new] as text (for the history)."""

    instance: Any
    is_new: bool
    changed: bool
    changes: dict = {}  # shared default, never mutated


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    # Spreadsheet row number → entry, for the rows without problems.
    entries: dict[int, Entry] = field(default_factory=dict)
    # Column key → index of that column in the file.
    positions: dict[str, int] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)

    def label(self, key, fallback):
        """The column a problem about `key` is reported in: as written in the file, else `fallback`."""
        if key in self.positions:
            return column_label(self.headers, self.positions[key])
        return fallback

    def problems_by_row(self):
        found = {}
        for problem in self.problems:
            found.setdefault(problem.row, []).append(problem)
        return found

    def count(self, *, is_new, changed=True):
        return sum(
            1 for entry in self.entries.values() if entry.is_new == is_new and entry.changed == changed
        )


@dataclass
class Row:
    number: int
    values: dict  # key → parsed value, for the cells that parsed
    bad: bool  # some cell of the row has a problem


def emptiness(table):
    """Why `table` has nothing to import (no header, or no data rows), or None."""
    if all(is_blank(value) for value in table.headers):
        return _("文件是空的：第1行应为表头")
    if all(all(is_blank(value) for value in row) for row in table.rows):
        return _("文件中没有数据行：第1行为表头，数据从第2行开始")
    return None


def start(table, layout, optional=()):
    """Check that the file has data and match its header. Returns a plan and whether rows can be read."""
    plan = Plan(problems=list(table.problems), headers=table.headers)
    empty = emptiness(table)
    if empty:
        plan.problems.append(Problem(None, None, empty))
        return plan, False
    plan.positions, problems = layout.match(table.headers, table.rows, optional)
    plan.problems.extend(problems)
    return plan, True


def read_rows(plan, table, layout):
    """Parse every cell of every non-blank row; each bad cell adds a problem to `plan`."""
    columns = [
        (index, layout.columns[key], column_label(table.headers, index))
        for key, index in plan.positions.items()
        if layout.columns[key].blank is not IGNORED
    ]
    rows = []
    for offset, cells in enumerate(table.rows):
        if all(is_blank(value) for value in cells):
            continue
        number = offset + FIRST_DATA_ROW
        values, bad = {}, False
        for index, column, label in columns:
            try:
                values[column.key] = column.read(cells[index])
            except CellError as error:
                plan.problems.append(Problem(number, label, str(error)))
                bad = True
        rows.append(Row(number, values, bad))
    return rows


def first_rows(plan, rows, key_of, key_column, duplicate_message):
    """The rows whose identity (`key_of(row)`, None when unreadable) is not a repeat of an earlier row's."""
    seen, unique = {}, []
    for row in rows:
        identity = key_of(row)
        if identity is None:
            continue
        if identity in seen:
            plan.problems.append(
                Problem(
                    row.number,
                    plan.label(key_column, key_column),
                    duplicate_message % {"row": seen[identity]},
                )
            )
            row.bad = True
            continue
        seen[identity] = row.number
        unique.append(row)
    return unique
