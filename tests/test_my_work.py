"""The "my work" page and its summary on the home page: a user's open items of the current
campaign by due date, within their scope, in a constant number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from phases.models import Gap, TrackedSchool
from phases.selectors_work import work_groups, work_items
from tests import factories as f
from tests import work_world
from tests.work_world import BEIJING, IN, IN_NAME, OUT, OUT_NAME, TODAY, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return work_world.build()


@pytest.fixture
def on_today(monkeypatch):
    """Pages read the date from timezone.localdate(): make it the world's TODAY."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def listed(items):
    return [(item.kind, item.pk) for item in items]


def page(name, pk):
    """The page of a task or meeting, once the site has one (they come with the city's work)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def test_a_clerks_items_are_their_plans_and_their_schools_gaps_without_a_plan(world):
    o = world.objects
    items = work_items(fresh(world.users["clerk"]), TODAY)
    # The computers plan is due 2013-06-07, 3 days before 2013-06-10; the books gap has no plan,
    # so no date, and comes last. The waived gap's plan is done with; the computers gap is
    # listed once, as the clerk's plan.
    assert listed(items) == [("plan", o["plan in C"].pk), ("gap", o["gap in B"].pk)]
    plan, gap = items
    assert (plan.due, plan.days_left, plan.group, plan.due_text) == (
        date(2013, 6, 7),
        -3,
        "overdue",
        "逾期 3 天",
    )
    assert plan.title == "C 每百名学生计算机台数：购置配齐"
    assert plan.school == world.schools["in"]
    assert plan.url == reverse("phases:gap", args=[o["gap in C"].pk])
    assert plan.school_url == reverse("phases:school", args=[IN])
    assert (gap.due, gap.days_left, gap.group, gap.due_text) == (None, None, "undated", "未定期限")
    assert gap.url == reverse("phases:gap", args=[o["gap in B"].pk])


def test_a_reviewers_items_are_their_tasks_and_actions_and_the_evidence_to_judge(world):
    o = world.objects
    items = work_items(fresh(world.users["reviewer"]), TODAY)
    # The action is due today; the evidence, uploaded on 2013-06-05 (Beijing), a week later:
    # 2013-06-12, 2 days; the tasks 2013-06-17 (7 days), 2013-06-18 (8 days) and undated. The
    # done task and action, the earlier campaign's task, the accepted evidence and 虹桥一小's
    # evidence (outside the scope) are not listed.
    assert listed(items) == [
        ("action", o["action today"].pk),
        ("evidence", o["evidence in"].pk),
        ("task", o["task soon"].pk),
        ("task", o["task later"].pk),
        ("task", o["task undated"].pk),
    ]
    assert [item.due for item in items] == [
        date(2013, 6, 10),
        date(2013, 6, 12),
        date(2013, 6, 17),
        date(2013, 6, 18),
        None,
    ]
    assert [item.due_text for item in items] == [
        "今天到期",
        "还剩 2 天",
        "还剩 7 天",
        "还剩 8 天",
        "未定期限",
    ]
    action, evidence, soon = items[:3]
    assert action.url == page("phases:meeting", world.meeting.pk)
    assert (action.title, action.detail, action.school) == ("落实校舍改造资金", "领导小组第二次会议", None)
    assert evidence.url == reverse("phases:gap", args=[o["gap in C"].pk])
    assert evidence.school == world.schools["in"]
    assert (soon.title, soon.url) == ("PLAN-T5 任务PLAN-T5", page("phases:task", o["task soon"].pk))


def test_items_are_grouped_overdue_within_a_week_later_and_undated(world):
    o = world.objects
    reviewer = fresh(world.users["reviewer"])
    o["task later"].due_on = date(2013, 6, 9)  # yesterday: 1 day overdue
    o["task later"].save()
    groups = work_groups(work_items(reviewer, TODAY))
    assert [(group["key"], str(group["label"]), listed(group["items"])) for group in groups] == [
        ("overdue", "已逾期", [("task", o["task later"].pk)]),
        (
            "soon",
            "7 天内到期",
            [
                ("action", o["action today"].pk),
                ("evidence", o["evidence in"].pk),
                ("task", o["task soon"].pk),
            ],
        ),
        ("later", "以后到期", []),
        ("undated", "未定期限", [("task", o["task undated"].pk)]),
    ]


def test_a_clerk_never_sees_another_schools_items(world):
    o = world.objects
    clerk = work_items(fresh(world.users["clerk"]), TODAY)
    other = work_items(fresh(world.users["other clerk"]), TODAY)
    # The 柳市 clerk was named owner of 虹桥一小's plan: outside their scope, it is not theirs to see.
    assert ("plan", o["plan out C"].pk) not in listed(clerk)
    assert {item.school.code for item in clerk} == {IN}
    # 虹桥一小's clerk sees their school's gap without a plan, and not the plan owned by another.
    assert listed(other) == [("gap", o["gap out B"].pk)]


def test_a_user_who_owns_nothing_has_nothing_to_do(world):
    assert work_items(fresh(world.users["leader"]), TODAY) == []


def grow(world, n):
    """n more items of each kind: for the clerk, gaps of their school with and without their
    plan; for the reviewer, tasks, actions and evidence of n more schools of their town."""
    clerk, reviewer = world.users["clerk"], world.users["reviewer"]
    standard, town = world.campaign.standard, world.schools["in"].region
    for i in range(n):
        planned = f.indicator(standard, f"P{i}", ["computers"], ["students_{level}"], name=f"指标P{i}")
        unplanned = f.indicator(standard, f"U{i}", ["books"], ["students_{level}"], name=f"指标U{i}")
        work_world.plan(work_world.gap(world.tracked["in"], planned), clerk, date(2013, 7, 1))
        work_world.gap(world.tracked["in"], unplanned)
        school = f.school(f"33038201{i:02d}", region=town)
        tracked = TrackedSchool.objects.create(
            campaign=world.campaign, school=school, enrolled_on=date(2013, 3, 1)
        )
        work_world.evidence(
            work_world.gap(tracked, world.indicators["C"]), clerk, datetime(2013, 6, 8, 9, tzinfo=BEIJING)
        )
        work_world.task(world.phase, f"X{i}", reviewer, TODAY + timedelta(days=i))
        work_world.action(world.meeting, f"事项{i}", reviewer, TODAY - timedelta(days=i))


def test_the_number_of_queries_does_not_grow_with_the_items(world, django_assert_num_queries):
    clerk, reviewer = world.users["clerk"], world.users["reviewer"]
    counts = []
    for more in (0, 5):
        grow(world, more)
        # Clerk: their permissions (user, groups: 2), their scope and its regions (2; no region,
        # so no subtree), plans, gaps without a plan, tasks, actions: 8.
        as_clerk, as_reviewer = fresh(clerk), fresh(reviewer)
        with django_assert_num_queries(8):
            mine = work_items(as_clerk, TODAY)
        # Reviewer: permissions (2), scope and regions (2), the town's subtree (1), plans, tasks,
        # actions, evidence: 9.
        with django_assert_num_queries(9):
            theirs = work_items(as_reviewer, TODAY)
        counts.append((len(mine), len(theirs)))
    # Clerk: 2 items, then 5 plans and 5 gaps more; reviewer: 5 items, then 5 tasks, 5 actions
    # and 5 pieces of evidence more.
    assert counts == [(2, 5), (12, 20)]


def test_the_page_lists_the_clerks_items_by_group_with_words_for_overdue(client, world, on_today):
    client.force_login(world.users["clerk"])
    response = client.get(reverse("phases:my_work"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "截至 2013-06-10，共 2 项未完成的工作" in text
    assert "已逾期（1 项）" in text and "未定期限（1 项）" in text
    assert "7 天内到期（" not in text  # an empty group is left out
    assert "逾期 3 天" in text and "期限 2013-06-07" in text
    assert reverse("phases:gap", args=[world.objects["gap in C"].pk]) in text
    assert IN_NAME in text
    assert OUT not in text and OUT_NAME not in text


def test_the_page_of_a_reviewer_counts_each_group(client, world, on_today):
    client.force_login(world.users["reviewer"])
    text = client.get(reverse("phases:my_work")).content.decode()
    assert "7 天内到期（3 项）" in text and "以后到期（1 项）" in text and "未定期限（1 项）" in text
    assert "今天到期" in text and "还剩 2 天" in text and "还剩 8 天" in text
    assert "任务PLAN-T4" not in text  # done
    assert OUT not in text and OUT_NAME not in text


def test_the_page_says_when_there_is_nothing_to_do(client, world, on_today):
    client.force_login(world.users["leader"])
    assert "目前没有待办事项。" in client.get(reverse("phases:my_work")).content.decode()


def test_the_clerks_home_shows_the_first_items_and_links_to_the_page(client, world, on_today):
    client.force_login(world.users["clerk"])
    text = client.get(reverse("home")).content.decode()
    assert "我的待办" in text
    assert "共 2 项：逾期 1 项，7 天内到期 0 项。" in text
    assert "逾期 3 天" in text
    assert f'href="{reverse("phases:my_work")}"' in text
    assert OUT not in text and OUT_NAME not in text


def test_the_reviewers_home_shows_no_more_than_five_items(client, world, on_today):
    for i in range(3):
        work_world.task(world.phase, f"Y{i}", world.users["reviewer"], date(2013, 9, 1))
    client.force_login(world.users["reviewer"])
    response = client.get(reverse("home"))
    work = response.context["work"]
    # 5 items of the world and 3 more tasks: 8, the first five shown.
    assert (work["total"], len(work["items"])) == (8, 5)
    assert "查看全部 8 项待办" in response.content.decode()


def test_the_home_of_a_reader_who_owns_nothing_has_no_work_section(client, world, on_today):
    client.force_login(world.users["leader"])
    # The nav links every user to their work; the home page has no section of it.
    assert "<h2>我的待办</h2>" not in client.get(reverse("home")).content.decode()
    work_world.task(world.phase, "PLAN-T2", world.users["leader"], date(2013, 6, 12))
    text = client.get(reverse("home")).content.decode()
    assert "<h2>我的待办</h2>" in text and "还剩 2 天" in text


def test_resolved_gaps_leave_the_list(world):
    # Waiving the books gap (no plan) and the computers gap (the clerk's plan) leaves nothing.
    Gap.objects.filter(pk__in=[world.objects["gap in B"].pk, world.objects["gap in C"].pk]).update(
        status=Gap.Status.WAIVED, waiver_reason="撤并"
    )
    assert work_items(fresh(world.users["clerk"]), TODAY) == []
