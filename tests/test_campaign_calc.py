"""The campaign's pure arithmetic, with numbers worked out by hand."""

from decimal import Decimal

from phases.calc import estimated_cost, is_severe, purchase_quantity


def test_a_facility_gap_is_severe_when_the_rule_says_so():
    assert is_severe(2, ["facility", "equipment"], min_failed=3, facility_counts=True)


def test_a_facility_gap_is_not_severe_when_the_rule_leaves_facilities_out():
    assert not is_severe(2, ["facility", "equipment"], min_failed=3, facility_counts=False)


def test_enough_failed_items_make_a_school_severe_without_a_facility_gap():
    assert is_severe(3, ["equipment", "staffing", "other"], min_failed=3, facility_counts=True)


def test_two_items_without_a_facility_gap_are_not_severe():
    assert not is_severe(2, ["equipment", "staffing"], min_failed=3, facility_counts=True)


def test_computers_are_bought_whole_rounded_up():
    # 36.4 computers short: 36 would leave the school 0.4 short, so 37.
    assert purchase_quantity(Decimal("36.4"), "台") == 37
    assert purchase_quantity(Decimal("36.01"), "台") == 37


def test_an_exact_whole_shortfall_is_bought_as_it_is():
    assert purchase_quantity(Decimal("120.00"), "册") == 120


def test_an_area_is_bought_as_measured():
    assert purchase_quantity(Decimal("812.35"), "平方米") == Decimal("812.35")


def test_no_shortfall_buys_nothing():
    assert purchase_quantity(Decimal("0"), "台") == 0
    assert purchase_quantity(None, "台") == 0


def test_the_cost_is_quantity_times_unit_cost_to_the_fen():
    # 37 computers at 4 500.50 yuan: 166 518.50; 812.35 m² at 1 800: 1 462 230.00.
    assert estimated_cost(Decimal(37), Decimal("4500.50")) == Decimal("166518.50")
    assert estimated_cost(Decimal("812.35"), Decimal("1800")) == Decimal("1462230.00")
    # 3 books at 12.345 → 37.035 → 37.04 (half up).
    assert estimated_cost(3, Decimal("12.345")) == Decimal("37.04")
