"""The campaign's progress read back (tracked schools with their open gaps, gaps by status), and
the rectification plan's measure checked against the gap's category (tests/campaign_world.py)."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from phases.models import Gap, RectificationPlan
from phases.selectors import gap_counts, tracked_schools
from phases.services import campaign_enrol, gap_waive
from tests import campaign_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign, _schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    return campaign


def test_progress_counts_open_gaps_per_school_and_gaps_by_status(campaign):
    site = Gap.objects.get(tracked__school__code="3303820001", indicator__code="L")
    gap_waive(gap=site, reason="已列入撤并计划", user=User.objects.create_user("bureau"))
    rows = [(t.school.code, t.gaps_total, t.gaps_open) for t in tracked_schools(campaign)]
    assert rows == [("3303820001", 2, 1), ("3303820002", 3, 3)]
    assert gap_counts(campaign) == {
        "open": 4,
        "planned": 0,
        "in_progress": 0,
        "claimed": 0,
        "closed": 0,
        "waived": 1,
    }


def plan(gap, measure):
    return RectificationPlan(
        gap=gap, measure=measure, responsible_unit="教育局计财科", deadline=date(2013, 8, 31)
    )


def test_a_measure_must_fit_the_gaps_category(campaign):
    computers = Gap.objects.get(tracked__school__code="3303820001", indicator__code="C")
    site = Gap.objects.get(tracked__school__code="3303820001", indicator__code="L")
    plan(computers, "purchase").full_clean()
    plan(site, "extend").full_clean()
    plan(site, "other").full_clean()
    with pytest.raises(ValidationError) as refused:
        plan(computers, "build").full_clean()
    assert "measure" in refused.value.message_dict
    with pytest.raises(ValidationError):
        plan(site, "recruit").full_clean()
