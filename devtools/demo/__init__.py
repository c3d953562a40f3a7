"""A synthetic demo city: a school registry and two years of annual reports, as plain data.

No database here. Values are built from the per-school standard's own thresholds, read from
its fixture and chosen by the compliance engine (`standards.calc`), so that in the baseline
year exactly `failing_count(n)` schools fail two or more items by clear margins while every
other school fails at most one; the follow-up year shows partial rectification (PLAN-T4:
computers and books topped up at every problem school; about half of them then pass).
`generate()` has the engine evaluate every report and raises if the construction missed.
"""

import random
from dataclasses import dataclass

from devtools.demo.registry import BASE_SCHOOLS, fail_plans, failing_count, registry
from devtools.demo.reports import baseline, follow_up
from devtools.demo.standard import COUNTY_CODE, load_standard, load_towns
from schools.fields import REPORT_KEYS

BASELINE, FOLLOW_UP = 2012, 2013
DEFAULT_SEED = 2013
MIN_SCHOOLS, MAX_SCHOOLS = 20, 9999

__all__ = [
    "BASELINE",
    "COUNTY_CODE",
    "DEFAULT_SEED",
    "FOLLOW_UP",
    "MAX_SCHOOLS",
    "MIN_SCHOOLS",
    "DemoCity",
    "failing_count",
    "generate",
    "load_standard",
]


@dataclass
class DemoCity:
    schools: list  # registry rows keyed as in docs/fields.md (code, name, school_type, …)
    reports: dict  # year → report rows: school_code, year and every report key
    failing: dict  # year → codes of the schools that break the pass rule (fail too many items)


def generate(n_schools=BASE_SCHOOLS, seed=DEFAULT_SEED, standard=None, towns=None):
    """The demo city of `n_schools` schools; the same seed always gives the same city."""
    if not MIN_SCHOOLS <= n_schools <= MAX_SCHOOLS:
        raise ValueError(f"n_schools must be between {MIN_SCHOOLS} and {MAX_SCHOOLS}")
    rng = random.Random(seed)
    standard = standard or load_standard()
    schools = registry(rng, n_schools, towns or load_towns())
    plans = fail_plans(rng, standard, schools)
    reports, failing = {BASELINE: [], FOLLOW_UP: []}, {BASELINE: [], FOLLOW_UP: []}
    for school in schools:
        fails, group = plans[school["code"]]
        first = baseline(rng, standard, school, fails)
        second, still = follow_up(rng, standard, school, first, fails, group)
        for year, values, expected in ((BASELINE, first, fails), (FOLLOW_UP, second, still)):
            unit = standard.evaluate(school, values)
            found = {item.indicator.code for item in unit.items if item.passed is False}
            if found != expected:
                raise RuntimeError(f"demo construction missed: {school['code']} {year} {found} {expected}")
            row = {"school_code": school["code"], "year": year}
            reports[year].append(row | {key: values.get(key) for key in REPORT_KEYS})
            if not unit.passed_rule:
                failing[year].append(school["code"])
    return DemoCity(schools, reports, failing)
