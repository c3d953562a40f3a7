"""The batch engine (standards.calc.vector) against the reference (standards.calc.compliance and
standards.calc.balance): hand-worked cases first, then thousands of generated schools, many of
them exactly at their thresholds, with zero differences allowed."""

import json
import random
from decimal import Decimal as D

import numpy as np
import pytest

from schools.levels import TYPE_LEVELS
from standards.calc.balance import balance_units, difference_coefficient, level_inputs
from standards.calc.compliance import evaluate_levels, evaluate_school
from standards.calc.specs import IndicatorSpec, PassRuleSpec, SchoolInput, SplitWeights, ThresholdSpec
from standards.calc.thresholds import ThresholdPicker
from standards.calc.vector import (
    NONE,
    balance_rows,
    evaluate,
    grouped_cv,
    level_amounts,
    table_from_inputs,
    unit_texts,
)

KEYS = (
    "students_primary",
    "students_junior",
    "students_senior",
    "classes_primary",
    "classes_junior",
    "classes_senior",
    "teachers_primary",
    "teachers_junior",
    "qualified_above_primary",
    "qualified_above_junior",
    "site_area",
    "building_area",
    "computers",
    "books",
    "equipment_value",
)

LAND = IndicatorSpec(
    "Z1",
    ("site_area",),
    ("students_{level}",),
    thresholds=(
        ThresholdSpec(D("18"), "primary", None, 12),
        ThresholdSpec(D("16.5"), "primary", 13, None),
        ThresholdSpec(D("1.3"), "", None, None, "urban"),
        ThresholdSpec(D("20"), "junior"),
        ThresholdSpec(D("19"), "nine_year"),
    ),
    id=1,
)
COMPUTERS = IndicatorSpec(
    "Z5",
    ("computers",),
    ("students_{level}",),
    scale=D(100),
    integral=True,
    thresholds=(ThresholdSpec(D("10")), ThresholdSpec(D("12.5"), "junior")),
    id=2,
)
QUALIFIED = IndicatorSpec(
    "Z4",
    ("qualified_above_{level}",),
    ("teachers_{level}",),
    scale=D(100),
    levels=("primary", "junior"),
    thresholds=(ThresholdSpec(D("33.333")),),
    id=3,
)
CLASS_SIZE = IndicatorSpec(
    "Z9",
    ("students_{level}",),
    ("classes_{level}",),
    direction="le",
    integral=True,
    levels=("primary",),
    thresholds=(ThresholdSpec(D("45")),),
    id=4,
)
EQUIPMENT = IndicatorSpec(
    "Z8",
    ("equipment_value",),
    ("students_{level}",),
    thresholds=(ThresholdSpec(D("1000")), ThresholdSpec(D("1500"), "junior")),
    id=5,
)
BOOKS = IndicatorSpec("Z6", ("books",), ("students_{level}",), thresholds=(ThresholdSpec(D("0")),), id=6)
INDICATORS = [LAND, COMPUTERS, QUALIFIED, CLASS_SIZE, EQUIPMENT, BOOKS]
WEIGHTS = SplitWeights()


def _school(i, school_type, area="", **values):
    return SchoolInput(
        code=f"S{i:05d}", school_type=school_type, values=values, area_type=area, report_id=i + 1
    )


def _vector(schools, indicators, rule, by_level):
    table = table_from_inputs(schools, KEYS)
    units = evaluate(table, indicators, rule, by_level=by_level, weights=WEIGHTS, pick=ThresholdPicker())
    # The stored form: each unit's items as JSON text (passed as 1, 0 or null) and its failed
    # indicators named, which must name exactly the items that failed.
    texts, failing = unit_texts(units, [i.id for i in indicators], range(len(units.row)))
    records = [json.loads(text) for text in texts]
    for record, named in zip(records, failing, strict=True):
        failed = [item[0] for item in record if item[3] == 0]
        assert named == ("," + ",".join(map(str, failed)) + "," if failed else "")
    return table, units, records


def _int(value, places):
    return None if value is None else int(value.scaleb(places))


def _reference_records(school, indicators, rule, by_level):
    if by_level:
        units = evaluate_levels(school, indicators, rule, WEIGHTS)
    else:
        units = evaluate_school(school, indicators, rule)
    return [
        (
            unit.part,
            [
                [
                    item.indicator.id,
                    _int(item.value, 4),
                    _int(item.threshold, 3),
                    item.passed,
                    _int(item.percent, 2),
                    _int(item.shortfall, 2),
                ]
                for item in unit.items
            ],
            unit.failed,
            unit.evaluated,
            unit.passed_rule,
        )
        for unit in units
    ]


