"""The per-school standard as the demo reads it from its fixture, and a plain evaluation of it.

Items are named by their numerator's first key (e.g. "computers"), so that the item codes and
every threshold stay in the fixture alone.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from schools.levels import TYPE_LEVELS

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
COUNTY_CODE = "330382"
TOPPED_UP = ("computers", "books")  # PLAN-T4
FACILITIES = ("site_area", "concentrated_green_area", "building_area")  # PLAN-P1
QUALIFIED = "qualified_above_{level}"  # PLAN-P2
CLASS_SIZE = "students_{level}"
LAND, SPORTS, EQUIPMENT = "site_area", "sports_ground_area", "equipment_value"


@dataclass(frozen=True)
class Item:
    code: str
    key: str
    numerator: tuple
    denominator: tuple
    scale: float
    direction: str
    thresholds: tuple  # (applies_to, min_classes, max_classes, area_type, value)


@dataclass(frozen=True)
class Standard:
    items: tuple
    max_failed: int

    def by_key(self, key):
        return next((item for item in self.items if item.key == key), None)

    def code_of(self, key):
        item = self.by_key(key)
        return item.code if item else None


def _rows(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_standard(code="zj-basic", path=None):
    rows = _rows(path or FIXTURES / f"{code}.json")
    pk = next(r["pk"] for r in rows if r["model"] == "standards.standard" and r["fields"]["code"] == code)
    limits, max_failed = {}, 0
    for row in rows:
        f = row["fields"]
        if row["model"] == "standards.threshold":
            limits.setdefault(f["indicator"], []).append(
                (f["applies_to"], f["min_classes"], f["max_classes"], f["area_type"], float(f["value"]))
            )
        elif row["model"] == "standards.passrule" and f["standard"] == pk:
            max_failed = f["max_failed"]
    indicators = sorted(
        (r for r in rows if r["model"] == "standards.indicator" and r["fields"]["standard"] == pk),
        key=lambda r: r["fields"]["order"],
    )
    items = []
    for row in indicators:
        f = row["fields"]
        items.append(
            Item(
                f["code"],
                f["numerator"][0],
                tuple(f["numerator"]),
                tuple(f["denominator"]),
                float(f["scale"]),
                f["direction"],
                tuple(limits.get(row["pk"], ())),
            )
        )
    return Standard(tuple(items), max_failed)


def load_towns(path=None):
    """Names of the county's towns and streets, in the fixture's order."""
    rows = [r for r in _rows(path or FIXTURES / "regions.json") if r["model"] == "schools.region"]
    county = next(r["pk"] for r in rows if r["fields"]["code"] == COUNTY_CODE)
    children = [r["fields"] for r in rows if r["fields"]["parent"] == county]
    return [f["name"] for f in sorted(children, key=lambda f: (f["order"], f["code"]))]


def threshold(item, school_type, classes, area_type):
    """The most specific threshold value: exact type, then exact area type, then narrower band."""
    best, best_key = None, None
    for applies_to, low, high, area, value in item.thresholds:
        if applies_to not in ("", school_type) or area not in ("", area_type):
            continue
        if (low is not None and classes < low) or (high is not None and classes > high):
            continue
        key = (bool(applies_to), bool(area), (low is not None) + (high is not None))
        if best_key is None or key > best_key:
            best, best_key = value, key
    return best


def total(values, keys, levels):
    """Sum of report keys; a "{level}" key is summed over `levels`."""
    amount = 0
    for key in keys:
        for level in levels if "{level}" in key else (None,):
            amount += values.get(key.format(level=level) if level else key) or 0
    return amount


def failed_items(standard, school, values):
    """Codes of the items one report fails (a value exactly at its threshold passes)."""
    levels = TYPE_LEVELS[school["school_type"]]
    classes = total(values, ("classes_{level}",), levels)
    failed = []
    for item in standard.items:
        limit = threshold(item, school["school_type"], classes, school["area_type"])
        denominator = total(values, item.denominator, levels)
        if limit is None or not denominator:
            continue
        value, needed = total(values, item.numerator, levels) * item.scale, limit * denominator
        if not (value <= needed if item.direction == "le" else value >= needed):
            failed.append(item.code)
    return failed
