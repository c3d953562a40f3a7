"""A gap's page: what the baseline lacked, why the gap is not closed yet in the words of the latest
approved report, the plan and evidence forms for whoever may use them, each write its own POST,
the history; its number of queries does not grow with evidence or history (numbers in
tests/campaign_world.py)."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phases.models import Evidence, Gap, Phase, RectificationPlan
from phases.services import campaign_enrol, evidence_decide, gap_claim, plan_save
from reporting.services import report_approve
from schools.services import roles_sync, scope_set
from standards.models import Indicator
from standards.services import compliance_recompute
from tests import campaign_world
from tests import factories as f

pytestmark = pytest.mark.django_db
ONE, TWO = "3303820001", "3303820002"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def world():
    campaign, schools, indicators = campaign_world.build()
    Indicator.objects.filter(pk=indicators["C"].pk).update(name="每百名学生计算机台数", unit="台/百生")
    Phase.objects.create(
        campaign=campaign,
        number=2,
        name="问题整改阶段",
        starts_on=datetime.date(2013, 5, 1),
        ends_on=datetime.date(2013, 8, 31),
    )
    campaign_enrol(campaign=campaign)
    # 2013, approved: 35 computers for 400 pupils, still short of 10 per 100.
    f.report(schools[ONE], year=2013, **{**campaign_world.PASSING, "site_area": 7000, "computers": 35})
    compliance_recompute()
    groups = roles_sync()
    users = {}
    for name, role, school in (
        ("clerk", "clerk", ONE),
        ("other-clerk", "clerk", TWO),
        ("reviewer", "reviewer", None),
        ("town", "town", None),
    ):
        user = User.objects.create_user(name, is_staff=True)
        user.groups.add(groups[role])
        if school:
            scope_set(user=user, schools=[schools[school]])
        else:
            scope_set(user=user, regions=[schools[ONE].region])
        users[name] = User.objects.get(pk=user.pk)
    return {
        "users": users,
        "schools": schools,
        "gap": Gap.objects.get(tracked__school__code=ONE, indicator__code="C"),
    }


def page(client, world, user="clerk", gap=None):
    client.force_login(world["users"][user])
    return client.get(reverse("phases:gap", args=[(gap or world["gap"]).pk]))


def text_of(response):
    return response.content.decode()


def plan(world, user="clerk"):
    return plan_save(
        gap=world["gap"], user=world["users"][user], measure="purchase", responsible_unit="装备中心"
    )


def evidence(world, name="发票.png"):
    item = Evidence(
        gap=world["gap"],
        original_name=name,
        content_type="image/png",
        size=len(PNG),
        uploaded_by=world["users"]["clerk"],
        effective_on=datetime.date(2013, 7, 1),
    )
    item.file.save(name, ContentFile(PNG), save=False)
    item._history_user = world["users"]["clerk"]
    item.save()
    return item


# --- What the page says ----------------------------------------------------------------------------------


def test_the_page_shows_what_the_baseline_lacked(client, world):
    text = text_of(page(client, world))
    assert "测试学校001" in text and "每百名学生计算机台数" in text
    # Baseline: 30 ÷ 400 × 100 = 7.5 per hundred; threshold 10; 40 needed, 10 short.
    assert "7.5 台/百生" in text
    assert "10 台/百生" in text
    assert "10 台" in text
    assert "未整改" in text


def test_the_page_says_why_the_gap_is_not_closed_from_the_latest_approved_report(client, world):
    text = text_of(page(client, world))
    # 2013: 35 ÷ 400 × 100 = 8.75 per hundred, below 10.
    assert "2013 年已核准年报：每百名学生计算机台数 8.75 台/百生，标准 10 台/百生，尚未达标" in text
    assert "未关闭：须待该项在审核通过的年报中达标。" in text


def test_a_later_report_without_pupils_says_the_item_cannot_be_judged(client, world):
    # 2014, approved, no pupils: computers per 100 pupils has no value, so no verdict (and the
    # gap stays open).
    figures = {**campaign_world.PASSING, "site_area": 7000, "students_primary": 0}
    f.report(world["schools"][ONE], year=2014, **figures)
    compliance_recompute()
    text = text_of(page(client, world))
    assert "2014 年已核准年报：每百名学生计算机台数 — 台/百生，标准 10 台/百生，无法判定（缺少数据）" in text
    assert "未关闭：须待该项在审核通过的年报中达标。" in text


def test_a_claimed_gap_says_a_claim_does_not_close_it(client, world):
    plan(world)
    evidence(world)
    gap_claim(gap=world["gap"], user=world["users"]["clerk"])
    text = text_of(page(client, world))
    assert "学校自报已整改" in text
    assert "报告本身不能关闭未达标项" in text


def test_a_gap_closed_by_approved_data_says_which_report_closed_it(client, world):
    report = f.report(
        world["schools"][ONE], year=2014, status="submitted", **{**campaign_world.PASSING, "site_area": 7000}
    )
    report_approve(report=report, user=world["users"]["reviewer"], version=report.revision)
    text = text_of(page(client, world))
    # 2014: 40 ÷ 400 × 100 = 10 per hundred, at the threshold: passes.
    assert "2014 年已核准年报：每百名学生计算机台数 10 台/百生，标准 10 台/百生，已达标" in text
    assert "由 2014 年已核准年报的数据关闭" in text
    assert "已整改（数据达标）" in text


# --- Who gets which form ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "plan_form", "upload_form", "decide_form"),
    [
        ("clerk", True, True, False),
        ("reviewer", True, True, True),
        ("town", False, False, False),
    ],
)
def test_each_role_gets_the_forms_it_may_use(client, world, user, plan_form, upload_form, decide_form):
    evidence(world)
    text = text_of(page(client, world, user))
    assert (reverse("phases:plan_save", args=[world["gap"].pk]) in text) == plan_form
    assert (reverse("phases:evidence_add", args=[world["gap"].pk]) in text) == upload_form
    decide = reverse("phases:evidence_decide", args=[Evidence.objects.get().pk])
    assert (decide in text) == decide_form
    assert reverse("phases:evidence_file", args=[Evidence.objects.get().pk]) in text


def test_a_gap_outside_the_scope_is_not_found(client, world):
    assert page(client, world, "other-clerk").status_code == 404


# --- The writes, one POST each ----------------------------------------------------------------------------


def test_a_clerk_saves_a_plan_with_the_default_deadline(client, world):
    client.force_login(world["users"]["clerk"])
    url = reverse("phases:plan_save", args=[world["gap"].pk])
    response = client.post(
        url, {"measure": "purchase", "responsible_unit": "柳市镇中心校", "notes": "统一采购"}
    )
    assert response.status_code == 302
    saved = RectificationPlan.objects.get(gap=world["gap"])
    assert (saved.deadline, saved.responsible_unit) == (datetime.date(2013, 8, 31), "柳市镇中心校")
    text = text_of(client.get(response["Location"]))
    assert "整改方案已保存。" in text
    assert "已定方案" in text


def test_a_deadline_outside_the_campaign_shows_the_form_again_with_the_reason(client, world):
    client.force_login(world["users"]["clerk"])
    url = reverse("phases:plan_save", args=[world["gap"].pk])
    response = client.post(
        url, {"measure": "purchase", "responsible_unit": "装备中心", "deadline": "2015-01-01"}
    )
    assert response.status_code == 200
    assert "完成期限 2015-01-01 不在创建工作" in text_of(response)
    assert not RectificationPlan.objects.exists()


def test_a_read_only_role_may_not_plan(client, world):
    client.force_login(world["users"]["town"])
    url = reverse("phases:plan_save", args=[world["gap"].pk])
    assert client.post(url, {"measure": "purchase", "responsible_unit": "装备中心"}).status_code == 403
    assert not RectificationPlan.objects.exists()


def test_claiming_without_evidence_says_why_and_changes_nothing(client, world):
    plan(world)
    client.force_login(world["users"]["clerk"])
    response = client.post(
        reverse("phases:gap_claim", args=[world["gap"].pk]), {"note": "已采购"}, follow=True
    )
    assert "还没有佐证材料" in text_of(response)
    world["gap"].refresh_from_db()
    assert world["gap"].status == Gap.Status.PLANNED


def test_starting_and_claiming_through_the_page(client, world):
    plan(world)
    evidence(world)
    client.force_login(world["users"]["clerk"])
    client.post(reverse("phases:gap_start", args=[world["gap"].pk]))
    world["gap"].refresh_from_db()
    assert world["gap"].status == Gap.Status.IN_PROGRESS
    response = client.post(
        reverse("phases:gap_claim", args=[world["gap"].pk]), {"note": "已采购 5 台"}, follow=True
    )
    assert "该项须待审核通过的年报数据达标后才会关闭" in text_of(response)
    world["gap"].refresh_from_db()
    assert world["gap"].status == Gap.Status.CLAIMED


def test_rejecting_without_a_reason_through_the_page_is_refused(client, world):
    item = evidence(world)
    client.force_login(world["users"]["reviewer"])
    url = reverse("phases:evidence_decide", args=[item.pk])
    response = client.post(url, {"decision": "rejected", "reason": ""}, follow=True)
    assert "须填写理由" in text_of(response)
    item.refresh_from_db()
    assert item.decision == Evidence.Decision.PENDING
    client.post(url, {"decision": "rejected", "reason": "不是本校照片"})
    item.refresh_from_db()
    assert (item.decision, item.decision_reason) == (Evidence.Decision.REJECTED, "不是本校照片")


def test_a_clerk_may_not_decide_on_evidence(client, world):
    item = evidence(world)
    client.force_login(world["users"]["clerk"])
    response = client.post(reverse("phases:evidence_decide", args=[item.pk]), {"decision": "accepted"})
    assert response.status_code == 403


# --- History -----------------------------------------------------------------------------------------------


def test_the_history_says_who_changed_what_from_what_to_what(client, world):
    plan(world)
    item = evidence(world)
    evidence_decide(evidence=item, user=world["users"]["reviewer"], accept=False, reason="照片模糊")
    text = text_of(page(client, world))
    assert "状态：未整改 → 已定方案" in text
    assert "整改措施：— → 购置配齐" in text
    assert "审核结论：待审核 → 未采纳" in text
    assert "佐证材料“发票.png”" in text
    assert "reviewer" in text and "clerk" in text


# --- Queries -------------------------------------------------------------------------------------------------


def queries(client, world):
    client.force_login(world["users"]["reviewer"])
    url = reverse("phases:gap", args=[world["gap"].pk])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_takes_the_same_number_of_queries_for_1_or_8_pieces_of_evidence(client, world):
    # A plan with an owner from the start: naming the owners in the history is one query.
    plan_save(
        gap=world["gap"],
        user=world["users"]["clerk"],
        measure="purchase",
        responsible_unit="装备中心",
        owner=world["users"]["clerk"],
    )
    evidence(world)
    few = queries(client, world)
    for n in range(7):
        item = evidence(world, f"照片{n}.png")
        evidence_decide(evidence=item, user=world["users"]["reviewer"], accept=n % 2 == 0, reason="核实")
    plan_save(
        gap=world["gap"],
        user=world["users"]["reviewer"],
        measure="other",
        responsible_unit="教育局",
        owner=world["users"]["clerk"],
        notes="改为统一调配",
    )
    assert queries(client, world) == few
