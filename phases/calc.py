"""The campaign's arithmetic, on plain numbers: which tracked schools are severe, and what
closing a shortfall takes (how many to buy, what it costs)."""

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

FACILITY = "facility"
CENT = Decimal("0.01")
# Units counted in whole things: 36.4 computers short means 37 to buy, never 36.4. Areas and
# money are bought as measured.
COUNTED_UNITS = frozenset({"台", "册", "套", "件", "个", "间", "人", "名"})


def is_severe(failed_count, categories, *, min_failed, facility_counts):
    """Whether a school's failed items make its problems severe: any failed facility item when
    `facility_counts`, or at least `min_failed` failed items. `categories`: those of the failed
    items."""
    return (facility_counts and FACILITY in set(categories)) or failed_count >= min_failed


def purchase_quantity(shortfall, unit):
    """What must be added to close `shortfall` (a Decimal in `unit`): whole units rounded up for
    counted things, the shortfall itself for measured ones; nothing for no shortfall."""
    if shortfall is None or shortfall <= 0:
        return Decimal(0)
    if unit in COUNTED_UNITS:
        return shortfall.to_integral_value(rounding=ROUND_CEILING)
    return shortfall


def estimated_cost(quantity, unit_cost):
    """The cost of `quantity` at `unit_cost` yuan each, to the fen (half up)."""
    return (Decimal(quantity) * Decimal(unit_cost)).quantize(CENT, rounding=ROUND_HALF_UP)
