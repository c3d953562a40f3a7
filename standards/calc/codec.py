"""A stored compliance item as a short JSON list of integers, and back.

A summary keeps its items as `[indicator id, value, threshold, passed, percent, shortfall]`,
the numbers in fixed point at the places of the old item columns (value × 10⁴, threshold × 10³,
percent × 10², shortfall × 10²) so that JSON carries them exactly, or null; `passed` is
1, 0 or null (no value or no threshold: not evaluated). Items stored before 2026-11 say true and
false there; both read back as a bool.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

PLACES = (4, 3, 2, 2)  # value, threshold, percent, shortfall
_QUANTA = tuple(Decimal(1).scaleb(-places) for places in PLACES)


@dataclass(frozen=True, slots=True)
class StoredItem:
    """One decoded item; `indicator` is the Indicator instance when a reader attached it."""

    indicator_id: int
    value: Decimal | None
    threshold: Decimal | None
    passed: bool | None
    percent: Decimal | None
    shortfall: Decimal | None
    indicator: object = None


def _encode(number, places, quantum):
    if number is None:
        return None
    return int(Decimal(number).quantize(quantum, ROUND_HALF_EVEN).scaleb(places))


def _decode(number, places):
    return None if number is None else Decimal(number).scaleb(-places)


def encode_item(indicator_id, value, threshold, passed, percent, shortfall):
    """The stored list of one item; the numbers (Decimals or None) rounded half-even to their places."""
    numbers = (value, threshold, percent, shortfall)
    value, threshold, percent, shortfall = (
        _encode(number, places, quantum)
        for number, places, quantum in zip(numbers, PLACES, _QUANTA, strict=True)
    )
    return [indicator_id, value, threshold, None if passed is None else int(passed), percent, shortfall]


def decode_item(row):
    indicator_id, value, threshold, passed, percent, shortfall = row
    return StoredItem(
        indicator_id,
        _decode(value, PLACES[0]),
        _decode(threshold, PLACES[1]),
        None if passed is None else bool(passed),
        _decode(percent, PLACES[2]),
        _decode(shortfall, PLACES[3]),
    )


def decode_items(rows):
    return [decode_item(row) for row in rows]


def failed_text(indicator_ids):
    """A summary's failed indicators as stored beside its items: ",3,7," ("" for none), so that
    SQL finds one with `LIKE '%,7,%'` (`failed_mark`)."""
    return "".join(f",{i}" for i in indicator_ids) + "," if indicator_ids else ""


def failed_mark(indicator_id):
    """What `failed_text` holds when it names `indicator_id`."""
    return f",{int(indicator_id)},"
