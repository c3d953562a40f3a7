"""Rows for the benchmark: many plausible, consistent schools and reports, as plain dicts.

Not the demo city (which is calibrated to the plan's 53 failing schools and limited in size):
here only scale matters, so values are drawn around typical magnitudes.
"""

import random

from schools.fields import REPORT_KEYS

TYPES = (("primary", 0.62), ("junior", 0.25), ("nine_year", 0.13))


def _pick_type(rng):
    roll, total = rng.random(), 0.0
    for school_type, weight in TYPES:
        total += weight
        if roll < total:
            return school_type
    return TYPES[-1][0]


def _level(rng, values, level, class_size):
    classes = rng.randint(6, 36)
    students = classes * rng.randint(class_size - 12, class_size)
    teachers = max(1, round(students / rng.uniform(14, 20)))
    values.update(
        {
            f"students_{level}": students,
            f"classes_{level}": classes,
            f"admissions_{level}": students // 6,
            f"teachers_{level}": teachers,
            f"qualified_above_{level}": round(teachers * rng.uniform(0.5, 0.95)),
            f"mid_title_{level}": round(teachers * rng.uniform(0.3, 0.7)),
            f"backbone_{level}": round(teachers * rng.uniform(0.0, 0.1)),
            f"pe_art_{level}": round(teachers * rng.uniform(0.05, 0.15)),
        }
    )
    return students


def report_row(rng, code, school_type, year):
    values = dict.fromkeys(REPORT_KEYS, 0)
    students = 0
    if school_type in ("primary", "nine_year"):
        students += _level(rng, values, "primary", 45)
    if school_type in ("junior", "nine_year"):
        students += _level(rng, values, "junior", 50)
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


def rows(count, towns, seed=1, year=2012):
    """(school rows, report rows) for `count` schools spread over `towns` (codes)."""
    rng = random.Random(seed)
    schools, reports = [], []
    for index in range(count):
        code = f"39{index:08d}"
        school_type = _pick_type(rng)
        schools.append(
            {
                "code": code,
                "name": f"基准测试学校{index:05d}",
                "school_type": school_type,
                "ownership": "public",
                "area_type": rng.choice(("urban", "town", "rural")),
                "region": towns[index % len(towns)],
            }
        )
        reports.append(report_row(rng, code, school_type, year))
    return schools, reports
