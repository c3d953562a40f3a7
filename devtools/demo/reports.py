"""The demo's annual reports, built item by item from the standard's thresholds.

An item meant to pass gets a value 8–35 % better than its threshold, one meant to fail 15–40 %
worse (class size: 12–25 % over), and raw amounts are rounded to the safe side, so that small
changes between years or rounding never flip an item.
"""

import math
import random

from devtools.demo.standard import CLASS_SIZE, LAND, QUALIFIED, SPORTS, TOPPED_UP, key_of
from schools.fields import AREA_KEYS, COUNT_KEYS, MONEY_KEYS
from schools.levels import TYPE_LEVELS
from standards.calc.thresholds import expand_keys

INDUSTRIAL = {"柳市镇", "北白象镇", "虹桥镇", "乐成街道", "城东街道"}
CLASS_SPANS = {
    "primary": {"urban": (18, 42), "town": (12, 30), "rural": (6, 14)},
    "junior": {"urban": (18, 36), "town": (12, 27), "rural": (9, 15)},
}


def total(values, keys, levels):
    """Sum of report keys; a "{level}" key is summed over `levels`."""
    return sum(values.get(key) or 0 for key in expand_keys(tuple(keys), tuple(levels)))


def _ratio(rng, item, failing, limit, small):
    """Target value ÷ threshold for one item."""
    if item.direction == "le":
        if failing:
            return rng.uniform(1.12, 1.25)
        return rng.uniform(0.3, 0.55) if small else rng.uniform(0.62, 0.92)
    ratio = rng.uniform(0.6, 0.85) if failing else rng.uniform(1.08, 1.35)
    return min(ratio, float(item.scale) / limit) if key_of(item) == QUALIFIED else ratio


def fill(values, item, limit, ratio, levels):
    """Set the item's numerator so that its value is `limit × ratio`, rounded to the safe side;
    a "{level}" numerator only over the `levels` the item applies to."""
    levels = item.levels_within(tuple(levels))
    key = key_of(item)
    denominator = total(values, item.denominator, levels)
    need = limit * ratio * denominator / float(item.scale) - total(values, item.numerator[1:], levels)
    up = (ratio >= 1) == (item.direction == "ge")
    unit = 1 if item.integral else 100
    amount = (math.ceil(need * unit) if up else math.floor(need * unit)) / unit
    amount = int(amount) if item.integral else round(amount, 2)
    if "{level}" not in key:
        values[key] = amount
        return
    left = amount = min(amount, denominator)
    for i, level in enumerate(levels):
        cap = total(values, item.denominator, (level,))
        part = left if i == len(levels) - 1 else min(cap, round(amount * cap / denominator))
        values[key.format(level=level)] = part
        left -= part


def _structure(rng, standard, school, fails):
    """Classes, students and teachers by level; each level's class size follows the threshold
    of the item that judges it."""
    kind, area, point = school["school_type"], school["area_type"], school["teaching_point"]
    if point:
        classes = {"primary": rng.randint(2, 5)}
    elif kind == "nine_year":
        classes = {"primary": rng.randint(6, 18), "junior": rng.randint(3, 12)}
    else:
        classes = {kind: rng.randint(*CLASS_SPANS[kind][area])}
    values = dict.fromkeys(COUNT_KEYS + AREA_KEYS + MONEY_KEYS, 0)
    sizes = standard.class_sizes(kind)
    for level, n in classes.items():
        size = sizes.get(level)
        if size:
            limit = standard.limit(size, school, sum(classes.values()))
            ratio = _ratio(rng, size, size.code in fails, limit, point)
        else:
            limit, ratio = 40, rng.uniform(0.6, 0.9)
        students = max(n, round(n * limit * ratio))
        if point:
            per_teacher = rng.uniform(8, 12)
        else:
            per_teacher = rng.uniform(16, 21) if level == "primary" else rng.uniform(11, 14)
        values[f"classes_{level}"] = n
        values[f"students_{level}"] = students
        values[f"teachers_{level}"] = max(1, math.ceil(students / per_teacher))
    return values


def _migrant_share(school):
    if school["ownership"] == "private":
        return 0.5, 0.8
    if school["region"] in INDUSTRIAL:
        return 0.3, 0.6
    return (0.15, 0.3) if school["area_type"] == "urban" else (0.05, 0.2)


