"""Leadership-group meetings (PLAN-T2, PLAN-S1): date, attending units, decisions, and follow-up
actions with owner and due date, tracked like tasks (the campaign: 2013-03-01 to 2014-06-30)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from phases.models import Attachment, Campaign, FollowUpAction, Meeting
from phases.services_city import action_add, action_assign, action_update, meeting_record
from schools.models import Region
from schools.roles import ROLES
from schools.services import demo_user_sync, roles_sync, scope_set

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OVERDUE = '<span class="fail">逾期</span>'


@pytest.fixture
def plan():
    call_command("loaddata", "regions", "national-2012", "zj-basic", "campaign-2013", verbosity=0)
    groups = roles_sync()
    for role in ROLES:
        user = demo_user_sync(role=role, group=groups[role.key], password=f"yq-{role.key}-2013")
        if role.key != "admin":
            scope_set(user=user, regions=[Region.objects.get(code="330382002")])
    return Campaign.objects.get(is_current=True)


def user(name):
    return User.objects.get(username=name)


def as_user(client, name):
    client.force_login(user(name))
    return client


@pytest.fixture
def meeting(plan):
    return meeting_record(
        campaign=plan,
        user=user("admin"),
        held_on=date(2013, 3, 20),
        title="创建工作领导小组第一次会议",
        attending_units="市府办、市教育局、市财政局",
        decisions="一、电脑图书一次性补足；二、问题严重学校一校一策。",
    )


def test_recording_a_meeting_from_its_page(client, plan):
    data = {
        "held_on": "2013-03-20",
        "title": "创建工作领导小组第一次会议",
        "attending_units": "市府办、市教育局",
        "decisions": "电脑图书一次性补足",
    }
    response = as_user(client, "admin").post(reverse("phases:meeting_record"), data)
    recorded = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "phases:meeting", args=[recorded.pk]
    )
    assert (recorded.held_on, recorded.attending_units) == (date(2013, 3, 20), "市府办、市教育局")
    assert recorded.history.latest().history_user == user("admin")
    page = as_user(client, "leader").get(reverse("phases:meeting", args=[recorded.pk])).content.decode()
    assert "市府办、市教育局" in page and "电脑图书一次性补足" in page


def test_a_meeting_without_a_title_or_held_in_the_future_is_refused(client, plan):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="晚于今天"):
        meeting_record(campaign=plan, user=user("admin"), held_on=tomorrow, title="会议")
    response = as_user(client, "admin").post(
        reverse("phases:meeting_record"), {"held_on": "2013-03-20", "title": " "}
    )
    assert response.status_code == 200
    assert Meeting.objects.count() == 0


def test_an_action_due_outside_the_campaign_or_before_the_meeting_is_refused(meeting):
    admin = user("admin")
    with pytest.raises(ValidationError) as refused:
        action_add(meeting=meeting, user=admin, title="补足电脑", due_on=date(2014, 9, 1))
    assert "落实事项“补足电脑”的完成期限 2014-09-01 不在创建工作" in refused.value.messages[0]
    with pytest.raises(ValidationError, match="早于会议日期 2013-03-20"):
        action_add(meeting=meeting, user=admin, title="补足电脑", due_on=date(2013, 3, 10))
    assert FollowUpAction.objects.count() == 0


def test_an_action_is_tracked_like_a_task(meeting):
    admin = user("admin")
    action = action_add(
        meeting=meeting,
        user=admin,
        title="补足电脑",
        responsible_unit="装备中心",
        owner=user("reviewer"),
        due_on=date(2013, 8, 31),
    )
    with pytest.raises(ValidationError, match="标记为已完成须填写完成日期"):
        action_update(action=action, user=admin, status="done", note="已补足")
    action.refresh_from_db()
    assert (action.status, action.notes) == ("not_started", "")
    action_update(action=action, user=admin, status="done", note="已补足", done_on=date(2013, 8, 20))
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", date(2013, 8, 20))
    assert action.notes.endswith("：状态：未开始 → 已完成\n已补足")
    with pytest.raises(ValidationError, match="不在创建工作"):
        action_assign(action=action, user=admin, owner=None, responsible_unit="", due_on=date(2012, 1, 1))
    assert action.history.latest().history_user == admin


def test_the_meeting_page_marks_overdue_actions_and_the_list_counts_them(client, meeting):
    admin = user("admin")
    action_add(
        meeting=meeting, user=admin, title="补足电脑", owner=user("reviewer"), due_on=date(2013, 8, 31)
    )
    done = action_add(meeting=meeting, user=admin, title="一校一策", due_on=date(2013, 8, 31))
    action_update(action=done, user=admin, status="done", note="", done_on=date(2013, 8, 30))
    client = as_user(client, "leader")
    page = client.get(reverse("phases:meeting", args=[meeting.pk])).content.decode()
    # One overdue (past 2013-08-31, not done), one done.
    assert page.count(OVERDUE) == 1
    assert "审核员" in page and "2013-08-31" in page
    listed = client.get(reverse("phases:meetings")).context["meetings"]
    [row] = listed
    assert (row.actions_total, row.actions_open, row.actions_overdue) == (2, 1, 1)


def test_action_forms_on_the_meeting_page(client, meeting):
    client = as_user(client, "admin")
    add = reverse("phases:action_add", args=[meeting.pk])
    response = client.post(add, {"title": "补足电脑", "responsible_unit": "装备中心", "due_on": "2016-01-01"})
    assert response.status_code == 200 and "不在创建工作" in response.content.decode()
    response = client.post(add, {"title": "补足电脑", "responsible_unit": "装备中心", "due_on": "2013-08-31"})
    assert response.status_code == 302
    action = FollowUpAction.objects.get()
    prefix = f"a{action.pk}"
    update = reverse("phases:action_update", args=[action.pk])
    response = client.post(update, {f"{prefix}-status": "done", f"{prefix}-note": "完成"})
    assert response.status_code == 200 and "标记为已完成须填写完成日期" in response.content.decode()
    response = client.post(update, {f"{prefix}-status": "in_progress", f"{prefix}-note": "采购中"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress" and "采购中" in action.notes
    attach = reverse("phases:action_attach", args=[action.pk])
    response = client.post(attach, {f"{prefix}-file": SimpleUploadedFile("合同.pdf", PDF)})
    assert response.status_code == 302
    assert Attachment.objects.get().action == action


def test_meeting_attachments_are_checked_by_content(client, meeting):
    url = reverse("phases:meeting_attach", args=[meeting.pk])
    client = as_user(client, "admin")
    fake = SimpleUploadedFile("纪要.docx", b"MZ\x90\x00 not a document")
    response = client.post(url, {"file": fake})
    assert "不是可接受的文件类型" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert (
        client.post(url, {"file": SimpleUploadedFile("纪要.pdf", PDF), "note": "会议纪要"}).status_code == 302
    )
    assert Attachment.objects.get().meeting == meeting


def test_read_only_roles_see_meetings_and_write_nothing(client, meeting):
    client = as_user(client, "leader")
    assert client.get(reverse("phases:meetings")).status_code == 200
    assert client.get(reverse("phases:meeting", args=[meeting.pk])).status_code == 200
    data = {"title": "x", "due_on": "2013-08-31"}
    assert client.post(reverse("phases:action_add", args=[meeting.pk]), data).status_code == 403
    assert (
        client.post(reverse("phases:meeting_record"), {"held_on": "2013-03-20", "title": "x"}).status_code
        == 403
    )
    assert as_user(client, "clerk").get(reverse("phases:meetings")).status_code == 403
    assert (Meeting.objects.count(), FollowUpAction.objects.count()) == (1, 0)
