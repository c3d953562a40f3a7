"""A generated demo province: many counties, each with its towns, schools and three years of
reports, as plain data (no database here).

Not the Yueqing demo city (which is calibrated to the plan's 53 failing schools): here the
point is many counties of very different sizes, so that every county's balance can be read at
once. Everything is generated and marked so: the province, its prefectures and counties carry
"（演示）" in their names and codes under 93 (no real province has that code), so that nothing is
mistaken for, or collides with, the real registry (Yueqing's schools start with 330382).

Sizes are skewed like a real province's: most counties small, a few large (a Pareto draw cut to
the bounds). The same seed always gives the same province.
"""

import math
import random
from dataclasses import dataclass

from schools.fields import REPORT_KEYS

YEARS = (2011, 2012, 2013)
PROVINCE_CODE, PROVINCE_NAME = "930000", "浙江省（演示）"
# The eleven prefectures of a Zhejiang-like province and how many counties each has (90 in all).
PREFECTURES = (
    ("杭州", 13),
    ("宁波", 10),
    ("温州", 12),
    ("嘉兴", 7),
    ("湖州", 5),
    ("绍兴", 6),
    ("金华", 9),
    ("衢州", 6),
    ("舟山", 4),
    ("台州", 9),
    ("丽水", 9),
)
FULL_COUNTIES = sum(count for _name, count in PREFECTURES)
MIN_SCHOOLS, MAX_SCHOOLS = 60, 3000
# Fewest schools a county keeps however small the scale: one of each kind the balance needs.
FLOOR = 4
# The Pareto tail of county sizes: about one county in 25 above 1,000 schools.
ALPHA = 1.1
# School types and their shares; a teaching point is a small primary school with a parent.
TYPES = (
    ("primary", 0.55),
    ("junior", 0.2),
    ("nine_year", 0.12),
    ("complete_middle", 0.08),
    ("twelve_year", 0.05),
)
NAMES = {
    "primary": "小学",
    "junior": "中学",
    "nine_year": "学校",
    "complete_middle": "完全中学",
    "twelve_year": "十二年一贯制学校",
}
SYLLABLES = "东西南北新安平清龙凤石桥溪山湖塘田港岭城江河泉林桂华兴宁丰仁和"
TOWN_KINDS = (("street", "街道", 0.2), ("town", "镇", 0.55), ("township", "乡", 0.25))
NUMERALS = "一二三四五六七八九"


@dataclass
class DemoProvince:
    regions: list  # {code, name, kind, parent (code or None)}, parents before children
    counties: list  # codes of the counties, in order
    schools: dict  # county code → registry rows keyed as in docs/fields.md
    reports: dict  # year → report rows: school_code, year and every report key

    def school_count(self):
        return sum(len(rows) for rows in self.schools.values())


def bounds(scale):
    """(fewest, most) schools a county has at `scale`."""
    low = max(FLOOR, round(MIN_SCHOOLS * scale))
    return low, max(low, round(MAX_SCHOOLS * scale))


def _numeral(k):
    tens, ones = divmod(k, 10)
    head = "" if not tens else "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def _allocate(total, weights):
    """Largest-remainder split of `total` over `weights` (some may get none)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (int(raw[i]) - raw[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _size(rng, low, high):
    """A county's number of schools: most near `low`, a few up to `high`."""
    return min(high, math.floor(low * (1 - rng.random()) ** (-1 / ALPHA)))


def _pick(rng, table):
    roll = rng.random()
    for value, *rest in table:
        roll -= rest[-1]
        if roll < 0:
            return value, *rest[:-1]
    return table[-1][:-1]


def _towns(rng, county_code, county_name, n_schools):
    """The county's town-level regions: about one per 15 schools, 3 to 40."""
    count = min(40, max(3, round(n_schools / 15)))
    towns, used = [], set()
    for k in range(1, count + 1):
        name = ""
        while not name or name in used:
            name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
        used.add(name)
        kind, suffix = _pick(rng, TOWN_KINDS)
        towns.append(
            {"code": f"{county_code}{k:03d}", "name": name + suffix, "kind": kind, "parent": county_code}
        )
    return towns


def _schools(rng, county_code, towns, n):
    rows, parents, counters = [], {}, {}
    points = max(0, round(n * 0.05))
    for i in range(n):
        town = towns[i % len(towns)]
        code = f"{county_code}{i + 1:04d}"
        point = i >= n - points and town["code"] in parents
        kind = "primary" if point else _pick(rng, TYPES)[0]
        private = not point and kind != "twelve_year" and rng.random() < 0.06
        area = (
            "rural"
            if point or town["kind"] == "township"
            else "urban"
            if town["kind"] == "street"
            else "town"
        )
        short = town["name"][:2]
        label = ("民办" if private else "") + NAMES[kind]
        counters[short, label] = number = counters.get((short, label), 0) + 1
        if point:
            name = f"{parents[town['code']][1]}教学点{number}"
        else:
            name = f"{short}第{_numeral(number) if number < 100 else number}{label}"
        if kind == "primary" and not private and town["code"] not in parents:
            parents[town["code"]] = (code, name)
        rows.append(
            {
                "code": code,
                "name": name,
                "school_type": kind,
                "ownership": "private" if private else "public",
                "area_type": area,
                "region": town["code"],
                "district": f"{short}学区",
                "teaching_point": point,
                "parent_code": parents[town["code"]][0] if point else "",
            }
        )
    return rows


