"""Per-school compliance arithmetic: values, thresholds by band, shortfalls and pass rules.
Expected numbers are worked out by hand in the comments."""

from decimal import Decimal as D

from standards.calc.compliance import evaluate_item, evaluate_levels, evaluate_school, passes_rule
from standards.calc.specs import IndicatorSpec, PassRuleSpec, SchoolInput, SplitWeights, ThresholdSpec
from standards.calc.thresholds import pick_threshold

COMPUTERS = IndicatorSpec("C", ("computers",), ("students_{level}",), scale=D(100), integral=True)
LAND = IndicatorSpec("L", ("site_area",), ("students_{level}",))
CLASS_SIZE = IndicatorSpec("S", ("students_{level}",), ("classes_{level}",), direction="le", integral=True)


def test_value_exactly_at_threshold_passes():
    # 45 computers for 1,000 students = 4.5 per 100 students
    item = evaluate_item(COMPUTERS, 45, 1000, D("4.5"))
    assert item.value == D("4.5") and item.passed is True and item.shortfall == 0
    assert item.percent == 100


def test_value_at_threshold_passes_even_when_the_quotient_does_not_terminate():
    # 7 / 3 × 3 = 7 exactly; a float or rounded quotient could land a hair below
    spec = IndicatorSpec("X", ("books",), ("students_{level}",), scale=D(3))
    assert evaluate_item(spec, 7, 3, D(7)).passed is True


def test_shortfall_of_computers_rounds_up_to_whole_units():
    # 1,234 students need 10 per 100 → 123.4 → 124 computers; they have 87 → 37 short
    item = evaluate_item(COMPUTERS, 87, 1234, D(10))
    assert item.passed is False
    assert item.shortfall == 37
    # 87 / 1234 × 100 = 7.0502…; percent of 10 = 70.50…
    assert round(item.value, 4) == D("7.0502") and round(item.percent, 2) == D("70.50")


def test_shortfall_of_land_in_square_metres():
    # 500 students × 18 m² = 9,000 m²; they have 7,850 → 1,150 m² short
    item = evaluate_item(LAND, D("7850.00"), 500, D(18))
    assert item.shortfall == D("1150.00") and item.passed is False


def test_at_most_direction_class_size():
    # 47 students per class against ≤ 45: 10 classes of 470 students → 20 students too many
    item = evaluate_item(CLASS_SIZE, 470, 10, D(45))
    assert item.passed is False and item.shortfall == 20
    assert round(item.percent, 2) == D("95.74")  # 45 / 47
    assert evaluate_item(CLASS_SIZE, 450, 10, D(45)).passed is True


def test_zero_students_is_no_value_not_a_failure():
    item = evaluate_item(COMPUTERS, 30, 0, D(10))
    assert item.value is None and item.passed is None and item.shortfall is None


def test_no_applicable_threshold_gives_a_value_without_verdict():
    item = evaluate_item(COMPUTERS, 30, 300, None)
    assert item.value == 10 and item.passed is None


BANDS = (
    ThresholdSpec(D(23), "primary", None, 12),
    ThresholdSpec(D(20), "primary", 13, 24),
    ThresholdSpec(D(18), "primary", 25, None),
    ThresholdSpec(D(25), "primary", 25, None, "rural"),
    ThresholdSpec(D(30), "junior"),
    ThresholdSpec(D(15), ""),
)


def test_thresholds_by_band_edges_inclusive():
    assert pick_threshold(BANDS, "primary", 12, "urban").value == 23
    assert pick_threshold(BANDS, "primary", 13, "urban").value == 20
    assert pick_threshold(BANDS, "primary", 24, "urban").value == 20
    assert pick_threshold(BANDS, "primary", 25, "urban").value == 18


def test_area_type_and_type_specific_thresholds_win():
    assert pick_threshold(BANDS, "primary", 30, "rural").value == 25
    assert pick_threshold(BANDS, "junior", 30, "rural").value == 30
    assert pick_threshold(BANDS, "nine_year", 30, "rural").value == 15
    assert pick_threshold(BANDS[:3], "junior", 30, "rural") is None


