"""The demo's campaign: its 2012 baseline tracks the 53 schools failing two or more items, and
the approved 2013 reports close the gaps their data fixes (computers and books, topped up at all
53 by construction: see tests/test_demo_data.py) while others stay open."""

import pytest
from django.core.management import call_command

from phases.models import Gap, TrackedSchool, UnitCost

pytestmark = pytest.mark.django_db


def test_the_demo_tracks_the_53_and_2013_closes_some_of_their_gaps(tmp_path):
    for _ in range(2):  # loading again changes nothing
        call_command("demo_data", "--out", str(tmp_path), verbosity=0)
        tracked = TrackedSchool.objects.filter(campaign__is_current=True)
        assert tracked.count() == 53
        assert all(t.baseline_failed >= 2 for t in tracked)
        gaps = Gap.objects.filter(tracked__in=tracked)
        closed = gaps.filter(status=Gap.Status.CLOSED)
        assert closed.exists() and gaps.filter(status=Gap.Status.OPEN).exists()
        assert set(closed.values_list("closed_by__year", flat=True)) == {2013}
        # Every computer and book gap is topped up in 2013 (PLAN-T4).
        topped_up = gaps.filter(indicator__code__in=["Z5", "Z6"])
        assert topped_up.exists() and not topped_up.exclude(status=Gap.Status.CLOSED).exists()
        # The plans' costs have sample unit costs to start from (a computer: 4 500 元).
        assert UnitCost.objects.filter(is_sample=True).count() == 7
        assert UnitCost.objects.get(indicator__code="Z5").cost == 4500
