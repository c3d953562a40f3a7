from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def num(value, places=2):
    """A number as an official reads it: thousands grouped, at most `places` decimals, no
    trailing zeros (18.500 → 18.5, 3382.61 → 3,382.61); "—" for no value."""
    if value is None or value == "":
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    text = format(Decimal(str(value)).quantize(quantum, ROUND_HALF_UP), ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text
