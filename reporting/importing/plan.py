"""Planning an import of annual reports: every check, against the file and the database, before any write."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.rules import Checker
from reporting.selectors import error_rules
from schools import fields
from schools.importing import cells
from schools.importing.columns import IGNORED, REQUIRED, Column, Layout, normalised
from schools.importing.outcome import Problem
from schools.importing.plans import FIRST_DATA_ROW, Entry, first_rows, read_rows, start
from schools.models import AnnualReport, School

ZERO = Decimal("0.00")
# How each kind of report field is read, and what a blank cell means.
KINDS = (
    (fields.COUNT_KEYS, cells.count, 0),
    (fields.AREA_KEYS + fields.MONEY_KEYS, cells.amount, ZERO),
    (fields.OPTIONAL_MONEY_KEYS, cells.amount, None),
    (fields.BOOL_KEYS, cells.yes_no, None),
    (fields.PERCENT_KEYS, cells.percent, None),
)
BLANK_REPORT = {key: blank for keys, _parse, blank in KINDS for key in keys}


def report_layout():
    def title(key):
        return AnnualReport._meta.get_field(key).verbose_name

    columns = [
        Column("school_code", gettext_lazy("学校标识码"), cells.school_code, REQUIRED),
        # Sheets repeat the school's name for the reader; the code identifies the school.
        Column("name", School._meta.get_field("name").verbose_name, None, IGNORED),
        Column("year", title("year"), cells.year, None),
        *(Column(key, title(key), parse, blank) for keys, parse, blank in KINDS for key in keys),
    ]
    return Layout(columns, required=("school_code", "year"), aliases={normalised("code"): "school_code"})


def plan_reports(table, *, year=None, blank_keeps=False):
    """The plan of importing `table` as approved reports; `year` applies to rows without one.

    A blank figure cell means its blank value (0 for counts and amounts), as the template says;
    with `blank_keeps`, it keeps the stored report's value instead, as a column left out does
    (a school's upload into its draft: a file with four cells filled changes four figures).
    """
    layout = report_layout()
    plan, readable = start(table, layout, optional=("year",) if year else ())
    if not readable or "school_code" not in plan.positions or ("year" not in plan.positions and not year):
        return plan
    unfilled = _unfilled_rows(plan, table)
    rows = [row for row in read_rows(plan, table, layout) if row.number not in unfilled]
    if blank_keeps:
        for row in rows:
            _forget_blank_figures(plan, table, row)
    for row in rows:
        _settle_year(plan, row, year)
    rows = first_rows(
        plan,
        rows,
        _identity,
        "school_code",
        _("同一学校同一年度的年报与第%(row)d行重复（school_code, year）"),
    )
    schools = {school.code: school for school in School.objects.only("pk", "code", "name", "school_type")}
    checker = Checker(error_rules())
    years = {row.values["year"] for row in rows}
    stored = {
        (report.school_id, report.year): report for report in AnnualReport.objects.filter(year__in=years)
    }
    found = []
    for row in rows:
        school = schools.get(row.values["school_code"])
        if school is None:
            message = _("学校标识码“%(code)s”不在学校名录中，请先导入学校（school_code）")
            plan.problems.append(
                Problem(
                    row.number,
                    plan.label("school_code", "school_code"),
                    message % {"code": row.values["school_code"]},
                )
            )
            continue
        if row.bad:
            # Cells that parsed are still checked on their own; checks across cells would mislead.
            for key, message in checker.field_problems(_report_values(row), school.school_type):
                plan.problems.append(Problem(row.number, plan.label(key, layout.title(key)), message))
            continue
        existing = stored.get((school.pk, row.values["year"]))
        values = {**(existing.values() if existing else BLANK_REPORT), **_report_values(row)}
        for key, message in checker.blocking(values, school.school_type):
            plan.problems.append(Problem(row.number, plan.label(key, layout.title(key)), message))
        found.append((row, school, existing, values))
    plan.problems.sort(key=lambda problem: problem.row or 0)
    if not plan.problems:
        for row, school, existing, values in found:
            plan.entries[row.number] = _entry(school, row.values["year"], existing, values)
    return plan


def _unfilled_rows(plan, table):
    """Rows that name a school (and year) but leave every figure blank, as in a downloaded template
    a school did not fill in: skipped like blank rows, never imported as a report of zeros."""
    figures = [index for key, index in plan.positions.items() if key in fields.REPORT_KEYS]
    if not figures:
        return set()
    return {
        offset + FIRST_DATA_ROW
        for offset, row in enumerate(table.rows)
        if all(cells.is_blank(row[index]) for index in figures if index < len(row))
    }


def _forget_blank_figures(plan, table, row):
    """Drop from `row` the figures whose cells are blank, so that the stored values stay."""
    cells_of_row = table.rows[row.number - FIRST_DATA_ROW]
    for key, index in plan.positions.items():
        if key in fields.REPORT_KEYS and (index >= len(cells_of_row) or cells.is_blank(cells_of_row[index])):
            row.values.pop(key, None)


def _identity(row):
    code, year = row.values.get("school_code"), row.values.get("year")
    return (code, year) if code and year else None


def _settle_year(plan, row, year):
    """The row's year from its cell or from `year`; a problem when they disagree or both are missing."""
    if "year" in plan.positions and "year" not in row.values:
        return  # the cell itself is wrong, already reported
    written = row.values.get("year")
    label = plan.label("year", "year")
    if written is None and year is None:
        plan.problems.append(Problem(row.number, label, _("不能为空（year）")))
        row.bad = True
    elif written is not None and year is not None and written != year:
        message = _("年度%(written)d与命令行指定的年度（--year %(year)d）不一致（year）")
        plan.problems.append(Problem(row.number, label, message % {"written": written, "year": year}))
        row.bad = True
    else:
        row.values["year"] = written or year


def _report_values(row):
    return {key: value for key, value in row.values.items() if key in BLANK_REPORT}


def _text(value):
    return None if value is None else str(value)


def _entry(school, year, existing, values):
    if existing is None:
        report = AnnualReport(school=school, year=year, status=AnnualReport.Status.APPROVED, **values)
        return Entry(report, True, True)
    changes = {
        key: [_text(getattr(existing, key)), _text(value)]
        for key, value in values.items()
        if getattr(existing, key) != value
    }
    if existing.status != AnnualReport.Status.APPROVED:
        changes["status"] = [existing.status, AnnualReport.Status.APPROVED]
    if changes:
        for key, value in values.items():
            setattr(existing, key, value)
        existing.status = AnnualReport.Status.APPROVED
        # Stored compliance records the revision it was computed from: a new one marks it stale.
        existing.revision += 1
    existing.school = school  # for the row's description, without a query
    return Entry(existing, False, bool(changes), changes)
