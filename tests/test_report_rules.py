"""The contradictions an annual report must not contain: refused by clean() with a message naming the fields,
and by the database itself where one row can express them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from schools.fields import REPORT_KEYS, contradictions
from schools.models import AnnualReport
from tests import factories as f

GOOD = {"students_primary": 300, "classes_primary": 8, "teachers_primary": 20, "admissions_primary": 50}

CASES = [
    ({"qualified_above_primary": 21}, "qualified_above_primary", "teachers_primary"),
    ({"mid_title_primary": 21}, "mid_title_primary", "teachers_primary"),
    ({"backbone_primary": 21}, "backbone_primary", "teachers_primary"),
    ({"pe_art_primary": 21}, "pe_art_primary", "teachers_primary"),
    ({"building_area": 100, "teaching_aux_area": 101}, "teaching_aux_area", "building_area"),
    ({"building_area": 100, "gym_area": 101}, "gym_area", "building_area"),
    ({"building_area": 100, "dilapidated_area": 101}, "dilapidated_area", "building_area"),
    (
        {"site_area": 900, "green_area": 500, "concentrated_green_area": 501},
        "concentrated_green_area",
        "green_area",
    ),
    ({"site_area": 900, "green_area": 901}, "green_area", "site_area"),
    ({"site_area": 900, "sports_ground_area": 901}, "sports_ground_area", "site_area"),
    ({"choice_admissions": 51}, "choice_admissions", "admissions_primary"),
    ({"oversize_classes": 9}, "oversize_classes", "classes_primary"),
    ({"classes_primary": 0}, "classes_primary", "students_primary"),
    ({"teachers_primary": 0}, "teachers_primary", "students_primary"),
]


@pytest.mark.parametrize(("change", "field", "named"), CASES)
def test_each_contradiction_names_its_fields(change, field, named):
    problems = contradictions({**GOOD, **change}, "primary")
    assert [p[0] for p in problems] == [field]
    assert field in problems[0][1] and named in problems[0][1]


def test_a_consistent_report_has_no_contradictions():
    assert contradictions(GOOD, "primary") == []
    assert contradictions({**GOOD, "qualified_above_primary": 20}, "primary") == []  # equal is allowed


def test_students_at_a_level_the_type_lacks():
    values = {**GOOD, "students_junior": 10, "classes_junior": 1, "teachers_junior": 1}
    assert [p[0] for p in contradictions(values, "primary")] == ["students_junior"]
    assert contradictions(values, "nine_year") == []


def test_figures_of_a_level_the_type_lacks_without_students():
    values = {**GOOD, "teachers_junior": 2, "pe_art_junior": 1}
    assert contradictions(values, "primary") == [
        (
            "teachers_junior",
            "初中专任教师数、初中体育艺术专任教师数（teachers_junior, pe_art_junior）：该办学类型没有此学段，应为0",
        )
    ]
    assert contradictions(values, None) == []  # type unknown: not checked


@pytest.mark.django_db
def test_clean_reports_the_contradiction_on_its_field():
    report = AnnualReport(school=f.school("3303820001"), year=2012, **{**GOOD, "pe_art_primary": 25})
    with pytest.raises(ValidationError) as caught:
        report.full_clean()
    assert "pe_art_primary" in caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field", "named"), CASES)
def test_database_refuses_the_contradiction(change, field, named):
    school = f.school("3303820001")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(school=school, year=2012, **{**GOOD, **change})


@pytest.mark.django_db
def test_one_report_per_school_and_year():
    school = f.school("3303820001")
    AnnualReport.objects.create(school=school, year=2012, **GOOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(school=school, year=2012, **GOOD)


def test_model_fields_match_the_report_keys():
    fields = {f.name for f in AnnualReport._meta.get_fields() if f.concrete}
    assert set(REPORT_KEYS) <= fields
    assert fields - set(REPORT_KEYS) == {"id", "school", "year", "status", "revision", "updated_at"}
