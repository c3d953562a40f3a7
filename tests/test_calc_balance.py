"""The difference coefficient and the splitting of spanning schools, against the published
worked examples (numbers by hand, not from the code)."""

from fractions import Fraction

import pytest

from standards.calc.balance import balance_units, difference_coefficient, level_inputs
from standards.calc.specs import IndicatorSpec, SchoolInput, SplitWeights
from standards.calc.split import level_shares

STUDENTS = [45, 37, 89, 76, 55]
BOOKS = [279, 137, 935, 160, 402]


def test_worked_example_is_student_weighted():
    result = difference_coefficient(zip(STUDENTS, BOOKS, strict=True))
    assert result.students == 302
    assert result.mean == pytest.approx(1913 / 302)
    assert round(result.mean, 3) == 6.334
    assert round(result.cv, 3) == 0.515  # published 0.52; the unweighted CV would be 0.489
    assert round(result.cv, 2) == 0.52  # as published


def test_unweighted_cv_would_differ():
    values = [b / n for n, b in zip(STUDENTS, BOOKS, strict=True)]
    mean = sum(values) / len(values)
    sd = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    assert round(sd / mean, 3) == 0.489
    assert round(difference_coefficient(zip(STUDENTS, BOOKS, strict=True)).cv, 3) != 0.489


def test_identity_for_sql_gives_same_variance():
    n_total = sum(STUDENTS)
    mean = sum(BOOKS) / n_total
    variance = sum(b * b / n for n, b in zip(STUDENTS, BOOKS, strict=True)) / n_total - mean**2
    assert difference_coefficient(zip(STUDENTS, BOOKS, strict=True)).cv == pytest.approx(variance**0.5 / mean)


def test_scale_does_not_change_cv_but_scales_mean():
    plain = difference_coefficient([(100, 10), (50, 10)])
    per_hundred = difference_coefficient([(100, 10), (50, 10)], scale=100)
    # x = 0.1 and 0.2, weights 2/3 and 1/3: mean 20/150 = 0.1333…, ×100 = 13.33…
    assert per_hundred.mean == pytest.approx(100 * 20 / 150)
    assert per_hundred.cv == pytest.approx(plain.cv)


def test_equal_schools_have_zero_cv():
    assert difference_coefficient([(100, 500), (200, 1000), (50, 250)]).cv == 0


def test_schools_without_students_are_left_out_and_no_students_gives_no_cv():
    assert difference_coefficient([(0, 40), (10, 50), (10, 50)]).cv == 0
    assert difference_coefficient([(0, 40)]).cv is None


def test_zero_mean_gives_no_cv():
    assert difference_coefficient([(10, 0), (20, 0)]).cv is None


def test_nine_year_split_of_books():
    # 166 primary + 210 junior students: weighted 166 + 1.1 × 210 = 397.
    shares = level_shares("nine_year", {"primary": 166, "junior": 210}, SplitWeights())
    assert shares == {"primary": Fraction(166, 397), "junior": Fraction(231, 397)}
    assert round(23226 * shares["primary"], 1) == Fraction("9711.6")
    assert round(23226 * shares["junior"], 1) == Fraction("13514.4")


def test_twelve_year_and_complete_middle_weights():
    twelve = level_shares("twelve_year", {"primary": 100, "junior": 100, "senior": 100}, SplitWeights())
    # 100 + 110 + 132 = 342
    assert twelve["primary"] == Fraction(100, 342)
    assert twelve["junior"] == Fraction(110, 342)
    complete = level_shares("complete_middle", {"junior": 600, "senior": 500}, SplitWeights())
    # junior share = B / (B + 1.2 C) = 600 / 1200
    assert complete["junior"] == Fraction(1, 2)


def test_single_level_school_keeps_everything_and_empty_school_has_no_share():
    assert level_shares("primary", {"primary": 10}, SplitWeights()) == {"primary": Fraction(1)}
    assert level_shares("nine_year", {"primary": 0, "junior": 0}, SplitWeights()) == {}


BOOKS_INDICATOR = IndicatorSpec("B5", ("books",), ("students_{level}",))
TEACHERS_INDICATOR = IndicatorSpec("B6", ("teachers_{level}",), ("students_{level}",))


def _school(code, school_type="primary", **values):
    return SchoolInput(code=code, school_type=school_type, values=values)


def test_level_inputs_split_shared_resources_but_not_teachers():
    nine = _school(
        "0000000001",
        "nine_year",
        students_primary=166,
        students_junior=210,
        books=23226,
        teachers_primary=10,
        teachers_junior=20,
    )
    rows = level_inputs([nine], "junior", [BOOKS_INDICATOR, TEACHERS_INDICATOR], SplitWeights())
    books_r, books_n = rows[0].amounts["B5"]
    assert round(books_r, 1) == pytest.approx(13514.4) and books_n == 210
    assert rows[0].amounts["B6"] == (20, 210)


def test_level_inputs_skip_schools_without_that_level():
    rows = level_inputs(
        [_school("0000000001", students_primary=10)], "junior", [BOOKS_INDICATOR], SplitWeights()
    )
    assert rows == []


class Rule:
    include_private = False
    teaching_points = "separate"
    teaching_point_min_students = 50


def test_private_schools_and_small_teaching_points_are_left_out():
    public = _school("0000000001", students_primary=300)
    private = SchoolInput("0000000002", "primary", {"students_primary": 300}, ownership="private")
    small_point = SchoolInput(
        "0000000003", "primary", {"students_primary": 49}, teaching_point=True, parent_code="0000000001"
    )
    big_point = SchoolInput(
        "0000000004", "primary", {"students_primary": 50}, teaching_point=True, parent_code="0000000001"
    )
    kept = balance_units([public, private, small_point, big_point], Rule())
    assert [s.code for s in kept] == ["0000000001", "0000000004"]


def test_teaching_points_merge_into_parent():
    rule = Rule()
    rule.teaching_points = "merge"
    parent = _school("0000000001", students_primary=300, books=6000)
    point = SchoolInput(
        "0000000003",
        "primary",
        {"students_primary": 20, "books": 100},
        teaching_point=True,
        parent_code="0000000001",
    )
    kept = balance_units([parent, point], rule)
    assert len(kept) == 1
    assert kept[0].values["students_primary"] == 320 and kept[0].values["books"] == 6100
