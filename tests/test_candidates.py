"""Schools the campaign does not track but a later approved report shows failing k or more items:
listed on the matrix as candidates, added by the bureau with a reason (numbers in
tests/campaign_world.py: 0003 fails one item in 2012, below the campaign's 2)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from phases.models import Gap, TrackedSchool
from phases.selectors_matrix import candidates
from phases.services import campaign_enrol
from schools.services import roles_sync, scope_set
from standards.services import compliance_recompute
from tests import campaign_world
from tests import factories as f

pytestmark = pytest.mark.django_db
THREE = "3303820003"


@pytest.fixture
def world():
    campaign, schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    # 2013: 0003 has 35 computers (8.75 per 100 pupils, under 10) and still 11 000 books (27.5 per
    # pupil, under 30): two items, as many as the campaign tracks.
    figures = {**campaign_world.PASSING, "computers": 35, "books": 11000}
    f.report(schools[THREE], year=2013, **figures)
    compliance_recompute()
    groups = roles_sync()
    admin = User.objects.create_superuser("bureau")
    clerk = User.objects.create_user("clerk", is_staff=True)
    clerk.groups.add(groups["clerk"])
    scope_set(user=clerk, schools=[schools[THREE]])
    return {"campaign": campaign, "schools": schools, "admin": admin, "clerk": User.objects.get(pk=clerk.pk)}


def test_a_school_failing_two_items_in_2013_is_a_candidate(world):
    found = candidates(world["campaign"], world["admin"])
    assert [(c.school.code, c.year, c.failed) for c in found] == [(THREE, 2013, 2)]


def test_the_candidates_take_the_same_queries_whatever_their_number(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        candidates(world["campaign"], world["admin"])
    for n in range(4, 8):
        school = f.school(f"330382000{n}", region=world["schools"][THREE].region)
        f.report(school, year=2013, **{**campaign_world.PASSING, "computers": 35, "books": 11000})
    compliance_recompute()
    with django_assert_num_queries(3):
        assert len(candidates(world["campaign"], world["admin"])) == 5


def test_the_bureau_adds_a_candidate_with_a_reason_and_its_gaps_follow(client, world):
    client.force_login(world["admin"])
    url = reverse("phases:tracked_add", args=[THREE])
    response = client.post(url, {"reason": " "}, follow=True)
    assert "增补跟踪学校须填写理由" in response.content.decode()
    assert not TrackedSchool.objects.filter(school__code=THREE).exists()
    response = client.post(url, {"reason": "2013 年数据显示计算机、图书不足"})
    assert response.status_code == 302
    tracked = TrackedSchool.objects.get(school__code=THREE)
    assert (tracked.source, tracked.reason) == ("added", "2013 年数据显示计算机、图书不足")
    assert sorted(Gap.objects.filter(tracked=tracked).values_list("indicator__code", flat=True)) == ["B", "C"]
    assert candidates(world["campaign"], world["admin"]) == []


def test_a_clerk_may_not_add_a_school_and_sees_no_add_form(client, world):
    client.force_login(world["clerk"])
    assert client.post(reverse("phases:tracked_add", args=[THREE]), {"reason": "x"}).status_code == 403
    page = client.get(reverse("phases:matrix")).content.decode()
    assert "候选学校" in page and reverse("phases:tracked_add", args=[THREE]) not in page
    assert not TrackedSchool.objects.filter(school__code=THREE).exists()
