"""A gap's rectification plan and its work: the plan's cost from unit costs by hand calculation,
its deadline within the campaign, the user's scope; starting, claiming (never closing) and the
reviewer's decisions on evidence; refusals write nothing (numbers in tests/campaign_world.py)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from phases.models import Evidence, Gap, Phase, RectificationPlan, TrackedSchool, UnitCost
from phases.services import (
    campaign_enrol,
    evidence_decide,
    gap_claim,
    gap_start,
    gap_waive,
    gaps_reconcile,
    plan_save,
)
from schools.services import roles_sync, scope_set
from standards.models import Indicator
from tests import campaign_world
from tests import factories as f

pytestmark = pytest.mark.django_db
ONE, TWO = "3303820001", "3303820002"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def world():
    campaign, schools, indicators = campaign_world.build()
    for number, starts, ends in ((1, (2013, 3, 1), (2013, 4, 30)), (2, (2013, 5, 1), (2013, 8, 31))):
        Phase.objects.create(
            campaign=campaign,
            number=number,
            name=f"第{number}阶段",
            starts_on=datetime.date(*starts),
            ends_on=datetime.date(*ends),
        )
    Phase.objects.create(
        campaign=campaign,
        number=5,
        name="自查迎评",
        starts_on=datetime.date(2014, 5, 1),
        ends_on=datetime.date(2014, 6, 30),
    )
    campaign_enrol(campaign=campaign)
    UnitCost.objects.create(indicator=indicators["C"], cost=Decimal("4500"), unit="台", is_sample=True)
    UnitCost.objects.create(indicator=indicators["B"], cost=Decimal("25"), unit="册", is_sample=True)
    UnitCost.objects.create(indicator=indicators["L"], cost=Decimal("1500"), unit="平方米", is_sample=True)
    groups = roles_sync()
    reviewer = User.objects.create_user("reviewer", is_staff=True)
    reviewer.groups.add(groups["reviewer"])
    scope_set(user=reviewer, regions=[schools[ONE].region])
    clerk = User.objects.create_user("clerk", is_staff=True)
    clerk.groups.add(groups["clerk"])
    scope_set(user=clerk, schools=[schools[TWO]])
    return {
        "campaign": campaign,
        "schools": schools,
        "reviewer": User.objects.get(pk=reviewer.pk),
        "clerk": User.objects.get(pk=clerk.pk),
        "gaps": {
            (g.tracked.school.code, g.indicator.code): g
            for g in Gap.objects.select_related("tracked__school", "indicator")
        },
    }


def gap(world, code, item):
    found = world["gaps"][code, item]
    found.refresh_from_db()
    return found


def save(world, code, item, user=None, **fields):
    fields = {"measure": "purchase", "responsible_unit": "装备中心", **fields}
    return plan_save(gap=gap(world, code, item), user=user or world["reviewer"], **fields)


def evidence(world, target, decision="pending"):
    item = Evidence(
        gap=target,
        original_name="发票.png",
        content_type="image/png",
        size=len(PNG),
        uploaded_by=world["clerk"],
        effective_on=datetime.date(2013, 7, 1),
        decision=decision,
    )
    if decision != "pending":
        item.decided_by, item.decided_at = (
            world["reviewer"],
            datetime.datetime(2013, 7, 2, tzinfo=datetime.UTC),
        )
        item.decision_reason = "照片不清晰"
    item.file.save("发票.png", ContentFile(PNG), save=False)
    item.save()
    return item


def written():
    """Everything these services write."""
    return (
        list(Gap.objects.order_by("pk").values()),
        list(RectificationPlan.objects.order_by("pk").values()),
        list(Evidence.objects.order_by("pk").values()),
        Gap.history.count(),
        RectificationPlan.history.count(),
        Evidence.history.count(),
        TrackedSchool.objects.count(),
    )


# --- The plan's cost, by hand -------------------------------------------------------------------------


def test_a_computer_plan_costs_the_shortfall_in_whole_computers(world):
    # 0001: 30 computers for 400 pupils at 10 per 100 → 40 needed, 10 short; 10 × 4 500 = 45 000.
    plan = save(world, ONE, "C")
    assert plan.estimated_cost == Decimal("45000.00")
    assert gap(world, ONE, "C").status == Gap.Status.PLANNED


def test_a_book_plan_costs_the_shortfall_in_books(world):
    # 0002: 10 000 books for 400 pupils at 30 each → 12 000 needed, 2 000 short; 2 000 × 25 = 50 000.
    assert save(world, TWO, "B").estimated_cost == Decimal("50000.00")


def test_a_land_plan_costs_the_shortfall_in_square_metres(world):
    # 0001: 7 000 m² for 400 pupils at 20 → 8 000 needed, 1 000 short; 1 000 × 1 500 = 1 500 000.
    assert save(world, ONE, "L", measure="extend").estimated_cost == Decimal("1500000.00")


def test_a_fraction_of_a_computer_is_bought_whole_and_a_fraction_of_a_metre_as_measured(world):
    Gap.objects.filter(pk=world["gaps"][ONE, "C"].pk).update(shortfall=Decimal("2.5"))
    Gap.objects.filter(pk=world["gaps"][ONE, "L"].pk).update(shortfall=Decimal("12.5"))
    # 2.5 computers short → 3 bought: 3 × 4 500 = 13 500; 12.5 m² × 1 500 = 18 750.
    assert save(world, ONE, "C").estimated_cost == Decimal("13500.00")
    assert save(world, ONE, "L", measure="build").estimated_cost == Decimal("18750.00")


def test_an_item_without_a_unit_cost_has_no_estimate(world):
    assert save(world, TWO, "T", measure="recruit").estimated_cost is None


def test_saving_again_changes_the_one_plan_and_recomputes_its_cost(world):
    save(world, ONE, "C")
    UnitCost.objects.filter(indicator__code="C").update(cost=Decimal("5000"))
    plan = save(world, ONE, "C", notes="统一采购")
    # 10 × 5 000 = 50 000
    assert plan.estimated_cost == Decimal("50000.00")
    assert (
        RectificationPlan.objects.filter(gap__tracked__school__code=ONE, gap__indicator__code="C").count()
        == 1
    )
    assert [h.history_user for h in plan.history.all()] == [world["reviewer"]] * 2


# --- The deadline ----------------------------------------------------------------------------------------


def test_the_deadline_defaults_to_the_end_of_the_rectification_phase(world):
    assert save(world, ONE, "C").deadline == datetime.date(2013, 8, 31)


@pytest.mark.parametrize("deadline", [datetime.date(2013, 2, 28), datetime.date(2014, 7, 1)])
def test_a_deadline_outside_the_campaign_is_refused_and_nothing_written(world, deadline):
    # The phases run from 2013-03-01 (phase 1) to 2014-06-30 (phase 5).
    before = written()
    with pytest.raises(ValidationError) as refused:
        save(world, ONE, "C", deadline=deadline)
    assert "deadline" in refused.value.message_dict
    assert str(deadline) in refused.value.message_dict["deadline"][0]
    assert "2013-03-01 至 2014-06-30" in refused.value.message_dict["deadline"][0]
    assert written() == before


def test_the_last_day_of_the_campaign_is_a_deadline_it_accepts(world):
    assert save(world, ONE, "C", deadline=datetime.date(2014, 6, 30)).deadline == datetime.date(2014, 6, 30)


# --- What is refused ------------------------------------------------------------------------------------


def test_a_measure_that_does_not_fit_the_category_is_refused(world):
    before = written()
    with pytest.raises(ValidationError) as refused:
        save(world, ONE, "C", measure="build")
    assert "新建" in refused.value.message_dict["measure"][0]
    assert written() == before


def test_a_plan_for_a_school_outside_the_users_scope_is_refused(world):
    # The clerk's scope is 0002 alone.
    before = written()
    with pytest.raises(ValidationError) as refused:
        save(world, ONE, "C", user=world["clerk"])
    assert "不在您的数据范围内" in refused.value.messages[0]
    assert written() == before
    assert save(world, TWO, "C", user=world["clerk"]).gap.status == Gap.Status.PLANNED


def test_a_plan_for_a_waived_gap_is_refused(world):
    gap_waive(gap=gap(world, ONE, "C"), reason="学校撤并", user=world["reviewer"])
    before = written()
    with pytest.raises(ValidationError):
        save(world, ONE, "C")
    assert written() == before


def test_a_plan_without_a_responsible_unit_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        save(world, ONE, "C", responsible_unit="  ")
    assert "responsible_unit" in refused.value.message_dict


# --- Work and claims ------------------------------------------------------------------------------------


def test_work_starts_only_on_a_planned_gap(world):
    with pytest.raises(ValidationError) as refused:
        gap_start(gap=gap(world, ONE, "C"), user=world["reviewer"])
    assert "请先制定整改方案" in refused.value.messages[0]
    save(world, ONE, "C")
    gap_start(gap=gap(world, ONE, "C"), user=world["reviewer"])
    assert gap(world, ONE, "C").status == Gap.Status.IN_PROGRESS


def test_a_claim_without_evidence_is_refused(world):
    save(world, ONE, "C")
    before = written()
    with pytest.raises(ValidationError) as refused:
        gap_claim(gap=gap(world, ONE, "C"), user=world["reviewer"], note="已采购")
    assert "佐证材料" in refused.value.messages[0]
    assert written() == before


def test_only_rejected_evidence_is_no_evidence_for_a_claim(world):
    save(world, ONE, "C")
    evidence(world, gap(world, ONE, "C"), decision="rejected")
    with pytest.raises(ValidationError):
        gap_claim(gap=gap(world, ONE, "C"), user=world["reviewer"])
    assert gap(world, ONE, "C").status == Gap.Status.PLANNED


def test_a_claim_does_not_close_the_gap(world):
    save(world, ONE, "C")
    evidence(world, gap(world, ONE, "C"))
    gap_claim(gap=gap(world, ONE, "C"), user=world["reviewer"], note="已采购 10 台")
    claimed = gap(world, ONE, "C")
    assert (claimed.status, claimed.closed_by, claimed.closed_on) == (Gap.Status.CLAIMED, None, None)
    assert claimed.history.latest().history_change_reason == "已采购 10 台"
    # The school's approved 2012 report still fails computers: reconciling changes nothing.
    gaps_reconcile(report=world["schools"][ONE].reports.get(year=2012))
    assert gap(world, ONE, "C").status == Gap.Status.CLAIMED


def test_a_claim_on_an_open_gap_is_refused(world):
    evidence(world, gap(world, ONE, "C"))
    with pytest.raises(ValidationError):
        gap_claim(gap=gap(world, ONE, "C"), user=world["reviewer"])


# --- The reviewer's decisions ---------------------------------------------------------------------------


@pytest.fixture
def claimed(world):
    save(world, ONE, "C")
    item = evidence(world, gap(world, ONE, "C"))
    gap_claim(gap=gap(world, ONE, "C"), user=world["reviewer"])
    return item


def test_rejecting_without_a_reason_is_refused(world, claimed):
    before = written()
    with pytest.raises(ValidationError) as refused:
        evidence_decide(evidence=claimed, user=world["reviewer"], accept=False, reason=" ")
    assert "须填写理由" in refused.value.message_dict["reason"][0]
    assert written() == before


def test_rejecting_the_only_evidence_sends_the_claim_back_to_work(world, claimed):
    evidence_decide(evidence=claimed, user=world["reviewer"], accept=False, reason="照片不是本校")
    claimed.refresh_from_db()
    assert (claimed.decision, claimed.decided_by, claimed.decision_reason) == (
        Evidence.Decision.REJECTED,
        world["reviewer"],
        "照片不是本校",
    )
    back = gap(world, ONE, "C")
    assert back.status == Gap.Status.IN_PROGRESS
    assert back.history.latest().history_user == world["reviewer"]
    assert "照片不是本校" in back.history.latest().history_change_reason


def test_a_claim_with_other_evidence_standing_stays_claimed(world, claimed):
    evidence(world, gap(world, ONE, "C"))
    evidence_decide(evidence=claimed, user=world["reviewer"], accept=False, reason="照片不是本校")
    assert gap(world, ONE, "C").status == Gap.Status.CLAIMED


def test_accepting_evidence_closes_nothing(world, claimed):
    evidence_decide(evidence=claimed, user=world["reviewer"], accept=True, reason="")
    assert gap(world, ONE, "C").status == Gap.Status.CLAIMED
    claimed.refresh_from_db()
    assert claimed.decision == Evidence.Decision.ACCEPTED


def test_only_a_reviewer_decides_on_evidence(world):
    item = evidence(world, gap(world, TWO, "C"))
    before = written()
    with pytest.raises(PermissionDenied):
        evidence_decide(evidence=item, user=world["clerk"], accept=True, reason="")
    assert written() == before


def test_a_reviewer_decides_only_within_their_scope(world):
    other = f.town(f.county(), "330382108", "虹桥镇")
    reviewer = world["reviewer"]
    scope_set(user=reviewer, regions=[other])
    reviewer = User.objects.get(pk=reviewer.pk)
    item = evidence(world, gap(world, ONE, "C"))
    with pytest.raises(ValidationError):
        evidence_decide(evidence=item, user=reviewer, accept=True, reason="")
    item.refresh_from_db()
    assert item.decision == Evidence.Decision.PENDING


# --- Deleting what carries plans or evidence ---------------------------------------------------------


@pytest.fixture
def admin_client(world):
    claimed = world["gaps"][ONE, "C"]
    save(world, ONE, "C")
    evidence(world, gap(world, ONE, "C"))
    client = Client()
    client.force_login(User.objects.create_superuser("boss"))
    return client, claimed


@pytest.mark.parametrize(
    ("admin_name", "target"),
    [
        ("schools_school", lambda gap: gap.tracked.school),
        ("standards_indicator", lambda gap: gap.indicator),
        ("phases_campaign", lambda gap: gap.tracked.campaign),
        ("phases_gap", lambda gap: gap),
    ],
)
def test_the_admin_refuses_to_delete_what_carries_plans_or_evidence(admin_client, admin_name, target):
    client, carrying = admin_client
    obj = target(carrying)
    url = reverse(f"admin:{admin_name}_delete", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    # Django's own refusal, in Chinese: deleting would need deleting these protected objects.
    assert "受保护" in text
    assert "我确定" not in text  # no button to confirm the deletion
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert RectificationPlan.objects.filter(gap=carrying).exists()
    assert Evidence.objects.filter(gap=carrying).exists()


# --- The sample unit costs ---------------------------------------------------------------------------


def test_the_sample_unit_costs_cover_every_equipment_and_facility_item_in_its_numerator_unit():
    call_command("loaddata", "regions", "zj-basic", "unit-costs-sample", verbosity=0)
    items = Indicator.objects.filter(standard__code="zj-basic", category__in=["equipment", "facility"])
    costs = {cost.indicator_id: cost for cost in UnitCost.objects.all()}
    assert set(costs) == set(items.values_list("pk", flat=True))
    for item in items:
        assert costs[item.pk].unit == item.numerator_unit
        assert costs[item.pk].is_sample
    assert costs[Indicator.objects.get(standard__code="zj-basic", code="Z5").pk].cost == Decimal("4500.00")


def test_an_owner_whose_scope_lacks_the_school_is_refused(world):
    # The clerk's scope is school 0002: they cannot own a plan at 0001, whose gap they never see.
    before = written()
    with pytest.raises(ValidationError) as refused:
        save(world, ONE, "C", owner=world["clerk"])
    assert "不能作为该整改方案的责任人" in " ".join(refused.value.messages)
    assert written() == before
    assert save(world, ONE, "C", owner=world["reviewer"]).owner == world["reviewer"]