# Classes of a level per school type: (fewest, most); a teaching point has 1 to 4 primary classes.
CLASSES = {"primary": (6, 30), "junior": (6, 24), "senior": (9, 30)}
CLASS_SIZE = {"primary": (30, 45), "junior": (35, 50), "senior": (40, 50)}
PER_TEACHER = {"primary": (15, 21), "junior": (11, 14), "senior": (11, 13)}
LEVELS_OF = {
    "primary": ("primary",),
    "junior": ("junior",),
    "nine_year": ("primary", "junior"),
    "complete_middle": ("junior", "senior"),
    "twelve_year": ("primary", "junior", "senior"),
}


def _base_report(rng, school, wealth, inequality):
    """A school's first-year figures; `wealth` (0.7–1.3) and `inequality` (the spread of resources
    between its schools) are its county's, so that some counties pass the balance and some fail."""
    values = dict.fromkeys(REPORT_KEYS, 0)
    values.update(teacher_payroll=None, public_funds=None, training_funds=None, pe_hour_met=None)
    values["health_pass_rate"] = None
    students = classes = teachers = 0
    for level in LEVELS_OF[school["school_type"]]:
        n = rng.randint(1, 4) if school["teaching_point"] else rng.randint(*CLASSES[level])
        size = rng.randint(*CLASS_SIZE[level]) if not school["teaching_point"] else rng.randint(8, 25)
        s = n * size
        t = max(1, round(s / rng.uniform(*PER_TEACHER[level])))
        values.update({f"students_{level}": s, f"classes_{level}": n, f"teachers_{level}": t})
        if level != "senior":
            values[f"admissions_{level}"] = s // (6 if level == "primary" else 3)
            values[f"qualified_above_{level}"] = round(t * rng.uniform(0.5, 0.95))
            values[f"mid_title_{level}"] = round(t * rng.uniform(0.3, 0.7))
            values[f"backbone_{level}"] = round(t * rng.uniform(0.0, 0.12))
            values[f"pe_art_{level}"] = round(t * rng.uniform(0.05, 0.15))
        students, classes, teachers = students + s, classes + n, teachers + t
    # Richer counties, and within one county some schools, have more of everything per student.
    # Cut at 4× so that no figure reaches the error rules' limits of a plausible value.
    spread = min(4.0, wealth * rng.lognormvariate(0, inequality))
    site = round(students * rng.uniform(12, 26) * spread, 2)
    building = round(students * rng.uniform(5, 9) * spread, 2)
    green = round(site * rng.uniform(0.2, 0.35), 2)
    values.update(
        {
            "migrant_students": students // 5,
            "left_behind_students": students // 12,
            "oversize_classes": rng.randint(0, classes // 8),
            "site_area": site,
            "green_area": green,
            "concentrated_green_area": round(green * rng.uniform(0.3, 0.7), 2),
            "sports_ground_area": round(site * rng.uniform(0.2, 0.4), 2),
            "building_area": building,
            "teaching_aux_area": round(building * rng.uniform(0.45, 0.65), 2),
            "gym_area": round(building * rng.uniform(0.0, 0.1), 2) if classes >= 18 else 0,
            "equipment_value": round(students * rng.uniform(600, 1500) * spread, 2),
            "computers": round(students * rng.uniform(0.06, 0.16) * spread),
            "books": round(students * rng.uniform(18, 40) * spread),
            "multimedia_classrooms": max(1, round(classes * rng.uniform(0.4, 1.0))),
        }
    )
    return values


def _next_year(rng, values, school):
    """The following year: a few students more or fewer, and some equipment and books added."""
    values = dict(values)
    for level in LEVELS_OF[school["school_type"]]:
        key = f"students_{level}"
        values[key] = max(values[f"classes_{level}"], round(values[key] * rng.uniform(0.97, 1.03)))
    values["computers"] = round(values["computers"] * rng.uniform(1.0, 1.15))
    values["books"] = round(values["books"] * rng.uniform(1.0, 1.1))
    values["equipment_value"] = round(values["equipment_value"] * rng.uniform(1.0, 1.12), 2)
    return values


def generate(*, counties=FULL_COUNTIES, scale=1.0, seed=2013):
    """The demo province of `counties` counties (spread over the prefectures in proportion to
    their real numbers) at `scale` (1.0: 60 to 3,000 schools a county)."""
    if not 1 <= counties <= 99:
        raise ValueError("counties must be between 1 and 99")
    if not 0 < scale <= 1:
        raise ValueError("scale must be above 0 and at most 1")
    rng = random.Random(seed)
    low, high = bounds(scale)
    regions = [{"code": PROVINCE_CODE, "name": PROVINCE_NAME, "kind": "province", "parent": None}]
    province = DemoProvince(regions, [], {}, {year: [] for year in YEARS})
    per_prefecture = _allocate(counties, [count for _name, count in PREFECTURES])
    for p, ((short, _real), count) in enumerate(zip(PREFECTURES, per_prefecture, strict=True), start=1):
        if not count:
            continue
        prefecture = f"93{p:02d}00"
        regions.append(
            {"code": prefecture, "name": f"{short}市（演示）", "kind": "prefecture", "parent": PROVINCE_CODE}
        )
        for c in range(1, count + 1):
            code, name = f"93{p:02d}{c:02d}", f"{short}演示{_numeral(c)}县"
            regions.append({"code": code, "name": name, "kind": "county", "parent": prefecture})
            n = _size(rng, low, high)
            towns = _towns(rng, code, name, n)
            regions.extend(towns)
            rows = _schools(rng, code, towns, n)
            province.counties.append(code)
            province.schools[code] = rows
            wealth, inequality = rng.uniform(0.7, 1.3), rng.uniform(0.15, 0.8)
            for school in rows:
                values = _base_report(rng, school, wealth, inequality)
                for year in YEARS:
                    if year != YEARS[0]:
                        values = _next_year(rng, values, school)
                    province.reports[year].append({"school_code": school["code"], "year": year, **values})
    return province
