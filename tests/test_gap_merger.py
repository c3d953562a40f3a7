"""A closed school's unresolved gaps follow it to the school it merged into, or are resolved by the
merger on record when the successor already passes the item or tracks it already (numbers in
tests/campaign_world.py: 0001 fails land and computers, 0002 computers, books and teachers,
0003 books alone and is not tracked)."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from phases.models import Gap, RectificationPlan, TrackedSchool
from phases.services import campaign_enrol, gaps_follow_merger, plan_save
from reporting.services import report_approve
from schools.models import School
from schools.services import roles_sync, scope_set
from standards.services import compliance_recompute
from tests import campaign_world
from tests import factories as f

pytestmark = pytest.mark.django_db
ONE, TWO, THREE = "3303820001", "3303820002", "3303820003"


@pytest.fixture
def world():
    campaign, schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    return {"campaign": campaign, "schools": schools, "boss": User.objects.create_superuser("boss")}


def merge(world, code, into=None):
    School.objects.filter(code=code).update(
        is_active=False,
        closed_on=datetime.date(2013, 8, 1),
        merged_into=world["schools"][into] if into else None,
    )
    return School.objects.get(code=code)


def gaps_of(code):
    return {
        gap.indicator.code: gap
        for gap in Gap.objects.filter(tracked__school__code=code).select_related("indicator", "tracked")
    }


def test_a_gap_the_successor_fails_moves_to_its_new_tracked_school(world):
    school = merge(world, TWO, into=THREE)
    found = gaps_follow_merger(school=school, user=world["boss"])
    # 0003 fails books (11 000 of 12 000) and passes computers and teachers in 2012, its latest.
    assert [gap.indicator.code for gap in found["moved"]] == ["B"]
    assert sorted(gap.indicator.code for gap in found["resolved"]) == ["C", "T"]
    target = TrackedSchool.objects.get(school__code=THREE)
    assert (target.source, target.reason) == (TrackedSchool.Source.ADDED, "由测试学校002并入")
    assert set(gaps_of(THREE)) == {"B"}
    moved = gaps_of(THREE)["B"]
    # The gap keeps what the merged school lacked: 10 000 books, 2 000 short.
    assert (moved.status, moved.shortfall) == (Gap.Status.OPEN, 2000)
    assert moved.history.latest().history_user == world["boss"]
    assert moved.history.latest().history_change_reason == "由测试学校002并入"


def test_a_gap_the_successor_passes_is_resolved_by_the_merger_on_record(world):
    gaps_follow_merger(school=merge(world, TWO, into=THREE), user=world["boss"])
    computers = gaps_of(TWO)["C"]
    assert computers.status == Gap.Status.WAIVED
    assert computers.closed_by is None
    assert "已并入测试学校003（3303820003），其 2012 年已核准年报该项达标" in computers.waiver_reason
    assert computers.history.latest().history_user == world["boss"]


def test_a_gap_the_successor_already_tracks_is_resolved_and_one_it_fails_anew_moves(world):
    # 0002 in 2013, approved: its site down to 7 000 m² (fails land), computers still 25.
    f.report(
        world["schools"][TWO],
        year=2013,
        **{**campaign_world.PASSING, **campaign_world.BASELINE[TWO], "site_area": 7000},
    )
    compliance_recompute()
    found = gaps_follow_merger(school=merge(world, ONE, into=TWO), user=world["boss"])
    assert [gap.indicator.code for gap in found["moved"]] == ["L"]
    assert [gap.indicator.code for gap in found["resolved"]] == ["C"]
    assert "同一未达标项继续跟踪" in gaps_of(ONE)["C"].waiver_reason
    assert set(gaps_of(TWO)) == {"L", "C", "B", "T"}
    assert TrackedSchool.objects.filter(school__code=TWO).count() == 1


def test_the_plan_moves_with_its_gap_and_the_successors_approved_data_closes_it(world):
    reviewer = world["boss"]
    books = Gap.objects.get(tracked__school__code=TWO, indicator__code="B")
    plan_save(
        gap=books,
        user=reviewer,
        measure="purchase",
        responsible_unit="装备中心",
        deadline=datetime.date(2013, 8, 31),
    )
    gaps_follow_merger(school=merge(world, TWO, into=THREE), user=reviewer)
    moved = gaps_of(THREE)["B"]
    assert moved.pk == books.pk and moved.status == Gap.Status.PLANNED
    assert RectificationPlan.objects.get(gap=moved).responsible_unit == "装备中心"
    # 0003 in 2013: 12 000 books for 400 pupils, 30 each: passes.
    report = f.report(world["schools"][THREE], year=2013, status="submitted", **campaign_world.PASSING)
    report_approve(report=report, user=User.objects.create_user("reviewer2"), version=report.revision)
    moved.refresh_from_db()
    assert (moved.status, moved.closed_by) == (Gap.Status.CLOSED, report)


def test_a_school_closed_without_a_successor_has_its_gaps_resolved(world):
    found = gaps_follow_merger(school=merge(world, ONE), user=world["boss"])
    assert found["moved"] == []
    assert {gap.status for gap in gaps_of(ONE).values()} == {Gap.Status.WAIVED}
    assert "没有并入学校" in gaps_of(ONE)["L"].waiver_reason


def test_closed_or_waived_gaps_stay_as_they_are(world):
    Gap.objects.filter(tracked__school__code=TWO, indicator__code="T").update(
        status=Gap.Status.WAIVED, waiver_reason="教师已调入"
    )
    gaps_follow_merger(school=merge(world, TWO, into=THREE), user=world["boss"])
    assert gaps_of(TWO)["T"].waiver_reason == "教师已调入"


def test_a_school_still_open_is_refused_and_nothing_changes(world):
    before = list(Gap.objects.order_by("pk").values())
    with pytest.raises(ValidationError) as refused:
        gaps_follow_merger(school=world["schools"][TWO], user=world["boss"])
    assert "仍在办" in refused.value.messages[0]
    assert list(Gap.objects.order_by("pk").values()) == before


def test_a_school_outside_the_users_scope_is_refused(world):
    groups = roles_sync()
    clerk = User.objects.create_user("clerk", is_staff=True)
    clerk.groups.add(groups["clerk"])
    scope_set(user=clerk, schools=[world["schools"][ONE]])
    school = merge(world, TWO, into=THREE)
    with pytest.raises(ValidationError):
        gaps_follow_merger(school=school, user=User.objects.get(pk=clerk.pk))
    assert not TrackedSchool.objects.filter(school__code=THREE).exists()


def test_the_admin_action_moves_the_gaps_of_the_chosen_closed_schools(client, world):
    merge(world, TWO, into=THREE)
    client.force_login(world["boss"])
    chosen = TrackedSchool.objects.filter(school__code__in=[ONE, TWO]).values_list("pk", flat=True)
    response = client.post(
        reverse("admin:phases_trackedschool_changelist"),
        {"action": "follow_merger", "_selected_action": list(chosen)},
        follow=True,
    )
    text = response.content.decode()
    assert "转入并入学校 1 项，随撤并销项 2 项" in text
    assert "仍在办" in text  # 0001 is open: left as it is
    assert set(gaps_of(THREE)) == {"B"}
    assert {gap.status for gap in gaps_of(ONE).values()} == {Gap.Status.OPEN}
