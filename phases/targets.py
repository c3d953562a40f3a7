"""The city's own targets (PLAN-R1, R3, R5, R7, R8) from one year's approved reports: plain
numbers in, exact verdicts out. No ORM.

Each measure sums figures over the schools it is given (the approved reports of one year) and
compares the result with the target's threshold in exact rational arithmetic, so that a value
exactly at its threshold passes and no rounding decides a verdict. Values are rounded (two
decimals, half up) for display only. A measure whose denominator is 0 has no value and no
verdict ("no data"), never a pass.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

LTE, GTE = "lte", "gte"
ENTERED = "entered"
COMPULSORY = ("primary", "junior")
HUNDRED = 100


@dataclass(frozen=True)
class SchoolFigures:
    """One school's approved report of the year: its attributes and raw values (key → number,
    None where the report left a field blank)."""

    code: str
    name: str
    school_type: str
    ownership: str
    values: dict


@dataclass(frozen=True)
class TargetSpec:
    """What a target measures and what passes. `school_limit` and `school_types` are read by the
    school-size measure only."""

    measure: str
    comparison: str
    threshold: Decimal
    school_limit: int | None = None
    school_types: tuple = ()


@dataclass(frozen=True)
class SchoolRow:
    """One school's own figure in a per-school check (its training funds against its payroll,
    its students against the size limit)."""

    code: str
    name: str
    numerator: Decimal
    denominator: Decimal
    value: Decimal | None
    passed: bool | None
    shortfall: Decimal | None = None


@dataclass(frozen=True)
class Measured:
    """A target's value for one year. `exact` is the rational value (None: no data), `value` the
    same rounded for display; `counted` schools entered the figure, `missing` left its fields
    blank; `schools` holds per-school rows where the measure has them."""

    exact: Fraction | None
    passed: bool | None
    numerator: Decimal
    denominator: Decimal | None
    counted: int
    missing: int = 0
    schools: tuple = ()

    @property
    def value(self):
        return None if self.exact is None else display(self.exact)

    @property
    def failing(self):
        return tuple(row for row in self.schools if row.passed is False)


def display(value, places=2):
    """`value` (a Fraction, ≥ 0 or not) rounded half up (away from zero) to `places` decimals."""
    sign = -1 if value < 0 else 1
    scaled = abs(value) * 10**places + Fraction(1, 2)
    return Decimal(sign * (scaled.numerator // scaled.denominator)).scaleb(-places)


def meets(value, comparison, threshold):
    """Whether `value` (exact) passes `threshold` (Decimal) under `comparison`; None for no value."""
    if value is None:
        return None
    limit = Fraction(threshold)
    return value <= limit if comparison == LTE else value >= limit


def _num(value):
    return 0 if value is None else value


def _students(school):
    return sum(_num(school.values.get(f"students_{level}")) for level in COMPULSORY)


def _ratio(numerator, denominator, scale=HUNDRED):
    if not denominator:
        return None
    return Fraction(numerator) * scale / Fraction(denominator)


def _result(spec, exact, numerator, denominator, counted, missing=0, schools=()):
    return Measured(
        exact=exact,
        passed=meets(exact, spec.comparison, spec.threshold),
        numerator=Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
        counted=counted,
        missing=missing,
        schools=tuple(schools),
    )


def choice_share(spec, schools):
    """PLAN-R3: Σ choice admissions ÷ Σ (primary + junior admissions) × 100."""
    numerator = sum(_num(s.values.get("choice_admissions")) for s in schools)
    denominator = sum(
        _num(s.values.get("admissions_primary")) + _num(s.values.get("admissions_junior")) for s in schools
    )
    return _result(spec, _ratio(numerator, denominator), numerator, denominator, len(schools))


def migrant_public_share(spec, schools):
    """PLAN-R8: Σ migrant children at public schools ÷ Σ migrant children at all schools × 100."""
    numerator = sum(_num(s.values.get("migrant_students")) for s in schools if s.ownership == "public")
    denominator = sum(_num(s.values.get("migrant_students")) for s in schools)
    return _result(spec, _ratio(numerator, denominator), numerator, denominator, len(schools))


def _short(spec, funds, base):
    """The training funds a school lacks to reach the threshold share of `base`, in yuan, rounded
    up to the fen (for an "at most" target, what it spends above it)."""
    gap = abs(Fraction(spec.threshold) * Fraction(base) / HUNDRED - Fraction(funds)) * HUNDRED
    return Decimal(-(-gap.numerator // gap.denominator)).scaleb(-2)


def _training(key):
    def measure(spec, schools):
        """PLAN-R7: Σ training funds ÷ Σ `key` × 100 over the schools that reported both, and
        each such school's own share against the same threshold."""
        numerator = denominator = Decimal(0)
        rows, missing = [], 0
        for school in schools:
            funds, base = school.values.get("training_funds"), school.values.get(key)
            if funds is None or base is None:
                missing += 1
                continue
            numerator += funds
            denominator += base
            own = _ratio(funds, base)
            passed = meets(own, spec.comparison, spec.threshold)
            rows.append(
                SchoolRow(
                    school.code,
                    school.name,
                    Decimal(funds),
                    Decimal(base),
                    None if own is None else display(own),
                    passed,
                    _short(spec, funds, base) if passed is False else None,
                )
            )
        exact = _ratio(numerator, denominator)
        return _result(spec, exact, numerator, denominator, len(rows), missing, rows)

    measure.__name__ = f"training_{key}_share"
    return measure