def _differences(schools, indicators, rule, by_level):
    table, units, records = _vector(schools, indicators, rule, by_level)
    assert not units.fallback.any()
    parts = ("", "primary", "junior")
    got = {}
    for u, row in enumerate(units.row.tolist()):
        got.setdefault(row, []).append(
            (
                parts[units.part[u]],
                records[u],
                int(units.failed[u]),
                int(units.evaluated[u]),
                bool(units.passed_rule[u]),
            )
        )
    differences = 0
    for row, school in enumerate(schools):
        expected = _reference_records(school, indicators, rule, by_level)
        if got.get(row, []) != expected:
            differences += 1
    return differences, sum(len(r) for r in records)


# ------------------------------------------------------------------------------ by hand


def test_a_school_exactly_at_its_threshold_passes():
    # 1.3 m² per student (the urban row; no row names twelve-year schools) × 3 students = 3.9 m²:
    # in floats 1.3 × 3 = 3.9000000000000004 and the school would fail
    school = _school(0, "twelve_year", "urban", students_primary=3, classes_primary=1, site_area=D("3.90"))
    _table, units, records = _vector([school], [LAND], PassRuleSpec(), by_level=False)
    # value 3.9 / 3 = 1.3 → 13000 ten-thousandths; threshold 1.3 → 1300; percent 100.00 → 10000
    assert records[0] == [[1, 13000, 1300, True, 10000, 0]]
    assert units.failed.tolist() == [0] and units.passed_rule.tolist() == [True]


def test_computers_short_rounds_up_to_whole_units_and_percent_half_even():
    # 87 computers for 1,234 students against 10 per 100: 123.4 needed → 124 → 37 short.
    # value 8,700 / 1,234 = 7.050243… → 7.0502; percent 70.502… → 70.50
    school = _school(0, "primary", students_primary=1234, classes_primary=30, computers=87)
    _table, units, records = _vector([school], [COMPUTERS], PassRuleSpec(), by_level=False)
    assert records[0] == [[2, 70502, 10000, False, 7050, 3700]]


def test_class_size_at_most_and_percent():
    # 470 students in 10 classes against ≤ 45: value 47, percent 45 / 47 = 95.744… → 95.74,
    # 470 − 450 = 20 students too many
    school = _school(0, "primary", students_primary=470, classes_primary=10)
    _table, _units, records = _vector([school], [CLASS_SIZE], PassRuleSpec(), by_level=False)
    assert records[0] == [[4, 470000, 45000, False, 9574, 2000]]


def test_half_even_value():
    # 1 m² for 8 students = 0.125 → stays 0.1250; 0.00005 steps: 1 / 16 000 = 0.0000625 → 0.0001
    # (above half); 1 / 20 000 = 0.00005 exactly → 0.0000 (half, to even)
    schools = [
        _school(0, "junior", students_junior=8, site_area=D("1.00")),
        _school(1, "junior", students_junior=16000, site_area=D("1.00")),
        _school(2, "junior", students_junior=20000, site_area=D("1.00")),
    ]
    _table, _units, records = _vector(schools, [LAND], PassRuleSpec(), by_level=False)
    assert [r[0][1] for r in records] == [1250, 1, 0]


def test_nine_year_level_part_exactly_at_its_threshold():
    # 100 primary + 100 junior students: the primary share of shared equipment is
    # 100 / (100 + 1.1 × 100) = 10/21. Equipment 2,100,000 yuan → primary part 1,000,000 yuan
    # for 100 students = 10,000 yuan; with the threshold at 10,000 it passes exactly.
    equipment = IndicatorSpec(
        "E", ("equipment_value",), ("students_{level}",), thresholds=(ThresholdSpec(D("10000")),), id=9
    )
    school = _school(
        0, "nine_year", students_primary=100, students_junior=100, equipment_value=D("2100000.00")
    )
    _table, units, records = _vector([school], [equipment], PassRuleSpec(), by_level=True)
    assert units.part.tolist() == [1, 2]
    # primary: value 10,000 → 100000000 ten-thousandths, passes, 100 %
    assert records[0] == [[9, 100_000_000, 10_000_000, True, 10_000, 0]]
    # junior: 1,100,000 yuan for 100 students = 11,000 → 110 %
    assert records[1] == [[9, 110_000_000, 10_000_000, True, 11_000, 0]]


