"""The plan's tasks (PLAN-T1…T18): the list by phase with owners, due dates and overdue marks, a
task's page with its progress, files and the schools it concerns, and the writes on it.

The campaign is the shipped one (fixtures/campaign-2013.json): phases from 2013-03-01 to
2014-06-30, so any due date within it is past today, and overdue unless done.
"""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from phases.models import Attachment, Campaign, Gap, Phase, Task, TaskUpdate, TrackedSchool
from phases.services_city import attachment_add, task_assign, task_update
from schools.models import Region
from schools.roles import ROLES
from schools.services import demo_user_sync, roles_sync, scope_set
from standards.models import Indicator
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OVERDUE = '<span class="fail">逾期</span>'


@pytest.fixture
def plan():
    call_command("loaddata", "regions", "national-2012", "zj-basic", "campaign-2013", verbosity=0)
    groups = roles_sync()
    town = Region.objects.get(code="330382002")
    for role in ROLES:
        user = demo_user_sync(role=role, group=groups[role.key], password=f"yq-{role.key}-2013")
        if role.key != "admin":
            scope_set(user=user, regions=[town])
    return Campaign.objects.get(is_current=True)


def task(code):
    return Task.objects.get(code=code)


def user(name):
    return User.objects.get(username=name)


def as_user(client, name):
    client.force_login(user(name))
    return client


# --- The list -------------------------------------------------------------------------------------


def test_the_list_shows_the_plans_eighteen_tasks_under_their_five_phases(client, plan):
    response = as_user(client, "leader").get(reverse("phases:tasks"))
    assert response.status_code == 200
    text = response.content.decode()
    codes = re.findall(r">(PLAN-T\d+)</a>", text)
    assert codes == [f"PLAN-T{n}" for n in range(1, 19)]
    headings = re.findall(r"<h2>(\d\. [^<]+?) <span", text)
    assert headings == [
        "1. 问题核实阶段",
        "2. 问题整改阶段",
        "3. 数据核准阶段",
        "4. 申报准备阶段",
        "5. 自查迎评阶段",
    ]


def test_owner_unit_due_date_status_and_the_latest_note_are_shown(client, plan):
    t4 = task("PLAN-T4")
    task_assign(
        task=t4,
        user=user("admin"),
        owner=user("reviewer"),
        responsible_unit="装备中心",
        due_on=date(2013, 8, 31),
    )
    task_update(task=t4, user=user("admin"), status="in_progress", note="已完成招标")
    task_update(task=t4, user=user("admin"), status="in_progress", note="第一批电脑已到货")
    text = as_user(client, "leader").get(reverse("phases:tasks")).content.decode()
    row = text[text.index(">PLAN-T4<") : text.index(">PLAN-T5<")]
    assert "装备中心" in row and "审核员" in row and "2013-08-31" in row and "进行中" in row
    assert "第一批电脑已到货" in row and "已完成招标" not in row
    # Past its due date and not done: overdue.
    assert OVERDUE in row


def test_a_done_task_or_one_due_later_is_not_overdue(client, plan):
    admin = user("admin")
    t5, t6 = task("PLAN-T5"), task("PLAN-T6")
    task_assign(task=t5, user=admin, owner=None, responsible_unit="", due_on=date(2013, 8, 31))
    task_update(task=t5, user=admin, status="done", note="", done_on=date(2013, 9, 5))
    # A campaign running into the future: its last phase ends in a year.
    Phase.objects.filter(campaign=plan, number=5).update(ends_on=timezone.localdate() + timedelta(days=365))
    task_assign(
        task=t6, user=admin, owner=None, responsible_unit="", due_on=timezone.localdate() + timedelta(days=30)
    )
    text = as_user(client, "leader").get(reverse("phases:tasks")).content.decode()
    assert text.count(OVERDUE) == 0


def test_filters_by_phase_status_overdue_and_owner(client, plan):
    admin, reviewer = user("admin"), user("reviewer")
    task_assign(
        task=task("PLAN-T4"), user=admin, owner=reviewer, responsible_unit="", due_on=date(2013, 8, 31)
    )
    task_assign(task=task("PLAN-T7"), user=admin, owner=None, responsible_unit="", due_on=date(2013, 10, 31))
    task_update(task=task("PLAN-T7"), user=admin, status="done", note="", done_on=date(2013, 10, 20))
    client = as_user(client, "leader")

    def listed(**query):
        return [t.code for t in client.get(reverse("phases:tasks"), query).context["tasks"]]

    phase2 = Phase.objects.get(campaign=plan, number=2)
    assert listed(phase=phase2.pk) == ["PLAN-T4", "PLAN-T5", "PLAN-T6"]
    assert listed(status="done") == ["PLAN-T7"]
    assert listed(overdue="1") == ["PLAN-T4"]
    assert listed(owner=reviewer.pk) == ["PLAN-T4"]


def test_a_clerk_has_no_task_pages(client, plan):
    client = as_user(client, "clerk")
    assert client.get(reverse("phases:tasks")).status_code == 403
    assert client.get(reverse("phases:task", args=[task("PLAN-T1").pk])).status_code == 403