def oversize_classes(spec, schools):
    """PLAN-R1: Σ classes above the class-size limit; the schools that have any are listed."""
    rows = [
        SchoolRow(
            s.code,
            s.name,
            Decimal(s.values["oversize_classes"]),
            Decimal(0),
            Decimal(s.values["oversize_classes"]),
            False,
        )
        for s in schools
        if _num(s.values.get("oversize_classes"))
    ]
    total = sum(row.numerator for row in rows)
    exact = Fraction(total) if schools else None
    return _result(spec, exact, total, None, len(schools), schools=rows)


def school_size(spec, schools):
    """PLAN-R1: how many schools of `spec.school_types` (every type when empty) have more
    compulsory students (primary + junior) than `spec.school_limit`; those schools are listed."""
    if spec.school_limit is None:
        return _result(spec, None, 0, None, 0)
    types = set(spec.school_types)
    eligible = [s for s in schools if not types or s.school_type in types]
    limit = Decimal(spec.school_limit)
    rows = [
        SchoolRow(s.code, s.name, Decimal(_students(s)), limit, Decimal(_students(s)), False)
        for s in eligible
        if _students(s) > limit
    ]
    exact = Fraction(len(rows)) if eligible else None
    return _result(spec, exact, len(rows), None, len(eligible), schools=rows)


def pe_hour(spec, schools):
    """PLAN-R5: schools where the daily hour of physical activity is met ÷ schools that answered
    × 100; a school that left it blank is not counted either way."""
    answered = [s for s in schools if s.values.get("pe_hour_met") is not None]
    numerator = sum(1 for s in answered if s.values["pe_hour_met"])
    missing = len(schools) - len(answered)
    return _result(spec, _ratio(numerator, len(answered)), numerator, len(answered), len(answered), missing)


def health_pass_rate(spec, schools):
    """PLAN-R5: the students' physical-health pass rate, each school's rate weighted by its
    compulsory students: Σ rate × students ÷ Σ students over the schools that gave a rate."""
    numerator = denominator = 0
    counted = missing = 0
    for school in schools:
        rate = school.values.get("health_pass_rate")
        if rate is None:
            missing += 1
            continue
        students = _students(school)
        if students:
            numerator += Decimal(rate) * students
            denominator += students
            counted += 1
    return _result(spec, _ratio(numerator, denominator, 1), numerator, denominator, counted, missing)


MEASURES = {
    "choice_share": choice_share,
    "migrant_public_share": migrant_public_share,
    "training_payroll_share": _training("teacher_payroll"),
    "training_public_funds_share": _training("public_funds"),
    "oversize_classes": oversize_classes,
    "school_size": school_size,
    "pe_hour": pe_hour,
    "health_pass_rate": health_pass_rate,
}
# The report fields the measures read.
KEYS = (
    "students_primary",
    "students_junior",
    "admissions_primary",
    "admissions_junior",
    "choice_admissions",
    "migrant_students",
    "teacher_payroll",
    "public_funds",
    "training_funds",
    "oversize_classes",
    "pe_hour_met",
    "health_pass_rate",
)


def measure(spec, schools):
    """The target's value over `schools` (SchoolFigures of one year's approved reports)."""
    return MEASURES[spec.measure](spec, schools)


def entered(spec, value):
    """An entered target's value for a year (a Decimal, or None when the bureau entered none)."""
    exact = None if value is None else Fraction(value)
    return _result(spec, exact, 0 if value is None else value, None, 0)