def test_level_part_shortfall_is_divided_by_the_share():
    # 100 primary + 200 junior: primary share 100 / (100 + 220) = 5/16. Land 3,200 m² →
    # primary part 1,000 m² for 100 students = 10 m² against 18: 1,800 − 1,000 = 800 m² short,
    # percent 10 / 18 = 55.555… → 55.56
    land = IndicatorSpec(
        "L", ("site_area",), ("students_{level}",), thresholds=(ThresholdSpec(D("18")),), id=7
    )
    school = _school(0, "nine_year", students_primary=100, students_junior=200, site_area=D("3200.00"))
    _table, _units, records = _vector([school], [land], PassRuleSpec(), by_level=True)
    assert records[0] == [[7, 100_000, 18_000, False, 5556, 80_000]]


def test_overflowing_units_are_marked_for_the_reference():
    school = _school(
        0, "nine_year", students_primary=3001, students_junior=2999, equipment_value=D("90000000000000.00")
    )
    _table, units, _records = _vector([school], [EQUIPMENT], PassRuleSpec(), by_level=True)
    assert units.fallback.all()


def test_min_percent_compared_before_rounding():
    # 9 computers for 100 students against 10 per 100 → 90 %; 8.9999 would show 90.00 but fail
    # a 90 % minimum. 89,999 / 1,000,000 × 100 → 8.9999 per hundred → 89.999 % → shown 90.00.
    rule = PassRuleSpec(max_failed=1, min_percent=D("90"))
    plain = IndicatorSpec(
        "P", ("site_area",), ("students_{level}",), thresholds=(ThresholdSpec(D("10")),), id=8
    )
    at = _school(0, "junior", students_junior=100, site_area=D("900.00"))
    below = _school(1, "junior", students_junior=1_000_000, site_area=D("8999900.00"))
    _table, units, records = _vector([at, below], [plain], rule, by_level=False)
    assert [r[0][4] for r in records] == [9000, 9000]
    assert units.passed_rule.tolist() == [True, False]
    reference = [evaluate_school(s, [plain], rule)[0].passed_rule for s in (at, below)]
    assert reference == [True, False]


# ------------------------------------------------------------------------ many schools


