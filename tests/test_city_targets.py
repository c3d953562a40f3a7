"""The city's targets (PLAN-R1, R3, R5, R7, R8): each measure on a hand-built dataset, exact
verdicts, "no data" instead of a verdict, the per-school training funds, the bureau's entered
values, the page and its scope.

The dataset, four schools of one year (every figure below is used by the hand calculations;
students and admissions are primary + junior, money in yuan, "—" a field left blank):

| school | type, ownership | students | admissions | choice | migrant |
| A | primary, public | 600 + 0 | 100 + 0 | 3 | 120 |
| B | junior, public | 0 + 2 000 | 0 + 300 | 12 | 200 |
| C | primary, private | 500 + 0 | 100 + 0 | 5 | 250 |
| D | nine-year, public | 1 500 + 1 100 | 250 + 450 | 40 | 430 |

| school | payroll | public funds | training | oversize classes | PE hour | health pass rate |
| A | 2 000 000 | 500 000 | 60 000 | 0 | yes | 90 |
| B | 3 000 000 | 900 000 | 80 000 | 2 | yes | 80 |
| C | 1 000 000 | 200 000 | 30 000 | 1 | no | 95 |
| D | — | — | — | 0 | — | — |
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phases import targets
from phases.models import Campaign, CityTarget, CityTargetValue
from phases.selectors_targets import city_targets
from phases.services_targets import target_value_enter
from schools.roles import ROLES
from schools.services import demo_user_sync, roles_sync, scope_set
from tests import factories as f

D = Decimal


def school(code, school_type, ownership, **values):
    return targets.SchoolFigures(code, f"学校{code}", school_type, ownership, values)


A = school(
    "A", "primary", "public", students_primary=600, students_junior=0, admissions_primary=100,
    admissions_junior=0, choice_admissions=3, migrant_students=120, teacher_payroll=D("2000000"),
    public_funds=D("500000"), training_funds=D("60000"), oversize_classes=0, pe_hour_met=True,
    health_pass_rate=D("90"),
)  # fmt: skip
B = school(
    "B", "junior", "public", students_primary=0, students_junior=2000, admissions_primary=0,
    admissions_junior=300, choice_admissions=12, migrant_students=200, teacher_payroll=D("3000000"),
    public_funds=D("900000"), training_funds=D("80000"), oversize_classes=2, pe_hour_met=True,
    health_pass_rate=D("80"),
)  # fmt: skip
C = school(
    "C", "primary", "private", students_primary=500, students_junior=0, admissions_primary=100,
    admissions_junior=0, choice_admissions=5, migrant_students=250, teacher_payroll=D("1000000"),
    public_funds=D("200000"), training_funds=D("30000"), oversize_classes=1, pe_hour_met=False,
    health_pass_rate=D("95"),
)  # fmt: skip
DD = school(
    "D", "nine_year", "public", students_primary=1500, students_junior=1100, admissions_primary=250,
    admissions_junior=450, choice_admissions=40, migrant_students=430, teacher_payroll=None,
    public_funds=None, training_funds=None, oversize_classes=0, pe_hour_met=None, health_pass_rate=None,
)  # fmt: skip
YEAR = [A, B, C, DD]


def spec(measure, comparison, threshold, **fields):
    return targets.TargetSpec(measure, comparison, D(threshold), **fields)


# --- The arithmetic, on numbers alone -------------------------------------------------------------


def test_choice_share_exactly_at_its_threshold_passes():
    # Σ choice 3 + 12 + 5 + 40 = 60; Σ admissions 100 + 300 + 100 + (250 + 450) = 1 200;
    # 60 ÷ 1 200 × 100 = 5 % exactly, against "at most 5 %".
    result = targets.measure(spec("choice_share", "lte", "5"), YEAR)
    assert (result.numerator, result.denominator, result.exact) == (60, 1200, 5)
    assert result.value == D("5.00") and result.passed is True and result.counted == 4


def test_migrant_share_counts_public_schools_only_in_the_numerator():
    # public 120 + 200 + 430 = 750 of 750 + 250 (private C) = 1 000: 75 % < 80 %.
    result = targets.measure(spec("migrant_public_share", "gte", "80"), YEAR)
    assert (result.numerator, result.denominator, result.value, result.passed) == (
        750,
        1000,
        D("75.00"),
        False,
    )


def test_training_funds_against_payroll_overall_and_per_school():
    # D reported no finance figures: left out (1 missing). Σ training 60 000 + 80 000 + 30 000 =
    # 170 000; Σ payroll 6 000 000; 170 000 ÷ 6 000 000 × 100 = 2.8333… % < 3 %.
    result = targets.measure(spec("training_payroll_share", "gte", "3"), YEAR)
    assert (result.numerator, result.denominator) == (170000, 6000000)
    assert result.exact == Fraction(17, 6) and result.value == D("2.83") and result.passed is False
    assert (result.counted, result.missing) == (3, 1)
    rows = {row.code: row for row in result.schools}
    # A: 60 000 ÷ 2 000 000 = 3 % exactly, passes; C: 30 000 ÷ 1 000 000 = 3 %, passes;
    # B: 80 000 ÷ 3 000 000 = 2.666…% → 2.67, fails, 3 % of 3 000 000 = 90 000: 10 000 short.
    assert (rows["A"].value, rows["A"].passed) == (D("3.00"), True)
    assert (rows["C"].value, rows["C"].passed) == (D("3.00"), True)
    assert (rows["B"].value, rows["B"].passed, rows["B"].shortfall) == (D("2.67"), False, D("10000.00"))
    assert [row.code for row in result.failing] == ["B"]


def test_training_funds_against_public_funds_rounds_half_up_for_display_only():
    # 170 000 ÷ (500 000 + 900 000 + 200 000) × 100 = 10.625 % exactly: shown 10.63 (half up),
    # passes 10 %. B: 80 000 ÷ 900 000 = 8.888…% → 8.89, fails, 10 % is 90 000: 10 000 short.
    result = targets.measure(spec("training_public_funds_share", "gte", "10"), YEAR)
    assert result.exact == Fraction(10625, 1000) and result.value == D("10.63") and result.passed is True
    assert [(row.code, row.value, row.shortfall) for row in result.failing] == [
        ("B", D("8.89"), D("10000.00"))
    ]


def test_a_school_a_hair_below_the_training_share_fails_although_it_shows_three_percent():
    # 188 000 ÷ 6 275 400 = 2.9958…% is shown 3.00 but fails; 3 % is 188 262: 262 short.
    hair = school("H", "primary", "public", training_funds=D("188000"), teacher_payroll=D("6275400"))
    result = targets.measure(spec("training_payroll_share", "gte", "3"), [hair])
    assert (result.value, result.passed, result.schools[0].shortfall) == (D("3.00"), False, D("262.00"))


def test_oversize_classes_are_summed_and_their_schools_listed():
    # 0 + 2 + 1 + 0 = 3 classes above the limit, against "no oversize class".
    result = targets.measure(spec("oversize_classes", "lte", "0"), YEAR)
    assert (result.value, result.passed) == (D("3.00"), False)
    assert [(row.code, row.value) for row in result.failing] == [("B", 2), ("C", 1)]


def test_school_size_counts_schools_over_the_limit_of_their_types():
    single = spec("school_size", "lte", "0", school_limit=2000, school_types=("primary", "junior"))
    spanning = spec("school_size", "lte", "0", school_limit=2500, school_types=("nine_year",))
    # A 600, B 2 000 (at the limit: not over), C 500: none over 2 000 among 3 schools.
    first = targets.measure(single, YEAR)
    assert (first.value, first.passed, first.counted) == (D("0.00"), True, 3)
    # D: 1 500 + 1 100 = 2 600 compulsory students > 2 500: one school over.
    second = targets.measure(spanning, YEAR)
    assert (second.value, second.passed, second.counted) == (D("1.00"), False, 1)
    assert [(row.code, row.numerator) for row in second.failing] == [("D", 2600)]


def test_pe_hour_is_the_share_of_schools_that_answered_yes():
    # A yes, B yes, C no, D blank (not counted): 2 ÷ 3 × 100 = 66.666…% → 66.67 < 100 %.
    result = targets.measure(spec("pe_hour", "gte", "100"), YEAR)
    assert (result.numerator, result.denominator, result.value, result.passed) == (2, 3, D("66.67"), False)
    assert result.missing == 1


def test_health_pass_rate_is_weighted_by_students():
    # (90 × 600 + 80 × 2 000 + 95 × 500) ÷ (600 + 2 000 + 500) = 261 500 ÷ 3 100 = 84.354…% < 85 %
    # (the unweighted mean (90 + 80 + 95) ÷ 3 = 88.33 would pass). D gave no rate: left out.
    result = targets.measure(spec("health_pass_rate", "gte", "85"), YEAR)
    assert (result.numerator, result.denominator, result.value, result.passed) == (
        261500,
        3100,
        D("84.35"),
        False,
    )
    assert (result.counted, result.missing) == (3, 1)


# Training funds spent, but no public funds: a share of nothing is no data, not a pass.
NO_FUNDS = school("Z", "primary", "public", public_funds=D(0), training_funds=D(1))


@pytest.mark.parametrize(
    ("measure", "comparison", "fields", "schools"),
    [
        ("choice_share", "lte", {}, []),
        ("choice_share", "lte", {}, [school("Z", "primary", "public", choice_admissions=0)]),
        ("migrant_public_share", "gte", {}, [school("Z", "primary", "public", migrant_students=0)]),
        ("training_payroll_share", "gte", {}, [DD]),
        ("training_public_funds_share", "gte", {}, [NO_FUNDS]),
        ("oversize_classes", "lte", {}, []),
        ("school_size", "lte", {"school_limit": 2000, "school_types": ("junior",)}, [A, C]),
        ("school_size", "lte", {}, YEAR),
        ("pe_hour", "gte", {}, [DD]),
        ("health_pass_rate", "gte", {}, [DD]),
    ],
)  # fmt: skip
def test_a_zero_denominator_gives_no_data_not_a_verdict(measure, comparison, fields, schools):
    result = targets.measure(spec(measure, comparison, "0", **fields), schools)
    assert (result.exact, result.value, result.passed) == (None, None, None)


def test_an_entered_value_is_judged_exactly_and_none_is_no_data():
    satisfaction = spec("entered", "gte", "85")
    assert targets.entered(satisfaction, D("85.000")).passed is True
    assert targets.entered(satisfaction, D("84.999")).passed is False
    assert targets.entered(satisfaction, None).passed is None


def test_display_rounds_half_up():
    assert targets.display(Fraction(2665, 1000)) == D("2.67")
    assert targets.display(Fraction(-2665, 1000)) == D("-2.67")
    assert targets.display(Fraction(1, 3) * 100) == D("33.33")


def test_every_measure_of_the_model_has_its_arithmetic():
    assert set(CityTarget.Measure.values) == {*targets.MEASURES, targets.ENTERED}


# --- The fixture ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_city_targets_fixture_holds_the_plans_numbers():
    call_command(
        "loaddata", "regions", "national-2012", "national-2017", "zj-basic", "campaign-2013", "city-targets",
        verbosity=0,
    )  # fmt: skip
    found = {t.code: t for t in CityTarget.objects.all()}
    for target in found.values():
        target.full_clean()
    plan = {
        "choice_share": ("PLAN-R3", "lte", D(5)),
        "migrant_public_share": ("PLAN-R8", "gte", D(80)),
        "training_payroll_share": ("PLAN-R7", "gte", D(3)),
        "training_public_funds_share": ("PLAN-R7", "gte", D(10)),
        "oversize_classes": ("PLAN-R1", "lte", D(0)),
        "pe_hour": ("PLAN-R5", "gte", D(100)),
    }
    for code, expected in plan.items():
        assert (found[code].plan_ref, found[code].comparison, found[code].threshold) == expected
    assert {t.measure for t in found.values()} == set(CityTarget.Measure.values)
    assert all(t.campaign.is_current for t in found.values())
    call_command("loaddata", "city-targets", verbosity=0)
    assert CityTarget.objects.count() == len(found)


# --- Entering a value -----------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def png(name="满意度测评.png"):
    return SimpleUploadedFile(name, PNG)


@pytest.fixture
def campaign(db):
    basic = f.standard("t-basic")
    return f.campaign(basic, f.standard("t-balance", kind="balance", unit="level"))


@pytest.fixture
def satisfaction(campaign):
    return CityTarget.objects.create(
        campaign=campaign, code="satisfaction", name="群众教育满意度", plan_ref="PLAN-T15",
        measure="entered", comparison="gte", threshold=D(85), unit="%",
    )  # fmt: skip


@pytest.fixture
def bureau(db):
    return User.objects.create_user("bureau")


def test_the_bureau_enters_a_value_with_its_file(satisfaction, bureau):
    row = target_value_enter(
        target=satisfaction, year=2013, value="88.5", note="第三方测评", upload=png(), user=bureau
    )
    row.refresh_from_db()
    assert (row.value, row.note, row.original_name, row.entered_by) == (
        D("88.5"),
        "第三方测评",
        "满意度测评.png",
        bureau,
    )
    assert row.file.read() == PNG
    assert row.history.latest().history_user == bureau
    # Entered again: the value is replaced, the file kept.
    again = target_value_enter(target=satisfaction, year=2013, value="90", note="", upload=None, user=bureau)
    assert (again.pk, again.value, again.original_name) == (row.pk, D(90), "满意度测评.png")
    assert CityTargetValue.objects.count() == 1 and again.history.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "-1"}, "不能为负数"),
        ({"value": "101"}, "超过 100%"),
        ({"value": "八十"}, "不是数字"),
        ({"value": "85.0001"}, "85.0001"),
        ({"value": ""}, "须填写数值"),
        ({"year": 2011}, "不在创建工作的年度"),
        ({"upload": None}, "须附佐证文件"),
        (
            {"upload": SimpleUploadedFile("测评.png", b"<html><script>alert(1)</script>")},
            "不是可接受的文件类型",
        ),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_written(satisfaction, bureau, changes, message):
    data = {"target": satisfaction, "year": 2013, "value": "88", "note": "", "upload": png(), "user": bureau}
    with pytest.raises(ValidationError) as refused:
        target_value_enter(**{**data, **changes})
    assert message in " ".join(refused.value.messages)
    assert "群众教育满意度" in " ".join(refused.value.messages)
    assert not CityTargetValue.objects.exists()


def test_a_computed_target_takes_no_entered_value(campaign, bureau):
    computed = CityTarget.objects.create(
        campaign=campaign, code="choice", name="择校生比例", measure="choice_share", comparison="lte",
        threshold=D(5), unit="%",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="由已审核年报计算得出"):
        target_value_enter(target=computed, year=2013, value="3", note="", upload=png(), user=bureau)
    assert not CityTargetValue.objects.exists()


def test_school_size_needs_its_limit(campaign):
    target = CityTarget(
        campaign=campaign, code="size", name="规模", measure="school_size", comparison="lte", threshold=D(0)
    )
    with pytest.raises(ValidationError) as refused:
        target.full_clean()
    assert "school_limit" in refused.value.message_dict


# --- The page -------------------------------------------------------------------------------------

LIUSHI, HONGQIAO = ("330382114", "柳市镇"), ("330382108", "虹桥镇")


def build_city(campaign, extra=0):
    """Two towns, three schools of them with approved 2012 and 2013 reports (one 2013 report still
    missing), and `extra` more schools with both years. Every school: 100 admissions, 2 choice
    admissions, training funds 3 000 against a payroll of 100 000 (3 %) except 0002 (2 000: 2 %)."""
    county = campaign.region
    towns = {"in": f.town(county, *LIUSHI), "out": f.town(county, *HONGQIAO)}
    schools = [
        f.school("3303820001", region=towns["in"], name="柳市一小"),
        f.school("3303820002", region=towns["in"], name="柳市二小"),
        f.school("3303820003", region=towns["out"], name="虹桥一小"),
    ]
    schools += [f.school(f"33038201{i:02d}", region=towns["out"]) for i in range(extra)]
    for each in schools:
        for year in (2012, 2013):
            if year == 2013 and each.code == "3303820003":
                continue
            training = D(2000) if each.code == "3303820002" else D(3000)
            f.report(
                each, year=year, students_primary=300, classes_primary=8, teachers_primary=15,
                admissions_primary=100, choice_admissions=2, teacher_payroll=D(100000), training_funds=training,
            )  # fmt: skip
    f.report(
        schools[2],
        year=2013,
        status="submitted",
        students_primary=300,
        classes_primary=8,
        teachers_primary=15,
    )
    return towns


@pytest.fixture
def city(campaign, satisfaction):
    CityTarget.objects.create(
        campaign=campaign, code="choice", name="择校生比例", plan_ref="PLAN-R3", measure="choice_share",
        comparison="lte", threshold=D(5), unit="%", order=1,
    )  # fmt: skip
    CityTarget.objects.create(
        campaign=campaign, code="training", name="培训经费占工资总额比例", plan_ref="PLAN-R7",
        measure="training_payroll_share", comparison="gte", threshold=D(3), unit="%", order=2,
    )  # fmt: skip
    return build_city(campaign)


def user_of(role_key, **scope):
    groups = roles_sync()
    role = next(role for role in ROLES if role.key == role_key)
    user = demo_user_sync(role=role, group=groups[role_key], password=f"yq-{role_key}-2013")
    if scope:
        scope_set(user=user, **scope)
    return user


def rows_of(response, year):
    block = next(b for b in response.context["data"]["years"] if b.year == year)
    return block, {row.target.code: row for row in block.rows}


def test_the_page_shows_each_years_values_sources_and_verdicts(client, city):
    client.force_login(user_of("admin"))
    response = client.get(reverse("phases:targets"))
    assert response.status_code == 200
    assert [block.year for block in response.context["data"]["years"]] == [2013, 2012]
    block, rows = rows_of(response, 2012)
    # 2012: 3 schools, choice 2 × 3 = 6 of 300 admissions: 2 %; training 8 000 of 300 000: 2.67 %.
    assert block.coverage.complete
    assert (rows["choice"].measured.value, rows["choice"].measured.passed) == (D("2.00"), True)
    assert (rows["training"].measured.value, rows["training"].measured.passed) == (D("2.67"), False)
    assert [row.code for row in rows["training"].measured.failing] == ["3303820002"]
    assert rows["satisfaction"].measured.passed is None
    text = response.content.decode()
    for words in ("达标", "未达标", "无数据", "据 3 所学校的已审核年报计算", "教育局尚未填报", "柳市二小"):
        assert words in text
    # 2013: 0003's report is not yet approved: the year says so and gives no verdict.
    block, rows = rows_of(response, 2013)
    assert (block.coverage.approved, block.coverage.missing) == (2, 1)
    assert rows["choice"].provisional and rows["choice"].measured.counted == 2
    assert "尚缺 1 所学校的年报" in text and "暂不判定" in text


def test_a_town_officer_sees_the_towns_figures_and_is_told_so(client, city):
    client.force_login(user_of("town", regions=[city["in"]]))
    response = client.get(reverse("phases:targets"))
    assert response.status_code == 200
    assert response.context["data"]["whole_city"] is False
    _block, rows = rows_of(response, 2012)
    # Only 0001 and 0002: training 5 000 of 200 000 = 2.5 %.
    assert rows["training"].measured.counted == 2 and rows["training"].measured.value == D("2.50")
    text = response.content.decode()
    assert "不是全市数字" in text and "虹桥一小" not in text and "3303820003" not in text


def test_the_bureau_sees_the_city_figure(client, city, campaign):
    client.force_login(user_of("leader", regions=[campaign.region]))
    response = client.get(reverse("phases:targets"))
    assert response.context["data"]["whole_city"] is True
    assert "不是全市数字" not in response.content.decode()


def test_the_page_takes_a_constant_number_of_queries(client, campaign, satisfaction):
    CityTarget.objects.create(
        campaign=campaign, code="training", name="培训经费", measure="training_payroll_share",
        comparison="gte", threshold=D(3), unit="%",
    )  # fmt: skip
    towns = build_city(campaign)
    client.force_login(user_of("town", regions=[towns["in"], towns["out"]]))
    url = reverse("phases:targets")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(20):
        each = f.school(f"33038202{i:02d}", region=towns["out"])
        for year in (2012, 2013):
            f.report(each, year=year, students_primary=100, classes_primary=4, teachers_primary=5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    _block, rows = rows_of(response, 2012)
    assert rows["training"].measured.missing == 20
    assert len(large) == len(small)


def test_entering_on_the_page_shows_who_entered_it_and_offers_the_file(client, city, satisfaction):
    client.force_login(user_of("admin"))
    response = client.post(
        reverse("phases:target_value_enter"),
        {"target": satisfaction.pk, "year": 2013, "value": "87.25", "note": "抽样测评", "file": png()},
    )
    assert response.status_code == 302
    row = CityTargetValue.objects.get()
    _block, rows = rows_of(client.get(reverse("phases:targets")), 2013)
    assert (rows["satisfaction"].measured.value, rows["satisfaction"].measured.passed) == (D("87.25"), True)
    text = client.get(reverse("phases:targets")).content.decode()
    assert f"admin 于 {timezone.localdate():%Y-%m-%d} 填报" in text
    download = client.get(reverse("phases:target_value_file", args=[row.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PNG


def test_a_refused_value_on_the_page_says_why_and_writes_nothing(client, city, satisfaction):
    client.force_login(user_of("admin"))
    response = client.post(
        reverse("phases:target_value_enter"),
        {"target": satisfaction.pk, "year": 2013, "value": "-3", "file": png()},
        follow=True,
    )
    assert "不能为负数" in response.content.decode()
    assert not CityTargetValue.objects.exists()


def test_a_reviewer_may_not_enter_a_value(client, city, satisfaction):
    client.force_login(user_of("reviewer", regions=[city["in"]]))
    response = client.post(
        reverse("phases:target_value_enter"),
        {"target": satisfaction.pk, "year": 2013, "value": "90", "file": png()},
    )
    assert response.status_code == 403
    assert not CityTargetValue.objects.exists()


@pytest.mark.django_db
def test_the_demo_shows_every_target_for_2012_and_2013(tmp_path):
    call_command("demo_data", "--out", str(tmp_path), verbosity=0)
    campaign = Campaign.objects.get(is_current=True)
    data = city_targets(campaign=campaign, user=User.objects.create_superuser("bureau"))
    assert data["whole_city"] is True
    assert [block.year for block in data["years"]] == [2013, 2012]
    for block in data["years"]:
        assert block.coverage.complete
        assert len(block.rows) == CityTarget.objects.count() == 10
        for row in block.rows:
            # Every computed target has a verdict; public satisfaction waits for the bureau.
            assert (row.measured.passed is None) == row.target.is_entered, row.target.code
