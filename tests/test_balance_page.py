"""The balance page: the county by name, the standard's own split weights, one way of writing
numbers, and every school's figures in a constant number of queries."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import Scope
from standards.templatetags.numbers import coefficient
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    basic = f.standard("t-basic")
    std = f.standard(
        "t-balance",
        kind="balance",
        unit="level",
        name="国家评估标准",
        weight_junior=Decimal("1.2"),
        weight_senior=Decimal("1.5"),
        weight_cm_senior=Decimal("1.25"),
    )
    f.indicator(std, "B5", ["books"], ["students_{level}"], scale=100, name="每百名学生图书册数", order=5)
    f.indicator(
        std, "B6", ["teachers_{level}"], ["students_{level}"], scale=100, name="每百名学生教师数", order=6
    )
    f.balance_rule(std)
    f.campaign(basic, std)
    return std


def primary_school(code, name, students, books, teachers):
    school = f.school(code, name=name)
    f.report(school, students_primary=students, classes_primary=4, teachers_primary=teachers, books=books)


@pytest.fixture
def two_schools(national):
    """A: 100 pupils, 1,000 books, 5 teachers; B: 300 pupils, 6,000 books, 15 teachers.
    Books per 100 pupils: 1,000 and 2,000; mean 7,000 / 400 × 100 = 1,750; weighted variance
    0.25 × 750² + 0.75 × 250² = 187,500; s = 433.01; CV = 0.2474 → 0.247.
    Teachers per 100 pupils: 5 and 5: mean 5, CV 0. Composite (0.2474 + 0) / 2 = 0.1237 → 0.124."""
    primary_school("3303820001", "柳市一小", 100, 1000, 5)
    primary_school("3303820002", "柳市二小", 300, 6000, 15)


@pytest.fixture
def leader(client):
    user = User.objects.create_user("leader")
    Scope.objects.create(user=user).regions.add(f.county())
    client.force_login(user)
    return client


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_coefficients_have_three_decimals():
    assert coefficient(0.2474358) == "0.247"
    assert coefficient(Decimal("0.65")) == "0.650"
    assert coefficient(0) == "0.000"
    assert coefficient(None) == "—"


def test_the_county_is_named_not_coded(two_schools, leader):
    page = text(leader.get(reverse("dashboard:balance")))
    assert "乐清市" in page
    assert "330382 ·" not in page and "区划 330382" not in page


def test_the_split_weights_are_the_standards_own(two_schools, leader):
    page = text(leader.get(reverse("dashboard:balance")))
    assert "1 : 1.2 : 1.5" in page and "1 : 1.25" in page
    assert "1.32" not in page and "1.1 :" not in page


def test_numbers_are_written_one_way(two_schools, leader):
    page = text(leader.get(reverse("dashboard:balance")))
    # Composite mode: the limit bounds the composite, not each indicator.
    assert "B5 每百名学生图书册数 1,750 0.247 —" in page
    assert "B6 每百名学生教师数 5 0.000 —" in page
    assert "综合差异系数 0.124 0.650" in page
    assert "0.2474" not in page and "1750.0" not in page


def test_every_schools_figures_are_shown(two_schools, leader):
    page = text(leader.get(reverse("dashboard:balance")))
    assert "3303820001 柳市一小 100 1,000 5" in page
    assert "3303820002 柳市二小 300 2,000 5" in page


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard:balance")).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_takes_the_same_queries_for_more_schools(two_schools, leader):
    few = _queries(leader)
    for i in range(3, 23):
        primary_school(f"33038200{i:02d}", f"学校{i}", 100 + i, 1000, 5)
    many = leader.get(reverse("dashboard:balance"))
    assert "学校22" in text(many)
    assert _queries(leader) == few
