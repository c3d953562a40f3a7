"""Imported reports are approved figures: importing a later year whose data passes an item
closes that item's gap (numbers in tests/campaign_world.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from phases.models import Gap
from phases.services import campaign_enrol
from tests import campaign_world
from tests.import_files import csv_file

pytestmark = pytest.mark.django_db


def test_importing_passing_2013_figures_closes_the_gaps_they_fix(tmp_path):
    campaign, _schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    passing = campaign_world.PASSING
    keys = ["school_code", "year", *passing]
    # 0002 in 2013: computers up to 40 and books to 12 000; teachers still 18 (2 short).
    row = {**passing, "teachers_primary": 18}
    path = csv_file(tmp_path / "r.csv", keys, [["3303820002", 2013, *(row[key] for key in passing)]])
    call_command("import_reports", str(path), stdout=StringIO(), stderr=StringIO())
    status = dict(
        Gap.objects.filter(tracked__school__code="3303820002").values_list("indicator__code", "status")
    )
    assert status == {"C": "closed", "B": "closed", "T": "open"}
    assert set(Gap.objects.filter(status="closed").values_list("closed_by__year", flat=True)) == {2013}
