"""The per-school standard the demo is shaped to, as the compliance engine takes it.

The standard is read from its fixture (the files are written before anything is loaded), turned
into `standards.calc` specs by `standards.selectors`, and every threshold choice and verdict is
the engine's. Items are named by their numerator's first key (e.g. "computers"), so that the
item codes and every threshold stay in the fixture alone.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core import serializers

from schools.levels import TYPE_LEVELS
from standards import models
from standards.calc.compliance import evaluate_school
from standards.calc.specs import PassRuleSpec, SchoolInput
from standards.calc.thresholds import ThresholdPicker
from standards.selectors import rule_spec, specs_of

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
COUNTY_CODE = "330382"
TOPPED_UP = ("computers", "books")  # PLAN-T4
FACILITIES = ("site_area", "concentrated_green_area", "building_area")  # PLAN-P1
QUALIFIED = "qualified_above_{level}"  # PLAN-P2
CLASS_SIZE = "students_{level}"
LAND, SPORTS, EQUIPMENT = "site_area", "sports_ground_area", "equipment_value"


def key_of(item):
    return item.numerator[0]


@dataclass(frozen=True)
class Standard:
    """A per-school standard (evaluated per whole school) as `standards.calc` specs."""

    indicators: tuple
    rule: PassRuleSpec
    pick: ThresholdPicker = field(default_factory=ThresholdPicker, compare=False)

    def items(self, school_type):
        """The items that judge a school of `school_type`: those applying to a level it teaches."""
        return tuple(item for item in self.indicators if item.levels_within(TYPE_LEVELS[school_type]))

    def by_key(self, key, school_type):
        return next((item for item in self.items(school_type) if key_of(item) == key), None)

    def code_of(self, key, school_type):
        item = self.by_key(key, school_type)
        return item.code if item else None

    def class_sizes(self, school_type):
        """level → the class-size item that judges that level's classes."""
        sizes = {}
        for item in self.items(school_type):
            if key_of(item) == CLASS_SIZE:
                for level in item.levels_within(TYPE_LEVELS[school_type]):
                    sizes.setdefault(level, item)
        return sizes

    def limit(self, item, school, classes):
        """The threshold the engine applies to `item` at a school with `classes` classes, as a
        float for shaping values (None when none applies)."""
        value = self.pick.value(item, school["school_type"], classes, school["area_type"])
        return None if value is None else float(value)

    def evaluate(self, school, values):
        """The engine's result (a `UnitResult`) for one report of `school`."""
        exact = {
            key: Decimal(str(value)) if isinstance(value, float) else value for key, value in values.items()
        }
        school_input = SchoolInput(school["code"], school["school_type"], exact, school["area_type"])
        (unit,) = evaluate_school(school_input, self.indicators, self.rule, self.pick)
        return unit


def _rows(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_standard(code="zj-basic", path=None):
    """The per-school standard `code` from its fixture, as unsaved instances (no database)."""
    text = Path(path or FIXTURES / f"{code}.json").read_text(encoding="utf-8")
    objects = [found.object for found in serializers.deserialize("json", text)]
    standard = next(o for o in objects if isinstance(o, models.Standard) and o.code == code)
    if standard.evaluation_unit != models.Standard.Unit.SCHOOL:
        raise ValueError(f"the demo is shaped to a standard evaluated per school, not {code}")
    indicators = sorted(
        (o for o in objects if isinstance(o, models.Indicator) and o.standard_id == standard.pk),
        key=lambda o: (o.order, o.code),
    )
    ids = {indicator.pk for indicator in indicators}
    thresholds = sorted(
        (o for o in objects if isinstance(o, models.Threshold) and o.indicator_id in ids), key=lambda o: o.pk
    )
    rule = next((o for o in objects if isinstance(o, models.PassRule) and o.standard_id == standard.pk), None)
    return Standard(tuple(specs_of(indicators, thresholds)), rule_spec(rule))


def load_towns(path=None):
    """Names of the county's towns and streets, in the fixture's order."""
    rows = [r for r in _rows(path or FIXTURES / "regions.json") if r["model"] == "schools.region"]
    county = next(r["pk"] for r in rows if r["fields"]["code"] == COUNTY_CODE)
    children = [r["fields"] for r in rows if r["fields"]["parent"] == county]
    return [f["name"] for f in sorted(children, key=lambda f: (f["order"], f["code"]))]
