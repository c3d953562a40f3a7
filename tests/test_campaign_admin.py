"""The bureau's console for the campaign: the enrol action on a campaign, the gap list with its
filters, and a gap that the admin cannot close by hand (numbers in tests/campaign_world.py)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from phases.models import Gap, TrackedSchool
from tests import campaign_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))
    return client


def test_the_enrol_action_tracks_the_baselines_failing_schools(admin_client):
    campaign, _schools, _indicators = campaign_world.build()
    response = admin_client.post(
        reverse("admin:phases_campaign_changelist"),
        {"action": "enrol", "_selected_action": [campaign.pk]},
        follow=True,
    )
    assert "新增跟踪学校 2 所" in response.content.decode()
    assert TrackedSchool.objects.count() == 2 and Gap.objects.count() == 5


def test_the_enrol_action_reports_a_missing_baseline(admin_client):
    campaign, _schools, _indicators = campaign_world.build(approve=False)
    response = admin_client.post(
        reverse("admin:phases_campaign_changelist"),
        {"action": "enrol", "_selected_action": [campaign.pk]},
        follow=True,
    )
    assert "没有已审核年报" in response.content.decode()
    assert not TrackedSchool.objects.exists()


def test_gaps_filter_by_status_and_category(admin_client):
    campaign, _schools, _indicators = campaign_world.build()
    admin_client.post(
        reverse("admin:phases_campaign_changelist"), {"action": "enrol", "_selected_action": [campaign.pk]}
    )
    url = reverse("admin:phases_gap_changelist")
    assert admin_client.get(url).context["cl"].result_count == 5
    # Facility items: 0001's site area alone.
    assert admin_client.get(url + "?category__exact=facility").context["cl"].result_count == 1
    assert admin_client.get(url + "?status__exact=open&q=3303820002").context["cl"].result_count == 3


def test_a_gap_cannot_be_closed_by_hand(admin_client):
    campaign, _schools, _indicators = campaign_world.build()
    admin_client.post(
        reverse("admin:phases_campaign_changelist"), {"action": "enrol", "_selected_action": [campaign.pk]}
    )
    gap = Gap.objects.get(tracked__school__code="3303820001", indicator__code="C")
    response = admin_client.post(
        reverse("admin:phases_gap_change", args=[gap.pk]), {"status": "closed", "waiver_reason": ""}
    )
    assert response.status_code == 200  # the form again, with the error
    gap.refresh_from_db()
    assert gap.status == Gap.Status.OPEN