# --- Writes: status, assignment ---------------------------------------------------------------------


def test_done_without_a_date_is_refused_and_nothing_is_written(plan):
    t1 = task("PLAN-T1")
    with pytest.raises(ValidationError) as refused:
        task_update(task=t1, user=user("admin"), status="done", note="核查完毕")
    assert "任务 PLAN-T1：标记为已完成须填写完成日期。" in refused.value.messages
    t1.refresh_from_db()
    assert (t1.status, t1.done_on, TaskUpdate.objects.count()) == ("not_started", None, 0)


def test_a_status_move_is_recorded_with_its_note_and_in_the_history(plan):
    t1, admin = task("PLAN-T1"), user("admin")
    task_update(task=t1, user=admin, status="done", note="53所学校核查完毕", done_on=date(2013, 4, 28))
    t1.refresh_from_db()
    assert (t1.status, t1.done_on) == ("done", date(2013, 4, 28))
    assert TaskUpdate.objects.get(task=t1).note == "状态：未开始 → 已完成\n53所学校核查完毕"
    assert t1.history.latest().history_user == admin


def test_a_done_date_in_the_future_or_on_unfinished_work_is_refused(plan):
    t1, admin = task("PLAN-T1"), user("admin")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="晚于今天"):
        task_update(task=t1, user=admin, status="done", note="", done_on=tomorrow)
    with pytest.raises(ValidationError, match="不填完成日期"):
        task_update(task=t1, user=admin, status="in_progress", note="", done_on=date(2013, 4, 1))
    with pytest.raises(ValidationError, match="请填写进展情况或修改状态"):
        task_update(task=t1, user=admin, status="not_started", note="  ")
    assert TaskUpdate.objects.count() == 0


def test_a_due_date_outside_the_campaign_is_refused(plan):
    t4, admin = task("PLAN-T4"), user("admin")
    for outside in (date(2013, 2, 28), date(2014, 7, 1)):
        with pytest.raises(ValidationError) as refused:
            task_assign(task=t4, user=admin, owner=None, responsible_unit="装备中心", due_on=outside)
        assert refused.value.message_dict["due_on"] == [
            f"任务 PLAN-T4的完成期限 {outside} 不在创建工作“乐清市创建省义务教育均衡发展市”的时间范围"
            "（2013-03-01 至 2014-06-30）内。"
        ]
    t4.refresh_from_db()
    assert (t4.due_on, t4.responsible_unit) == (None, "")
    # The span's own ends are inside.
    task_assign(task=t4, user=admin, owner=None, responsible_unit="装备中心", due_on=date(2014, 6, 30))
    t4.refresh_from_db()
    assert t4.due_on == date(2014, 6, 30)


def test_the_assign_form_shows_the_refusal_on_the_page(client, plan):
    t4 = task("PLAN-T4")
    url = reverse("phases:task_assign", args=[t4.pk])
    response = as_user(client, "admin").post(url, {"responsible_unit": "装备中心", "due_on": "2015-01-01"})
    assert response.status_code == 200
    assert "不在创建工作" in response.content.decode()
    t4.refresh_from_db()
    assert t4.responsible_unit == ""
    response = client.post(
        url, {"owner": user("town").pk, "responsible_unit": "装备中心", "due_on": "2013-08-31"}
    )
    assert response.status_code == 302
    t4.refresh_from_db()
    assert (t4.owner.username, t4.due_on) == ("town", date(2013, 8, 31))


def test_the_progress_form_refuses_done_without_a_date(client, plan):
    t1 = task("PLAN-T1")
    url = reverse("phases:task_update", args=[t1.pk])
    response = as_user(client, "admin").post(url, {"status": "done", "note": "完成"})
    assert response.status_code == 200
    assert "标记为已完成须填写完成日期" in response.content.decode()
    assert TaskUpdate.objects.count() == 0


def test_only_the_bureau_writes_on_tasks(client, plan):
    t1 = task("PLAN-T1")
    client = as_user(client, "reviewer")
    response = client.post(
        reverse("phases:task_update", args=[t1.pk]), {"status": "in_progress", "note": "x"}
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("phases:task_assign", args=[t1.pk]), {"due_on": "2013-04-01"}).status_code == 403
    )
    assert TaskUpdate.objects.count() == 0


# --- Attachments ---------------------------------------------------------------------------------------


