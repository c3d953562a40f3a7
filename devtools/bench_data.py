"""Rows for the benchmark: many plausible, consistent schools and reports, as plain dicts.

Not the demo city (which is calibrated to the plan's 53 failing schools and limited in size):
here only scale matters, and every path of the engine must be taken. So besides primary, junior
and nine-year schools there are twelve-year and complete middle schools (split by level, senior
included), private schools, teaching points under a parent school (some below any minimum of
students), and values set exactly at their threshold. Everything follows from the seed.
"""

import math
import random
from decimal import Decimal

from schools.fields import COUNT_KEYS, REPORT_KEYS, contradictions
from schools.levels import COMPULSORY_LEVELS, TYPE_LEVELS
from standards.calc.thresholds import pick_threshold

TYPES = (
    ("primary", 0.52),
    ("junior", 0.2),
    ("nine_year", 0.13),
    ("twelve_year", 0.05),
    ("complete_middle", 0.1),
)
PRIVATE = 0.07
TEACHING_POINT = 0.08
TIE = 0.05  # of reports, one value exactly at its threshold
PARENT_TYPES = ("primary", "nine_year", "twelve_year")
CENT = Decimal("0.01")


def _pick_type(rng):
    roll, total = rng.random(), 0.0
    for school_type, weight in TYPES:
        total += weight
        if roll < total:
            return school_type
    return TYPES[-1][0]


def _level(rng, values, level, class_size, classes):
    students = classes * rng.randint(class_size - 12, class_size)
    teachers = max(1, round(students / rng.uniform(14, 20)))
    figures = {
        f"students_{level}": students,
        f"classes_{level}": classes,
        f"admissions_{level}": students // 6,
        f"teachers_{level}": teachers,
        f"qualified_above_{level}": round(teachers * rng.uniform(0.5, 0.95)),
        f"mid_title_{level}": round(teachers * rng.uniform(0.3, 0.7)),
        f"backbone_{level}": round(teachers * rng.uniform(0.0, 0.1)),
        f"pe_art_{level}": round(teachers * rng.uniform(0.05, 0.15)),
    }
    # The senior level keeps students, classes and teachers only.
    values.update({key: value for key, value in figures.items() if key in values})
    return students


def report_row(rng, code, school_type, year, teaching_point=False):
    values = dict.fromkeys(REPORT_KEYS, 0)
    students = 0
    for level in TYPE_LEVELS[school_type]:
        if teaching_point:  # one to six small classes
            students += _level(rng, values, level, 25, rng.randint(1, 6))
        else:
            students += _level(rng, values, level, 45 if level == "primary" else 50, rng.randint(6, 36))
    site = round(students * rng.uniform(12, 26), 2)
    building = round(students * rng.uniform(5, 9), 2)
    green = round(site * rng.uniform(0.2, 0.35), 2)
    values.update(
        {
            "choice_admissions": 0,
            "migrant_students": students // 5,
            "site_area": site,
            "green_area": green,
            "concentrated_green_area": round(green * rng.uniform(0.3, 0.7), 2),
            "sports_ground_area": round(site * rng.uniform(0.2, 0.4), 2),
            "building_area": building,
            "teaching_aux_area": round(building * rng.uniform(0.45, 0.65), 2),
            "gym_area": round(building * rng.uniform(0.0, 0.1), 2),
            "equipment_value": round(students * rng.uniform(600, 1500), 2),
            "computers": round(students * rng.uniform(0.06, 0.16)),
            "books": round(students * rng.uniform(18, 40)),
            "multimedia_classrooms": round(students / rng.uniform(35, 60)),
            "teacher_payroll": None,
            "public_funds": None,
            "training_funds": None,
            "pe_hour_met": None,
            "health_pass_rate": None,
        }
    )
    return {"school_code": code, "year": year, **values}


def _dec(value):
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value or 0)