def _extras(rng, values, school, claimed, size_fails):
    """The report's other fields, consistent with the indicator fields already set."""
    levels = [level for level in TYPE_LEVELS[school["school_type"]] if level != "senior"]
    students = total(values, ("students_{level}",), levels)
    classes = total(values, ("classes_{level}",), levels)
    teachers = total(values, ("teachers_{level}",), levels)
    building, green = values["building_area"], values["concentrated_green_area"]
    # a few classes may be over the limit even where the average is within it
    oversize = round(classes * rng.uniform(0.3, 0.7)) if size_fails else rng.randint(0, classes // 9)
    extra = {
        "green_area": min(values["site_area"], round(green * rng.uniform(1.4, 2.2), 2)),
        "teaching_aux_area": round(building * rng.uniform(0.55, 0.65), 2),
        "gym_area": round(building * rng.uniform(0.05, 0.09), 2) if classes >= 18 else 0,
        "dilapidated_area": round(building * rng.uniform(0.01, 0.04), 2) if rng.random() < 0.08 else 0,
        "multimedia_classrooms": max(1, round(classes * rng.uniform(0.5, 1.0))),
        "oversize_classes": oversize,
        "disabled_students": rng.randint(0, 3 if students > 200 else 1),
        "migrant_students": round(students * rng.uniform(*_migrant_share(school))),
        "left_behind_students": round(students * rng.uniform(0.02, 0.12)),
    }
    for level in levels:
        t, s = values[f"teachers_{level}"], values[f"students_{level}"]
        extra[f"admissions_{level}"] = round(s / (6 if level == "primary" else 3) * rng.uniform(0.9, 1.1))
        extra[f"mid_title_{level}"] = round(t * rng.uniform(0.4, 0.7))
        extra[f"backbone_{level}"] = round(t * rng.uniform(0.03, 0.12))
        extra[f"pe_art_{level}"] = min(t, max(1 if t >= 5 else 0, round(t * rng.uniform(0.08, 0.14))))
    admitted = extra.get("admissions_primary", 0) + extra.get("admissions_junior", 0)
    public = school["ownership"] == "public"
    extra["choice_admissions"] = round(admitted * rng.uniform(0, 0.05)) if public else 0
    payroll = round(teachers * rng.uniform(95000, 125000), -2)
    funds = round(students * rng.uniform(650, 950), -2)
    extra.update(
        {
            "teacher_payroll": payroll,
            "public_funds": funds,
            # PLAN-R7: training funds of 3 % of payroll and 10 % of public funds, not always met
            "training_funds": round((payroll * 0.03 + funds * 0.1) * rng.uniform(0.7, 1.1), -2),
            "pe_hour_met": rng.random() < 0.9,
            "health_pass_rate": round(rng.uniform(86, 97.5), 1),
        }
    )
    values.update({key: value for key, value in extra.items() if key not in claimed})


def baseline(rng, standard, school, fails):
    """The baseline year's report of a school built to fail exactly the items `fails`."""
    kind, levels = school["school_type"], TYPE_LEVELS[school["school_type"]]
    size_fails = any(item.code in fails for item in standard.class_sizes(kind).values())
    values = _structure(rng, standard, school, fails)
    classes = total(values, ("classes_{level}",), levels)
    items = [item for item in standard.items(kind) if key_of(item) != CLASS_SIZE]
    limits = {item.code: standard.limit(item, school, classes) for item in items}
    ratios = {
        item.code: _ratio(rng, item, item.code in fails, limits[item.code], school["teaching_point"])
        for item in items
    }
    land, sports = standard.by_key(LAND, kind), standard.by_key(SPORTS, kind)
    if land and sports and land.code in fails and sports.code not in fails:
        # a short site still holds its sports ground: keep the ground well inside the site
        ratios[land.code], ratios[sports.code] = max(ratios[land.code], 0.65), min(ratios[sports.code], 1.12)
    for item in items:
        fill(values, item, limits[item.code], ratios[item.code], levels)
    claimed = {
        key.format(level=lv) for item in standard.indicators for key in item.numerator for lv in levels
    }
    _extras(rng, values, school, claimed, size_fails)
    return values


def follow_up(rng, standard, school, base, fails, group):
    """The next year's report and the items it still fails: a few students more or fewer and,
    at a problem school, computers and books topped up (PLAN-T4) and one other item improved
    (fully when three or more would still fail, else partly)."""
    kind, levels = school["school_type"], TYPE_LEVELS[school["school_type"]]
    values = dict(base)
    for level in levels:
        if values[f"students_{level}"]:
            changed = round(values[f"students_{level}"] * rng.uniform(0.98, 1.02))
            values[f"students_{level}"] = max(values[f"classes_{level}"], changed)
    classes = total(values, ("classes_{level}",), levels)
    still = set(fails)

    def rectify(item, ratio):
        fill(values, item, standard.limit(item, school, classes), ratio, levels)
        values["green_area"] = max(values["green_area"], values["concentrated_green_area"])

    if group:
        for key in TOPPED_UP:
            item = standard.by_key(key, kind)
            if item and item.code in still:
                rectify(item, rng.uniform(1.10, 1.25))
                still.discard(item.code)
    if group == "stays":
        # land is the one thing a school cannot add in a year
        remaining = sorted(code for code in still if code != standard.code_of(LAND, kind)) or sorted(still)
        chosen = rng.choice(remaining)
        item = next(item for item in standard.items(kind) if item.code == chosen)
        fully = len(still) >= 3
        rectify(item, rng.uniform(1.08, 1.2) if fully else rng.uniform(0.84, 0.88))
        if fully:
            still.discard(chosen)
    _city_work(values, school)
    return values, still


def _city_work(values, school):
    """A year of the city's own work (PLAN-R3, R1, R5, R7): fewer choice admissions and
    oversize classes, more training funds, the PE hour more widely kept. Drawn from the school's
    own generator, so that the rest of the demo's random draws stay as they were."""
    drift = random.Random(f"city-work-{school['code']}")
    values["choice_admissions"] = int(values["choice_admissions"] * drift.uniform(0.3, 0.7))
    values["oversize_classes"] = int(values["oversize_classes"] * drift.uniform(0.2, 0.6))
    values["training_funds"] = round(values["training_funds"] * drift.uniform(1.05, 1.3), -2)
    values["pe_hour_met"] = values["pe_hour_met"] or drift.random() < 0.7
    values["health_pass_rate"] = min(99.5, round(values["health_pass_rate"] + drift.uniform(0, 1.5), 1))
