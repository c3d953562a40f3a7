"""A column of percentages carries one decimal on every row, so that 132% does not stand
unaligned above 114.6%."""

from decimal import Decimal

from standards.templatetags.numbers import percent


def test_every_percentage_has_one_decimal():
    assert percent(Decimal("132")) == "132.0%"
    assert percent(Decimal("114.56")) == "114.6%"
    assert percent(Decimal("1234.04")) == "1,234.0%"
    assert percent(Decimal("63.25")) == "63.3%"  # half up, as an official rounds
    assert percent(None) == "—"