def _generated(count, seed):
    """Schools of every type, a third of their figures placed exactly on a threshold."""
    rng = random.Random(seed)
    schools = []
    for i in range(count):
        school_type = rng.choice(list(TYPE_LEVELS))
        levels = TYPE_LEVELS[school_type]
        values = {}
        for level in levels:
            values[f"students_{level}"] = rng.choice([0, 1, 3, 8, 45, rng.randint(1, 3000)])
            values[f"classes_{level}"] = rng.randint(1, 60)
            values[f"teachers_{level}"] = rng.choice([0, 3, rng.randint(1, 200)])
            values[f"qualified_above_{level}"] = rng.randint(0, values[f"teachers_{level}"])
        students = sum(values.get(f"students_{lvl}", 0) for lvl in levels)
        tie = rng.random() < 0.35
        per = rng.choice([D("1.3"), D("18"), D("16.5"), D("19"), D("20")]) if tie else None
        values["site_area"] = (per * students if tie else D(rng.randint(0, 5_000_000)) / 100).quantize(
            D("0.01")
        )
        values["computers"] = (students // 10) if tie else rng.randint(0, 500)
        values["equipment_value"] = (D(1000 * students) if tie else D(rng.randint(0, 10**10)) / 100).quantize(
            D("0.01")
        )
        values["books"] = rng.randint(0, 100_000)
        if rng.random() < 0.2 and school_type == "primary":
            values["classes_primary"] = max(1, values["students_primary"] // 45)
            values["students_primary"] = values["classes_primary"] * 45
        schools.append(_school(i, school_type, rng.choice(["", "urban", "town", "rural"]), **values))
    return schools


@pytest.mark.parametrize("rule", [PassRuleSpec(), PassRuleSpec(1, D("85")), PassRuleSpec(2, None)])
def test_whole_schools_agree_with_the_reference(rule):
    schools = _generated(3000, seed=7)
    differences, items = _differences(schools, INDICATORS, rule, by_level=False)
    assert items > 12_000
    assert differences == 0


@pytest.mark.parametrize("rule", [PassRuleSpec(), PassRuleSpec(1, D("85"))])
def test_level_parts_agree_with_the_reference(rule):
    schools = _generated(3000, seed=11)
    differences, items = _differences(schools, INDICATORS, rule, by_level=True)
    assert items > 12_000
    assert differences == 0


def test_generated_data_is_tie_heavy():
    schools = _generated(3000, seed=7)
    _table, _units, records = _vector(schools, INDICATORS, PassRuleSpec(), by_level=False)
    at_threshold = sum(1 for unit in records for item in unit if item[4] == 10_000 and item[3] == 1)
    assert at_threshold > 500


# ------------------------------------------------------------------------------ balance


class Rule:
    def __init__(self, include_private=False, teaching_points="separate", minimum=0):
        self.include_private = include_private
        self.teaching_points = teaching_points
        self.teaching_point_min_students = minimum


BALANCE = [
    IndicatorSpec("B1", ("site_area",), ("students_{level}",), id=1),
    IndicatorSpec("B4", ("computers",), ("students_{level}",), scale=D(100), id=2),
    IndicatorSpec("B6", ("teachers_{level}",), ("students_{level}",), id=3),
]


def _with_points(schools, rng):
    for school in schools[::7]:
        school.ownership = "private"
    parents = [s for s in schools if s.school_type == "primary"]
    for school in schools[3::11]:
        if school.school_type == "primary" and parents:
            parent = rng.choice(parents)
            if parent is not school:
                school.teaching_point, school.parent_code = True, parent.code
    return schools


@pytest.mark.parametrize(
    "rule", [Rule(), Rule(True), Rule(False, "merge"), Rule(False, "exclude"), Rule(True, "separate", 50)]
)
def test_balance_agrees_with_the_reference(rule):
    schools = _with_points(_generated(1500, seed=3), random.Random(5))
    table = table_from_inputs(schools, KEYS)
    table.county = np.array([i % 3 for i in range(len(schools))], dtype=np.int64)
    rows, values = balance_rows(table, rule)
    for level in ("primary", "junior"):
        kept, _students, amounts = level_amounts(table, rows, values, level, BALANCE, WEIGHTS)
        for indicator, (resource, students) in zip(BALANCE, amounts, strict=True):
            mean, cv, _total = grouped_cv(table.county[kept], 3, students, resource, float(indicator.scale))
            for county in range(3):
                members = [s for i, s in enumerate(schools) if i % 3 == county]
                units = balance_units([_copy(s) for s in members], rule)
                reference_rows = level_inputs(units, level, BALANCE, WEIGHTS)
                expected = difference_coefficient(
                    [(r.amounts[indicator.code][1], r.amounts[indicator.code][0]) for r in reference_rows],
                    indicator.scale,
                )
                assert expected.cv is not None
                assert cv[county] == pytest.approx(expected.cv, abs=1e-12)
                assert mean[county] == pytest.approx(expected.mean, rel=1e-12)


def _copy(school):
    return SchoolInput(**{**vars(school), "values": dict(school.values)})


def test_grouped_cv_by_hand():
    # Group 0: (n, R) = (100, 500), (300, 900): x = 5 and 3, mean = 1400 / 400 = 3.5,
    # variance = ¼(1.5)² + ¾(0.5)² = 0.5625 + 0.1875 = 0.75, cv = √0.75 / 3.5 = 0.247435…
    # Group 1: one school → cv 0; group 2: no students → NaN
    groups = np.array([0, 0, 1, 2])
    mean, cv, total = grouped_cv(
        groups, 3, np.array([100.0, 300.0, 50.0, 0.0]), np.array([500.0, 900.0, 10.0, 4.0]), 1.0
    )
    assert mean[0] == pytest.approx(3.5) and cv[0] == pytest.approx(0.75**0.5 / 3.5, abs=1e-15)
    assert cv[1] == 0 and np.isnan(cv[2]) and total.tolist() == [400, 50, 0]


def test_none_marker_is_never_a_real_value():
    assert NONE < 0


def test_values_fingerprint_changes_with_any_figure_and_only_then():
    from standards.calc.fingerprint import values_fingerprints

    schools = [
        _school(0, "primary", students_primary=10, site_area=D("1.00")),
        _school(1, "primary", students_primary=10, site_area=D("1.00")),
        _school(2, "primary", students_primary=10, site_area=D("1.01")),
        _school(3, "junior", students_junior=10, site_area=D("1.00")),
        _school(4, "primary", "urban", students_primary=10, site_area=D("1.00")),
    ]
    prints = values_fingerprints(table_from_inputs(schools, KEYS))
    assert prints.dtype == np.int64 and (prints != 0).all()  # 0 means "nothing stored"
    prints = prints.tolist()
    assert prints[0] == prints[1]
    assert len(set(prints[1:])) == 4


def test_no_units_no_items():
    table = table_from_inputs([_school(0, "junior", students_junior=0)], KEYS)
    units = evaluate(
        table, INDICATORS, PassRuleSpec(), by_level=True, weights=WEIGHTS, pick=ThresholdPicker()
    )
    assert len(units.row) == 0 and unit_texts(units, [i.id for i in INDICATORS], []) == ([], [])