def test_2017_rule_six_of_seven_and_85_percent_edge():
    rule = PassRuleSpec(max_failed=1, min_percent=D(85))
    six_met = [evaluate_item(COMPUTERS, 100, 100, D(100))] * 6
    at_85 = evaluate_item(COMPUTERS, 85, 100, D(100))  # 85 per 100 vs 100: 85%
    at_849 = evaluate_item(COMPUTERS, D("84.9"), 100, D(100))  # 84.9%
    assert passes_rule(six_met + [at_85], rule) is True
    assert passes_rule(six_met + [at_849], rule) is False
    assert passes_rule(six_met[:5] + [at_85, at_85], rule) is False  # 5 of 7


def test_basic_rule_fails_on_two_items():
    rule = PassRuleSpec(max_failed=1)
    failing = evaluate_item(COMPUTERS, 1, 100, D(100))
    passing = evaluate_item(COMPUTERS, 100, 100, D(100))
    assert passes_rule([failing, passing], rule) is True
    assert passes_rule([failing, failing, passing], rule) is False


def test_evaluate_school_sums_levels_and_picks_band_by_total_classes():
    land = IndicatorSpec(
        "L",
        ("site_area",),
        ("students_{level}",),
        thresholds=(ThresholdSpec(D(20), "nine_year", None, 18), ThresholdSpec(D(16), "nine_year", 19, None)),
    )
    school = SchoolInput(
        "0000000001",
        "nine_year",
        {
            "students_primary": 400,
            "students_junior": 400,
            "classes_primary": 10,
            "classes_junior": 10,
            "site_area": D(13000),
        },
        area_type="town",
    )
    [unit] = evaluate_school(school, [land], PassRuleSpec(max_failed=1))
    # 20 classes → band 19+, 16 m²; 13,000 / 800 = 16.25 passes
    assert unit.part == "" and unit.items[0].threshold == 16 and unit.items[0].passed is True
    assert unit.items[0].value == D("16.25")


def test_evaluate_levels_splits_a_nine_year_school():
    books = IndicatorSpec(
        "B",
        ("books",),
        ("students_{level}",),
        integral=True,
        thresholds=(ThresholdSpec(D(50), "primary"), ThresholdSpec(D(70), "junior")),
    )
    school = SchoolInput(
        "0000000001",
        "nine_year",
        {
            "students_primary": 166,
            "students_junior": 210,
            "classes_primary": 6,
            "classes_junior": 6,
            "books": 23226,
        },
    )
    primary, junior = evaluate_levels(school, [books], PassRuleSpec(), SplitWeights())
    # primary 9,711.6 / 166 = 58.5 ≥ 50; junior 13,514.4 / 210 = 64.4 < 70
    assert primary.part == "primary" and primary.items[0].passed is True
    assert junior.part == "junior" and junior.items[0].passed is False
    assert round(primary.items[0].value, 1) == D("58.5") and round(junior.items[0].value, 1) == D("64.4")
    # junior needs 70 × 210 = 14,700 volumes; it has 23,226 × 231/397 = 13,514.37 → 1,186 short
    assert junior.items[0].shortfall == 1186


def test_school_evaluation_sums_only_the_levels_an_indicator_names():
    # A twelve-year school: senior teachers have no "above qualification" count, so the share
    # is over primary and junior only: (30 + 40) / (40 + 60) = 70 %.
    share = IndicatorSpec(
        "Q",
        ("qualified_above_{level}",),
        ("teachers_{level}",),
        scale=D(100),
        levels=("primary", "junior"),
        thresholds=(ThresholdSpec(D(70)),),
    )
    land = IndicatorSpec("L", ("site_area",), ("students_{level}",), thresholds=(ThresholdSpec(D(10)),))
    school = SchoolInput(
        "0000000001",
        "twelve_year",
        {
            "teachers_primary": 40,
            "teachers_junior": 60,
            "teachers_senior": 50,
            "qualified_above_primary": 30,
            "qualified_above_junior": 40,
            "students_primary": 500,
            "students_junior": 500,
            "students_senior": 500,
            "site_area": D(15000),
        },
    )
    [unit] = evaluate_school(school, [share, land], PassRuleSpec())
    assert unit.items[0].value == 70 and unit.items[0].passed is True
    # land is shared by all 1,500 students: 10 m² each, exactly at the threshold
    assert unit.items[1].value == 10 and unit.items[1].passed is True