def test_an_attachment_is_kept_and_downloaded_as_a_file_never_shown_inline(client, plan):
    t2 = task("PLAN-T2")
    url = reverse("phases:task_attach", args=[t2.pk])
    upload = SimpleUploadedFile("会议纪要<script>.pdf", PDF, content_type="text/html")
    response = as_user(client, "admin").post(url, {"file": upload, "note": "专题会议纪要"})
    assert response.status_code == 302
    attachment = Attachment.objects.get(task=t2)
    assert (attachment.original_name, attachment.content_type) == ("会议纪要script.pdf", "application/pdf")
    assert attachment.file.name.startswith("attachments/") and attachment.file.name.endswith(".pdf")
    page = as_user(client, "leader").get(reverse("phases:task", args=[t2.pk])).content.decode()
    download = reverse("phases:attachment_file", args=[attachment.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_an_attachment_is_refused_by_its_content_not_its_name(client, plan):
    t2 = task("PLAN-T2")
    html = SimpleUploadedFile(
        "纪要.pdf", b"<html><body onload=alert(1)></body></html>", content_type="application/pdf"
    )
    response = as_user(client, "admin").post(reverse("phases:task_attach", args=[t2.pk]), {"file": html})
    assert response.status_code == 200
    assert "“纪要”不是可接受的文件类型" in response.content.decode()
    assert Attachment.objects.count() == 0
    with pytest.raises(ValidationError, match="空文件"):
        attachment_add(user=user("admin"), upload=SimpleUploadedFile("a.pdf", b""), note="", task=t2)
    with pytest.raises(ValidationError, match="只属于一项"):
        attachment_add(user=user("admin"), upload=SimpleUploadedFile("a.pdf", PDF), note="")
    assert Attachment.objects.count() == 0


def test_a_clerk_may_not_download_attachments(client, plan):
    attachment = attachment_add(
        user=user("admin"), upload=SimpleUploadedFile("a.pdf", PDF), note="", task=task("PLAN-T2")
    )
    response = as_user(client, "clerk").get(reverse("phases:attachment_file", args=[attachment.pk]))
    assert response.status_code == 403


# --- The schools and gaps a task concerns ----------------------------------------------------------------


def test_a_task_links_its_schools_and_gaps_within_the_users_scope(client, plan):
    inside = f.school("3303820101", region=Region.objects.get(code="330382002"), name="乐成一小")
    outside = f.school("3303820102", region=Region.objects.get(code="330382001"), name="城东一小")
    tracked = [
        TrackedSchool.objects.create(campaign=plan, school=school, enrolled_on=date(2013, 3, 1))
        for school in (inside, outside)
    ]
    computers = Indicator.objects.get(standard=plan.standard, code="Z5")
    gaps = [
        Gap.objects.create(tracked=each, indicator=computers, category="equipment", shortfall=7, unit="台")
        for each in tracked
    ]
    t4 = task("PLAN-T4")
    t4.tracked_schools.set(tracked)
    t4.gaps.set(gaps)
    text = as_user(client, "town").get(reverse("phases:task", args=[t4.pk])).content.decode()
    assert reverse("phases:school", args=["3303820101"]) in text
    assert reverse("phases:gap", args=[gaps[0].pk]) in text
    assert "城东一小" not in text and "3303820102" not in text
    assert reverse("phases:gap", args=[gaps[1].pk]) not in text
    assert "另有 2 项不在您的查看范围内" in text
    text = as_user(client, "admin").get(reverse("phases:task", args=[t4.pk])).content.decode()
    assert "城东一小" in text and reverse("phases:gap", args=[gaps[1].pk]) in text


# --- Query counts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("more", [0, 20])
def test_the_task_list_takes_the_same_queries_at_any_size(client, plan, django_assert_num_queries, more):
    admin = user("admin")
    phase = Phase.objects.get(campaign=plan, number=5)
    for n in range(more):
        extra = Task.objects.create(phase=phase, code=f"X-{n}", title=f"补充任务{n}", order=100 + n)
        task_assign(
            task=extra, user=admin, owner=user("reviewer"), responsible_unit="教育局", due_on=date(2014, 6, 1)
        )
        task_update(task=extra, user=admin, status="in_progress", note=f"进展{n}")
    client = as_user(client, "leader")
    # Session, user, the user's and their groups' permissions, the campaign (the view's and the
    # banner's), the tasks with their phase, owner and latest note, and the filters' phases and owners.
    with django_assert_num_queries(9):
        assert client.get(reverse("phases:tasks")).status_code == 200


# --- The admin checks what the services check --------------------------------------------------------


def admin_post(client, url, **changes):
    """The admin change form as shown, with `changes`, posted back."""
    page = client.get(url).context
    form = page["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data = {
        key: [v.pk for v in value] if key in ("tracked_schools", "gaps") else value
        for key, value in data.items()
    }
    for inline in page["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{key}": value for key, value in management.initial.items()})
    return client.post(url, {**data, **changes})


def test_the_admin_refuses_a_due_date_outside_the_campaign_and_done_without_a_date(client, plan):
    t4 = task("PLAN-T4")
    url = reverse("admin:phases_task_change", args=[t4.pk])
    client = as_user(client, "admin")
    response = admin_post(client, url, due_on="2015-01-01")
    assert response.status_code == 200
    assert "不在创建工作“乐清市创建省义务教育均衡发展市”的时间范围" in response.content.decode()
    response = admin_post(client, url, status="done")
    assert "标记为已完成须填写完成日期" in response.content.decode()
    t4.refresh_from_db()
    assert (t4.due_on, t4.status) == (None, "not_started")
    assert admin_post(client, url, due_on="2013-08-31").status_code == 302
    t4.refresh_from_db()
    assert t4.due_on == date(2013, 8, 31)
