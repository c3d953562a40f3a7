"""The county table (/counties/): every county of the user's scope, its counts and its balance,
its .xlsx export, and each county's own balance page (/balance/?county=<code>).

The world: a province with two prefectures; counties alternate between them (930101, 930201,
930102, …). Each county has a town with two primary schools whose approved 2012 reports give:
  100 students, 1,000 books; 300 students, 6,000 books (classes 4, teachers 5 and 15).
Books per student 10 and 20, weights ¼ and ¾: mean 17.5, variance ¼·56.25 + ¾·6.25 = 18.75,
CV = √18.75 / 17.5 = 0.2474; one indicator, so the composite is 0.2474 ≤ 0.65: reached. No
junior school: no verdict (无法判定). The first county also has a closed school (not counted)
and runs the current campaign: both its schools tracked, with gaps open, planned and waived.
"""

import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from phases.models import Gap, TrackedSchool
from schools.models import Region
from schools.roles import ROLES
from schools.services import demo_user_sync, roles_sync, scope_set
from tests import factories as f

pytestmark = pytest.mark.django_db


def region(code, name, kind, parent=None):
    return Region.objects.create(code=code, name=name, kind=kind, parent=parent)


def build(n_counties):
    province = region("930000", "测试省", "province")
    prefectures = [
        region("930100", "甲市", "prefecture", province),
        region("930200", "乙市", "prefecture", province),
    ]
    counties = []
    for i in range(n_counties):
        prefecture = prefectures[i % 2]
        code = f"{prefecture.code[:4]}{i // 2 + 1:02d}"
        county = region(code, f"测试县{i + 1}", "county", prefecture)
        town = region(f"{code}001", f"测试镇{i + 1}", "town", county)
        for k, (students, books, teachers) in enumerate(((100, 1000, 5), (300, 6000, 15)), start=1):
            school = f.school(f"{code}{k:04d}", region=town)
            f.report(
                school, students_primary=students, classes_primary=4, books=books, teachers_primary=teachers
            )
        counties.append(county)
    first = counties[0]
    f.school(f"{first.code}0009", region=first.children.get(), is_active=False)
    basic = f.standard("t-basic")
    indicator = f.indicator(basic, "C", ["computers"], ["students_{level}"], thresholds=["1"])
    balance = f.standard("t-balance", kind="balance", unit="level", name="测试均衡标准")
    f.indicator(balance, "B", ["books"], ["students_{level}"], name="生均图书")
    f.balance_rule(balance)
    campaign = f.campaign(basic, balance, region=first)
    for school in first.children.get().schools.filter(is_active=True):
        tracked = TrackedSchool.objects.create(campaign=campaign, school=school, enrolled_on=date(2013, 3, 1))
        for part, status in (("", "open"), ("primary", "planned"), ("junior", "waived")):
            Gap.objects.create(
                tracked=tracked,
                indicator=indicator,
                part=part,
                category="other",
                status=status,
                waiver_reason="测试",
            )
    groups = roles_sync()
    users = {
        role.key: demo_user_sync(role=role, group=groups[role.key], password="x-test-2013") for role in ROLES
    }
    scope_set(user=users["inspector"], regions=[prefectures[0]])
    scope_set(user=users["leader"], regions=[first])
    scope_set(user=users["town"], regions=[first.children.get()])
    scope_set(user=users["clerk"], schools=[first.children.get().schools.first()])
    return counties


def page(client, role, name="dashboard:counties", query=""):
    client.force_login(User.objects.get(username=role))
    return client.get(reverse(name) + query)


def codes(response):
    return [row["code"] for row in response.context["rows"]]


def test_the_administrator_sees_every_county_with_counts_and_coefficients(client):
    build(3)
    response = page(client, "admin")
    assert response.status_code == 200
    assert codes(response) == ["930101", "930102", "930201"]
    first = response.context["rows"][0]
    # Two active schools (a third is closed), both tracked, each with an open and a planned gap.
    assert (first["schools"], first["tracked"], first["open_gaps"]) == (2, 2, 4)
    assert (first["prefecture"], first["primary_composite"], first["primary_passed"]) == (
        "甲市",
        0.2474,
        True,
    )
    assert first["junior_passed"] is None
    other = response.context["rows"][1]
    assert (other["schools"], other["tracked"], other["open_gaps"]) == (2, 0, 0)
    body = response.content.decode()
    assert "0.2474" in body and "达到" in body and "无法判定" in body
    assert f'href="{reverse("dashboard:balance")}?county=930102"' in body


def test_a_prefecture_inspector_sees_only_their_prefectures_counties(client):
    build(4)
    assert codes(page(client, "inspector")) == ["930101", "930102"]


def test_a_county_user_sees_their_one_county_and_a_town_user_none(client):
    build(3)
    assert codes(page(client, "leader")) == ["930101"]
    response = page(client, "town")
    assert response.status_code == 200 and codes(response) == []
    assert "您的数据范围内没有完整的县（市、区）" in response.content.decode()


