"""Enrolment: the schools an approved baseline shows failing at least k items become tracked,
each failed item a gap, with severity by the bureau's rule (numbers in tests/campaign_world.py)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from phases.models import Gap, TrackedSchool
from phases.services import campaign_enrol, severity_override, tracked_school_add
from tests import campaign_world

pytestmark = pytest.mark.django_db


def test_schools_failing_two_or_more_items_are_tracked_with_a_gap_per_item():
    campaign, _schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    tracked = {t.school.code: t for t in TrackedSchool.objects.filter(campaign=campaign)}
    assert set(tracked) == {"3303820001", "3303820002"}
    assert tracked["3303820001"].baseline_failed == 2
    assert tracked["3303820002"].baseline_failed == 3
    assert Gap.objects.filter(tracked__campaign=campaign).count() == 5
    gaps = {
        (g.tracked.school.code, g.indicator.code): g for g in Gap.objects.select_related("tracked__school")
    }
    assert set(gaps) == {
        ("3303820001", "L"),
        ("3303820001", "C"),
        ("3303820002", "C"),
        ("3303820002", "B"),
        ("3303820002", "T"),
    }
    site = gaps["3303820001", "L"]
    # 7 000 m² for 400 pupils: 17.5 m² each against 20; 8 000 − 7 000 = 1 000 m² short.
    assert (site.baseline_value, site.threshold, site.shortfall, site.unit) == (
        Decimal("17.5"),
        Decimal("20"),
        Decimal("1000"),
        "平方米",
    )
    assert site.category == "facility" and site.status == Gap.Status.OPEN
    # 25 computers for 400 pupils: 6.25 per hundred against 10; 40 − 25 = 15 short.
    computers = gaps["3303820002", "C"]
    assert (computers.baseline_value, computers.shortfall, computers.unit) == (Decimal("6.25"), 15, "台")
    assert gaps["3303820002", "B"].shortfall == 2000
    assert gaps["3303820002", "T"].shortfall == 2


def test_severity_follows_the_default_rule():
    campaign, _schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    severe = dict(TrackedSchool.objects.values_list("school__code", "severe"))
    # 0001: a facility item failed; 0002: three items failed (≥ 3).
    assert severe == {"3303820001": True, "3303820002": True}


def test_severity_follows_the_bureaus_own_rule():
    campaign, _schools, _indicators = campaign_world.build(severe_min_failed=4, severe_if_facility_gap=False)
    campaign_enrol(campaign=campaign)
    severe = dict(TrackedSchool.objects.values_list("school__code", "severe"))
    assert severe == {"3303820001": False, "3303820002": False}


def test_a_higher_k_tracks_fewer_schools():
    campaign, _schools, _indicators = campaign_world.build(min_failed_items=3)
    campaign_enrol(campaign=campaign)
    assert list(TrackedSchool.objects.values_list("school__code", flat=True)) == ["3303820002"]
    assert Gap.objects.count() == 3


def test_enrolling_twice_changes_nothing_and_keeps_the_bureaus_edits():
    campaign, _schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    user = User.objects.create_user("bureau")
    tracked = TrackedSchool.objects.get(school__code="3303820001")
    severity_override(tracked=tracked, severe=False, reason="已列入撤并计划", user=user)
    assert campaign_enrol(campaign=campaign) == []
    assert TrackedSchool.objects.count() == 2 and Gap.objects.count() == 5
    tracked.refresh_from_db()
    assert tracked.severity_override is False and tracked.is_severe is False


def test_enrolment_is_refused_without_approved_baseline_results():
    campaign, _schools, _indicators = campaign_world.build(approve=False)
    with pytest.raises(ValidationError, match="没有已审核年报"):
        campaign_enrol(campaign=campaign)
    assert not TrackedSchool.objects.exists()


def test_a_school_added_later_needs_a_reason():
    campaign, schools, _indicators = campaign_world.build()
    user = User.objects.create_user("bureau")
    with pytest.raises(ValidationError):
        tracked_school_add(campaign=campaign, school=schools["3303820003"], reason="  ", user=user)
    tracked = tracked_school_add(
        campaign=campaign, school=schools["3303820003"], reason="图书缺口大，督导建议跟踪", user=user
    )
    assert tracked.source == TrackedSchool.Source.ADDED and tracked.baseline_failed == 1
    assert [(g.indicator.code, g.shortfall) for g in tracked.gaps.all()] == [("B", 1000)]
    assert tracked.history.latest().history_user == user


def test_a_severity_override_needs_a_reason():
    campaign, _schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    user = User.objects.create_user("bureau")
    tracked = TrackedSchool.objects.get(school__code="3303820002")
    with pytest.raises(ValidationError):
        severity_override(tracked=tracked, severe=False, reason="", user=user)
    tracked.refresh_from_db()
    assert tracked.severity_override is None and tracked.is_severe is True
    severity_override(tracked=tracked, severe=False, reason="教师已调入到岗", user=user)
    tracked.refresh_from_db()
    assert (tracked.is_severe, tracked.override_reason) == (False, "教师已调入到岗")
