from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

NONE = "—"


def _quantized(value, places):
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)


@register.filter
def num(value, places=2):
    """A number as an official reads it: thousands grouped, at most `places` decimals, no
    trailing zeros (18.500 → 18.5, 3382.61 → 3,382.61); "—" for no value."""
    if value is None or value == "":
        return NONE
    text = format(_quantized(value, places), ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def coefficient(value):
    """A difference coefficient or its limit, always with three decimals (0.65 → 0.650), so that
    a column of them lines up and a limit reads as precisely as the value it bounds."""
    if value is None or value == "":
        return NONE
    return format(_quantized(value, 3), "f")


@register.filter
def percent(value):
    """A percentage with exactly one decimal (132 → "132.0%"), so that a column of them lines
    up; "—" for no value."""
    if value is None or value == "":
        return NONE
    return f"{_quantized(value, 1):,f}%"
