"""The what-if: closing chosen gaps in memory gives exactly what the engine computes once the
raised figures are really approved, and the page writes nothing.

A hand-built county. The campaign's standard (per school, at most 1 failed item) has five items:
computers ≥ 10 per 100 pupils (C), site ≥ 20 m² per pupil (L), concentrated green ≥ 1.5 m² per
pupil (G), teachers above the required qualification ≥ 80 % of teachers (Q), pupils per primary
class ≤ 45 (S). A passing primary school of 400 pupils has 10 classes, 40 computers, 8 000 m² of
site, 900 m² of green of which 600 concentrated, 20 teachers of whom 16 qualified.

- 0001 (primary, 400): 30 computers (10 short), 7 000 m² (1 000 short), 500 m² concentrated
  green in 550 m² of green (100 short), 14 qualified (2 short): fails C, L, G, Q;
- 0002 (nine-year, 300 primary + 200 junior, 8 + 5 classes): 15 of 15 primary and 8 of 15 junior
  teachers qualified: 23 ÷ 30 = 76.7 % < 80 %, 24 needed: 1 short, where the primary teachers
  have no room left: fails Q;
- 0003 (primary, 500 pupils in 10 classes): 50 a class, 45 allowed: 50 pupils too many: fails S;
- 0004 (primary, 400): passes everything.

The reports of 2012 (the baseline) and 2013 are approved with these figures; every failed item
is a gap of the campaign (k = 1).
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phases.models import Gap, RectificationPlan
from phases.selectors_targets import whatif_compute, whatif_gaps
from phases.services import campaign_enrol, gap_waive, gaps_reconcile_reports
from schools.fields import REPORT_KEYS
from schools.models import AnnualReport
from schools.services import scope_set
from standards.balance import balance_compute
from standards.calc.compliance import VALUE_PLACES
from standards.models import ComplianceSummary
from standards.selectors import summary_items
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

D = Decimal
PASSING = {
    "students_primary": 400,
    "classes_primary": 10,
    "computers": 40,
    "site_area": D(8000),
    "green_area": D(900),
    "concentrated_green_area": D(600),
    "teachers_primary": 20,
    "qualified_above_primary": 16,
    "books": 12000,
}
FIGURES = {
    "3303820001": ("primary", {"computers": 30, "site_area": D(7000), "green_area": D(550),
                               "concentrated_green_area": D(500), "qualified_above_primary": 14}),
    "3303820002": ("nine_year", {"students_primary": 300, "students_junior": 200, "classes_junior": 5,
                                 "classes_primary": 8, "computers": 50, "site_area": D(10000),
                                 "green_area": D(1000), "concentrated_green_area": D(750),
                                 "teachers_primary": 15, "teachers_junior": 15, "qualified_above_primary": 15,
                                 "qualified_above_junior": 8, "books": 15000}),
    "3303820003": ("primary", {"students_primary": 500, "computers": 50, "site_area": D(10000),
                               "concentrated_green_area": D(750), "teachers_primary": 25,
                               "qualified_above_primary": 20, "books": 15000}),
    "3303820004": ("primary", {}),
}  # fmt: skip


def build(unit="school"):
    basic = f.standard("t-basic", unit=unit)
    per_pupil = ["students_{level}"]
    f.indicator(
        basic,
        "C",
        ["computers"],
        per_pupil,
        scale=100,
        thresholds=["10"],
        category="equipment",
        numerator_unit="台",
        order=1,
    )
    f.indicator(
        basic,
        "L",
        ["site_area"],
        per_pupil,
        thresholds=["20"],
        category="facility",
        numerator_unit="平方米",
        order=2,
    )
    f.indicator(
        basic,
        "G",
        ["concentrated_green_area"],
        per_pupil,
        thresholds=["1.5"],
        category="facility",
        numerator_unit="平方米",
        order=3,
    )
    f.indicator(
        basic,
        "Q",
        ["qualified_above_{level}"],
        ["teachers_{level}"],
        scale=100,
        thresholds=["80"],
        category="staffing",
        numerator_unit="人",
        order=4,
    )
    f.indicator(basic, "S", ["students_{level}"], ["classes_{level}"], thresholds=["45"], direction="le",
                levels=["primary"], numerator_unit="人", order=5)  # fmt: skip
    f.pass_rule(basic, max_failed=1)
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.indicator(balance, "B1", ["site_area"], per_pupil, order=1)
    f.indicator(balance, "B4", ["computers"], per_pupil, scale=100, order=2)
    f.indicator(balance, "B5", ["books"], per_pupil, order=3)
    f.indicator(balance, "B7", ["qualified_above_{level}"], per_pupil, order=4)
    f.balance_rule(balance)
    campaign = f.campaign(basic, balance, min_failed_items=1)
    town = f.town(campaign.region)
    schools = {}
    for code, (school_type, figures) in FIGURES.items():
        schools[code] = f.school(code, school_type, region=town, name=f"学校{code[-1]}")
        for year in (2012, 2013):
            f.report(schools[code], year=year, **{**PASSING, **figures})
    compliance_recompute()
    campaign_enrol(campaign=campaign)
    return campaign, schools


def gaps_of(campaign, user=None):
    user = user or User.objects.create_superuser("bureau")
    return list(whatif_gaps(campaign=campaign, user=user))


def test_each_gap_closes_at_exactly_what_its_item_lacks():
    campaign, _schools = build()
    gaps = gaps_of(campaign)
    assert sorted((g.tracked.school.code, g.indicator.code) for g in gaps) == [
        ("3303820001", "C"),
        ("3303820001", "G"),
        ("3303820001", "L"),
        ("3303820001", "Q"),
        ("3303820002", "Q"),
        ("3303820003", "S"),
    ]
    result = whatif_compute(campaign=campaign, gaps=gaps)
    after = {o.school.code: o.after_values for o in result.schools}
    assert {o.school.code: o.year for o in result.schools} == dict.fromkeys(after, 2013)
    first = after["3303820001"]
    # 30 + 10 = 40 computers: 10 per 100 pupils, exactly the threshold; 7 000 + 1 000 m² of site;
    # 500 + 100 = 600 m² of concentrated green, so the green area (550) rises to 600 with it;
    # 14 + 2 = 16 qualified of 20 teachers: 80 % exactly.
    assert (first["computers"], first["site_area"], first["concentrated_green_area"]) == (40, 8000, 600)
    assert (first["green_area"], first["qualified_above_primary"]) == (600, 16)
    # 0002: the one qualified teacher missing goes to the junior teachers (8 → 9), the primary
    # ones having no room (15 of 15): 24 ÷ 30 = 80 %.
    second = after["3303820002"]
    assert (second["qualified_above_primary"], second["qualified_above_junior"]) == (15, 9)
    # 0003: 500 − 50 = 450 pupils in 10 classes: 45 a class, exactly the limit.
    assert after["3303820003"]["students_primary"] == 450
    for outcome in result.schools:
        assert all(gap.closed for gap in outcome.gaps)
        assert [unit.failed for unit in outcome.after_units] == [0]
    # Everything else in the reports is as approved.
    changed = {
        (o.school.code, key)
        for o in result.schools
        for key in REPORT_KEYS
        if o.after_values[key] != o.school.values[key]
    }
    assert changed == {
        ("3303820001", "computers"),
        ("3303820001", "site_area"),
        ("3303820001", "concentrated_green_area"),
        ("3303820001", "green_area"),
        ("3303820001", "qualified_above_primary"),
        ("3303820002", "qualified_above_junior"),
        ("3303820003", "students_primary"),
    }
    # 0001 fails four items before (against at most one), none after.
    before = result.schools[0]
    assert (before.before_units[0].failed, before.before_units[0].passed_rule) == (4, False)
    assert before.after_units[0].passed_rule is True


def stored(report):
    """{part: (failed, passed rule, {indicator: (value, threshold, passed, percent, shortfall)})}."""
    found = {}
    for summary in summary_items(ComplianceSummary.objects.filter(report=report)):
        items = {
            r.indicator.code: (r.value, r.threshold, r.passed, r.percent, r.shortfall)
            for r in summary.stored_items
        }
        found[summary.part] = (summary.failed_count, summary.passed_rule, items)
    return found


def computed(units):
    """The same, from the what-if's units, rounded as the engine's writer stores them."""
    return {
        unit.part: (
            unit.failed,
            unit.passed_rule,
            {
                item.indicator.code: (
                    None if item.value is None else item.value.quantize(VALUE_PLACES),
                    item.threshold,
                    item.passed,
                    None if item.percent is None else item.percent.quantize(D("0.01")),
                    item.shortfall,
                )
                for item in unit.items
            },
        )
        for unit in units
    }


def close_for_real(result, campaign):
    """Approve a 2014 report for every school of the county: the what-if's figures for the
    schools it changed, the 2013 figures for the others; recompute and reconcile as an approval
    does. Returns {school code: 2014 report}."""
    changed = {o.school.code: o.after_values for o in result.schools}
    written = {}
    for report in AnnualReport.objects.filter(year=2013).select_related("school"):
        values = changed.get(report.school.code, report.values())
        written[report.school.code] = f.report(report.school, year=2014, **values)
    ids = [report.pk for report in written.values()]
    compliance_recompute(reports=ids)
    gaps_reconcile_reports(reports=ids)
    return written


@pytest.mark.parametrize("choose", ["all", "some"])
def test_the_what_if_equals_the_engine_after_really_closing(choose):
    campaign, _schools = build()
    gaps = gaps_of(campaign)
    if choose == "some":
        gaps = [
            g
            for g in gaps
            if (g.tracked.school.code, g.indicator.code) in {("3303820001", "C"), ("3303820002", "Q")}
        ]
    result = whatif_compute(campaign=campaign, gaps=gaps)
    assert result.year == 2013 and result.not_in_balance == []
    # Before: what is stored for the 2013 reports.
    for outcome in result.schools:
        assert computed(outcome.before_units) == stored(outcome.school.report_id)
    written = close_for_real(result, campaign)
    for outcome in result.schools:
        assert computed(outcome.after_units) == stored(written[outcome.school.code])
    real = balance_compute(standard=campaign.balance_standard, year=2014, region=campaign.region)
    assert result.balance_after == real["levels"]
    then = balance_compute(standard=campaign.balance_standard, year=2013, region=campaign.region)
    assert result.balance_before == then["levels"]
    assert result.balance_after != result.balance_before
    # The gaps chosen are closed by the approved reports, the others not.
    chosen = {g.pk for g in gaps}
    for gap in Gap.objects.all():
        assert (gap.status == Gap.Status.CLOSED) == (gap.pk in chosen), gap


def test_a_shared_resource_of_a_level_part_is_raised_through_the_parts_share():
    """A standard judged by level part: 0002's 50 computers are shared by 300 primary and 200
    junior pupils, weighted 1 : 1.1, so the primary part holds 50 × 300 ÷ 520 = 28.85 of them:
    9.62 per 100 against 10. It needs 30 in its share: 30 × 520 ÷ 300 = 52 computers (+2), and its
    junior part then holds 52 × 220 ÷ 520 = 22: 11 per 100."""
    campaign, _schools = build(unit="level")
    gaps = [g for g in gaps_of(campaign) if g.tracked.school.code == "3303820002" and g.indicator.code == "C"]
    assert [(g.part, g.shortfall) for g in gaps] == [("primary", 2)]
    result = whatif_compute(campaign=campaign, gaps=gaps)
    assert result.schools[0].after_values["computers"] == 52
    written = close_for_real(result, campaign)
    assert computed(result.schools[0].after_units) == stored(written["3303820002"])
    assert stored(written["3303820002"])["primary"][2]["C"][0] == D("10.0000")
    assert Gap.objects.get(pk=gaps[0].pk).status == Gap.Status.CLOSED


def snapshot():
    return (
        list(AnnualReport.objects.order_by("pk").values()),
        list(ComplianceSummary.objects.order_by("pk").values()),
        list(Gap.objects.order_by("pk").values()),
    )


def test_the_page_writes_nothing(client):
    campaign, _schools = build()
    gaps = gaps_of(campaign)
    client.force_login(User.objects.get(username="bureau"))
    url = reverse("phases:whatif") + "?" + "&".join(f"gap={g.pk}" for g in gaps)
    client.get(url)
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert snapshot() == before
    text = response.content.decode()
    assert "教学用计算机台数 30 → 40（+10 台）" in text
    assert "整改前 4 项" in text and "整改后 0 项" in text


def test_every_planned_gap_means_those_with_a_plan_not_yet_closed_or_waived(client):
    campaign, _schools = build()
    gaps = {(g.tracked.school.code, g.indicator.code): g for g in gaps_of(campaign)}
    user = User.objects.get(username="bureau")
    for key in (("3303820001", "C"), ("3303820002", "Q"), ("3303820003", "S")):
        RectificationPlan.objects.create(
            gap=gaps[key], measure="other", responsible_unit="教育局", deadline="2013-08-31"
        )
    gap_waive(gap=gaps["3303820003", "S"], reason="2013年秋季分班", user=user)
    client.force_login(user)
    response = client.get(reverse("phases:whatif") + "?planned=1")
    assert response.context["chosen"] == {gaps["3303820001", "C"].pk, gaps["3303820002", "Q"].pk}
    assert [entry["school"].code for entry in response.context["schools"]] == ["3303820001", "3303820002"]


def test_a_gap_outside_the_users_scope_is_not_found(client):
    campaign, _schools = build()
    gap = gaps_of(campaign)[0]
    other = f.town(campaign.region, "330382108", "虹桥镇")
    officer = User.objects.create_user("officer-elsewhere")
    officer.user_permissions.add(Permission.objects.get(codename="view_gap"))
    scope_set(user=officer, regions=[other])
    client.force_login(officer)
    assert client.get(reverse("phases:whatif") + f"?gap={gap.pk}").status_code == 404
    assert client.get(reverse("phases:whatif") + "?gap=abc").status_code == 404


def test_every_planned_gap_with_no_plan_yet_says_so(client):
    campaign, _schools = build()
    gaps_of(campaign)
    client.force_login(User.objects.get(username="bureau"))
    response = client.get(reverse("phases:whatif") + "?planned=1")
    assert response.context["result"] is None
    assert "没有已定整改方案且尚未关闭或免予整改的未达标项" in response.content.decode()
