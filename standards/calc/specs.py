"""Plain descriptions of what the arithmetic works on, built from the stored standards."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ThresholdSpec:
    value: Decimal
    applies_to: str = ""
    min_classes: int | None = None
    max_classes: int | None = None
    area_type: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    scale: Decimal = Decimal(1)
    direction: str = "ge"
    levels: tuple[str, ...] = ()
    integral: bool = False  # the numerator counts whole things: round shortfalls up to units
    thresholds: tuple[ThresholdSpec, ...] = ()
    id: int | None = None
    name: str = ""
    unit: str = ""
    numerator_unit: str = ""

    def levels_within(self, levels):
        """The ones of `levels` the indicator applies to (all of them when it names none)."""
        if not self.levels:
            return levels
        return tuple(level for level in levels if level in self.levels)


@dataclass(frozen=True)
class SplitWeights:
    """Weighted students: primary : junior : senior = 1 : junior : senior; in a complete
    middle school junior : senior = 1 : cm_senior."""

    junior: Decimal = Decimal("1.1")
    senior: Decimal = Decimal("1.32")
    cm_senior: Decimal = Decimal("1.2")


@dataclass(frozen=True)
class PassRuleSpec:
    max_failed: int = 0
    min_percent: Decimal | None = None


@dataclass
class SchoolInput:
    """One school's report: its attributes and its raw values (report key → number)."""

    code: str
    school_type: str
    values: dict
    area_type: str = ""
    ownership: str = "public"
    teaching_point: bool = False
    parent_code: str | None = None
    name: str = ""
    report_id: int | None = None
    revision: int = 1
    extra: dict = field(default_factory=dict)