def _tie_target(indicator, values, school_type, area_type, level):
    """(key, value) putting `indicator` exactly at its threshold for the unit — the whole school
    (`level` None) or one level part — or None when no threshold applies or the value would not
    be storable exactly (a fraction of a count, a thousandth of a m²) or would be shared out."""
    taught = TYPE_LEVELS[school_type]
    if level is None:
        levels, applies_to = indicator.levels_within(taught), school_type
        classes = sum(values[f"classes_{each}"] for each in taught)
    else:
        if indicator.levels and level not in indicator.levels:
            return None
        levels, applies_to, classes = (level,), level, values[f"classes_{level}"]
        if len(taught) > 1 and any(
            "{level}" not in key for key in indicator.denominator + indicator.numerator
        ):
            return None  # a shared key is split between levels by an inexact share
    numerator = [key.format(level=each) for key in indicator.numerator for each in levels]
    denominator = {key.format(level=each) for key in indicator.denominator for each in levels}
    if len(set(numerator)) != 1 or not levels:
        return None
    total = sum(_dec(values[key]) for key in denominator)
    chosen = pick_threshold(indicator.thresholds, applies_to, classes, area_type)
    if not total or chosen is None:
        return None
    key, target = numerator[0], chosen.value * total / indicator.scale
    if key in COUNT_KEYS:
        return (key, int(target)) if target == target.to_integral_value() else None
    return (key, target.quantize(CENT)) if target == target.quantize(CENT) else None


def place_tie(rng, report, school_type, area_type, standards):
    """Set one value of `report` exactly at its threshold, for an indicator of one of
    `standards` ((indicator specs, by level) pairs) where that can be stored exactly and keeps the
    report free of contradictions. Returns whether a tie was placed."""
    indicators, by_level = rng.choice(standards)
    level = None
    if by_level:
        taught = [each for each in TYPE_LEVELS[school_type] if each in COMPULSORY_LEVELS]
        level = rng.choice(taught) if taught else None
        if level is None:
            return False
    targets = [_tie_target(indicator, report, school_type, area_type, level) for indicator in indicators]
    targets = [target for target in targets if target is not None]
    rng.shuffle(targets)
    for key, value in targets:
        kept = report[key]
        report[key] = value
        if not contradictions(report, school_type):
            return True
        report[key] = kept
    return False


def rows(count, towns, seed=1, year=2012, ties=(), prefix="39", first=0):
    """(school rows, report rows, reports with a tie) for `count` schools spread over `towns`
    (codes); school codes are `prefix` and the index from `first`. `ties`: (indicator specs, by
    level) pairs whose thresholds some values are set exactly at."""
    rng = random.Random(seed)
    schools, reports, tied = [], [], 0
    parents = {town: [] for town in towns}
    for index in range(first, first + count):
        code = f"{prefix}{index:08d}"
        town = towns[index % len(towns)]
        roll = rng.random()
        teaching_point = roll < TEACHING_POINT and bool(parents[town])
        school_type = "primary" if teaching_point else _pick_type(rng)
        row = {
            "code": code,
            "name": f"基准测试学校{index:05d}",
            "school_type": school_type,
            "ownership": "public",
            "area_type": "rural" if teaching_point else rng.choice(("urban", "town", "rural")),
            "region": town,
            "teaching_point": teaching_point,
            "parent_code": rng.choice(parents[town]) if teaching_point else None,
        }
        if not teaching_point and roll > 1 - PRIVATE:
            row["ownership"] = "private"
        elif not teaching_point and school_type in PARENT_TYPES:
            parents[town].append(code)
        schools.append(row)
        report = report_row(rng, code, school_type, year, teaching_point)
        if ties and rng.random() < TIE:
            tied += place_tie(rng, report, school_type, row["area_type"], ties)
        reports.append(report)
    return schools, reports, tied


def county_sizes(total, lowest=60, highest=3000):
    """Sizes of the fewest counties that hold `total` schools at most `highest` each, skewed: most
    at `highest`, a tail of smaller ones down to `lowest` (sizes rise with the square of the rank
    up to a bend found for the total). Sorted, summing to `total` exactly."""
    counties = max(2, math.ceil(total / (highest * 0.93)))
    lowest = min(lowest, total // counties)
    highest = max(highest, math.ceil(total / counties))

    def sizes(bend):
        ranks = ((i + 0.5) / counties for i in range(counties))
        return [int(lowest + (highest - lowest) * min(1.0, rank / bend) ** 2) for rank in ranks]

    low, high = 1e-9, 1e9  # the sum falls as the bend moves right: bisect for the total
    for _ in range(200):
        middle = math.sqrt(low * high)
        low, high = (middle, high) if sum(sizes(middle)) > total else (low, middle)
    found = sizes(high)
    for i in reversed(range(counties)):  # what the rounding left, onto those with room
        extra = min(total - sum(found), highest - found[i])
        found[i] += extra
    return found
