"""What an import reports back: its problems, each tied to a row and column of the file, and its counts."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


class Problem(NamedTuple):
    """One thing wrong with an import file.

    `row` is the spreadsheet row number (header = 1) and `column` the header as written in the
    file; either is None when the problem is not tied to one (an unreadable file, a missing column).
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        # The "row N, column X: " prefix is a fixed format that scripts read; only the message is translated.
        if self.row is None:
            return self.message
        if self.column is None:
            return f"row {self.row}: {self.message}"
        return f"row {self.row}, column {self.column}: {self.message}"

    def describe(self):
        """The problem as a page shows it, in the active language: "第3行，图书册数列：…"."""
        if self.row is None:
            return self.message
        if self.column is None:
            return _("第%(row)d行：%(message)s") % {"row": self.row, "message": self.message}
        return _("第%(row)d行，%(column)s列：%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class FileRejected(Exception):
    """The file cannot be read as a table at all (wrong type, undecodable text)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Ids of the reports created or changed (empty on a dry run or for schools).
    written_ids: list[int] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def summary(self, noun):
        """The one-line result, e.g. "学校：新增 3，更新 1，未变 0"."""
        return _("%(noun)s：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d") % {
            "noun": noun,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def report_to_command(command, outcome, *, noun, dry_run, verbosity):
    """Print an outcome as the commands do: each problem on stderr then CommandError, or the summary."""
    if outcome.problems:
        for problem in outcome.problems:
            command.stderr.write(str(problem))
        raise CommandError(_("导入失败：共%(n)d个问题，未写入任何数据") % {"n": len(outcome.problems)})
    if verbosity:
        if dry_run:
            command.stdout.write(_("试运行：只检查，未写入任何数据"))
        command.stdout.write(outcome.summary(noun))