def test_the_school_clerk_cannot_open_the_county_table(client):
    build(2)
    assert page(client, "clerk").status_code == 403
    assert page(client, "clerk", "dashboard:counties_export").status_code == 403


def test_columns_sort_by_a_coefficient_or_a_count(client):
    build(3)
    rows = page(client, "admin", query="?sort=-open_gaps").context["table"].rows
    assert [row.record["code"] for row in rows][0] == "930101"


def test_a_chosen_per_indicator_standard_gives_a_column_per_indicator(client):
    build(2)
    per = f.standard("t-per", kind="balance", unit="level", name="逐项标准")
    f.indicator(per, "B", ["books"], ["students_{level}"], name="生均图书")
    f.balance_rule(per, mode="per_indicator", primary="0.2")
    response = page(client, "admin", query="?standard=t-per&year=2012")
    first = response.context["rows"][0]
    # 0.2474 > 0.2: the indicator and the level are not reached.
    assert (first["primary_0"], first["primary_0_passed"], first["primary_passed"]) == (0.2474, False, False)
    assert "未达到" in response.content.decode()


def test_the_export_has_the_pages_rows(client):
    build(2)
    response = page(client, "inspector", "dashboard:counties_export", "?standard=t-balance&year=2012")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == ("区划代码", "县（市、区）", "所属地级市", "在办学校", "跟踪学校", "未解决问题", "尚缺年报",
                      "小学综合差异系数", "小学结论", "初中综合差异系数", "初中结论")  # fmt: skip
    assert rows == [("930101", "测试县1", "甲市", 2, 2, 4, 0, 0.2474, "达到", None, "无法判定")]


def test_an_unknown_year_in_the_export_is_refused(client):
    build(2)
    assert page(client, "admin", "dashboard:counties_export", "?year=1999").status_code == 400


# The page's own queries (session, user, permissions, campaign, scope, regions, counties, counts
# grouped in SQL — schools, approved reports of the year, tracked schools, gaps —, the form's
# standard, its rule): 19 whatever the number of counties, measured below with the balance engine
# left out.
PAGE_QUERIES = 19
# The balance engine's share, one read for every county: a fixed allowance (it took 6 for each
# county when it still computed them one by one, 36 for six counties).
ENGINE_QUERIES = 12


def province_inspector(client, n_counties):
    build(n_counties)
    inspector = User.objects.get(username="inspector")
    scope_set(user=inspector, regions=[Region.objects.get(code="930000")])  # the whole province
    client.force_login(inspector)


@pytest.mark.parametrize("n_counties", [2, 6])
def test_the_pages_own_queries_do_not_grow_with_counties(
    client, django_assert_max_num_queries, monkeypatch, n_counties
):
    province_inspector(client, n_counties)
    calls = []

    def engine(*, standard, year, counties, with_schools=False):
        calls.append([county.code for county in counties])
        return {}

    monkeypatch.setattr("dashboard.selectors_counties.balance_counties", engine)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(reverse("dashboard:counties"))
    assert len(response.context["rows"]) == n_counties
    assert len(calls) == 1 and len(calls[0]) == n_counties  # every county in one call


@pytest.mark.parametrize("n_counties", [2, 6])
def test_the_county_table_takes_the_same_queries_for_2_and_6_counties(
    client, django_assert_max_num_queries, n_counties
):
    province_inspector(client, n_counties)
    with django_assert_max_num_queries(PAGE_QUERIES + ENGINE_QUERIES):
        response = client.get(reverse("dashboard:counties"))
    assert len(response.context["rows"]) == n_counties


def test_a_county_opens_its_own_balance_page(client):
    build(3)
    response = page(client, "inspector", "dashboard:balance", "?county=930102")
    assert response.status_code == 200
    assert response.context["result"]["region"] == "930102"
    assert response.context["result"]["levels"]["primary"]["composite_cv"] == 0.2474


def test_a_county_outside_the_scope_is_not_found(client):
    build(3)
    assert page(client, "inspector", "dashboard:balance", "?county=930201").status_code == 404
    assert page(client, "leader", "dashboard:balance", "?county=930102").status_code == 404
    assert page(client, "leader", "dashboard:balance", "?county=930101").status_code == 200
    assert page(client, "admin", "dashboard:balance", "?county=999999").status_code == 404


def test_a_county_missing_an_approved_report_gets_no_verdict_yet(client):
    counties = build(2)
    # The second county opens a third school whose 2012 report is still a draft.
    late = f.school(f"{counties[1].code}0003", region=counties[1].children.get())
    f.report(late, status="draft", students_primary=50, classes_primary=2, books=100, teachers_primary=3)
    rows = {row["code"]: row for row in page(client, "admin").context["rows"]}
    complete, missing = rows[counties[0].code], rows[counties[1].code]
    assert (complete["missing"], complete["primary_passed"]) == (0, True)
    # Its coefficient is still that of the two approved reports, but not a verdict.
    assert (missing["missing"], missing["primary_composite"], missing["primary_passed"]) == (1, 0.2474, None)
