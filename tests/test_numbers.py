from decimal import Decimal

from standards.templatetags.numbers import num


def test_numbers_read_as_an_official_expects():
    assert num(Decimal("18.500"), 3) == "18.5"
    assert num(Decimal("3382.61")) == "3,382.61"
    assert num(Decimal("426956.555")) == "426,956.56"
    assert num(Decimal("1150.00")) == "1,150"
    assert num(37) == "37"
    assert num(None) == "—"
