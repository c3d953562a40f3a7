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


def test_the_demo_campaign_half_way_closes_nothing_and_runs_once(tmp_path, settings):
    """demo_campaign writes visits, plans, work, evidence, ledgers, tasks and meetings through the
    services; the gaps the 2013 reports closed stay exactly those, and a second run writes nothing."""
    from django.contrib.auth.models import User

    from phases.models import Evidence, InspectionVisit, LedgerEntry, Meeting, RectificationPlan, Task
    from phases.selectors import current_campaign
    from phases.selectors_matrix import matrix_rows, visible_tracked

    call_command("demo_data", "--out", str(tmp_path), verbosity=0)
    settings.DEBUG = True  # demo_users sets well-known passwords only in a demo setup
    call_command("demo_users", verbosity=0)
    closed = set(Gap.objects.filter(status=Gap.Status.CLOSED).values_list("pk", flat=True))
    call_command("demo_campaign", verbosity=0)
    assert set(Gap.objects.filter(status=Gap.Status.CLOSED).values_list("pk", flat=True)) == closed
    # Three of the 53 not yet visited, and four of the 50 visits not signed off (index % 13 == 7).
    assert InspectionVisit.objects.count() == 50
    assert InspectionVisit.objects.filter(signed_off=True).count() == 46
    written = (
        RectificationPlan.objects.count(),
        Evidence.objects.count(),
        LedgerEntry.objects.count(),
        Meeting.objects.count(),
        Task.objects.exclude(owner=None).count(),
    )
    assert written[0] > 0 and written[1] > 0 and written[3] == 2 and written[4] == 18
    # The clerk's school is tracked with gaps still open, so the clerk has work.
    clerk = User.objects.get(username="clerk")
    mine = Gap.objects.filter(tracked__school__in=clerk.scope.schools.all(), status__in=Gap.UNRESOLVED)
    assert mine.exists()
    # Plausible mid-campaign: some schools verified and some rectified, several phases overdue.
    rows = matrix_rows(visible_tracked(current_campaign(), User.objects.get(username="admin")))
    done = {number: sum(row.phase(number).done for row in rows) for number in range(1, 6)}
    overdue = {number: sum(row.phase(number).overdue for row in rows) for number in range(1, 6)}
    assert done[1] == 46 and overdue[1] == 53 - 46  # verified: a signed-off visit
    assert 0 < done[2] < 53 and overdue[2] == 53 - done[2]  # rectified: every gap closed or waived
    assert done[3] == 53  # every 2013 report (the evaluation's data year) approved
    call_command("demo_campaign", verbosity=0)
    assert (
        RectificationPlan.objects.count(),
        Evidence.objects.count(),
        LedgerEntry.objects.count(),
        Meeting.objects.count(),
        Task.objects.exclude(owner=None).count(),
    ) == written
