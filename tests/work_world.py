"""A hand-built campaign for the "my work" page and the reminders, as of TODAY (2013-06-10).

Two towns, a tracked school in each: 柳市一小 (3303820001, 柳市镇) and 虹桥一小 (3303820002, 虹桥镇).
- The clerk (柳市一小 only) owns the plan of 柳市一小's computers gap, due 2013-06-07 (3 days
  overdue); 柳市一小's books gap has no plan yet (undated); a waived gap's plan of theirs is done
  with; they were also named (by mistake) owner of 虹桥一小's computers plan, outside their scope.
- 虹桥一小's books gap has no plan: its own clerk's item, never the 柳市 clerk's.
- The reviewer (柳市镇) owns tasks due 2013-06-17 (7 days left), 2013-06-18 (8 days), one without a
  due date, one done, and one of an earlier campaign; a meeting's action due today and one done;
  and judges evidence: 柳市一小's pending one uploaded 2013-06-05 07:30 Beijing time (23:30 on the
  4th in UTC: due a week after the local date, 2013-06-12, 2 days left), 虹桥一小's pending one
  (outside the scope), an accepted one.
- The leader owns nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from phases.models import (
    Evidence,
    FollowUpAction,
    Gap,
    Meeting,
    Phase,
    RectificationPlan,
    Task,
    TrackedSchool,
)
from schools.services import roles_sync, scope_set
from tests import factories as f

TODAY = date(2013, 6, 10)
BEIJING = ZoneInfo("Asia/Shanghai")
IN, OUT = "3303820001", "3303820002"
IN_NAME, OUT_NAME = "柳市一小", "虹桥一小"


@dataclass
class World:
    campaign: object
    phase: object
    meeting: object
    indicators: dict
    schools: dict
    tracked: dict
    users: dict
    objects: dict


def user(username, group, *, email="", regions=(), schools=()):
    account = User.objects.create_user(username, email=email, is_staff=True)
    account.groups.add(group)
    scope_set(user=account, regions=regions, schools=schools)
    return account


def gap(tracked, indicator, **fields):
    fields.setdefault("category", "equipment")
    return Gap.objects.create(tracked=tracked, indicator=indicator, shortfall=5, unit="台", **fields)


def plan(for_gap, owner, deadline, **fields):
    return RectificationPlan.objects.create(
        gap=for_gap, measure="purchase", responsible_unit="装备中心", owner=owner, deadline=deadline, **fields
    )


def evidence(for_gap, uploader, uploaded_at, name="验收单.pdf", **fields):
    item = Evidence.objects.create(
        gap=for_gap,
        file=f"evidence/{name}",
        original_name=name,
        content_type="application/pdf",
        size=1024,
        uploaded_by=uploader,
        effective_on=uploaded_at.date(),
        **fields,
    )
    Evidence.objects.filter(pk=item.pk).update(uploaded_at=uploaded_at)
    return item


def task(phase, code, owner, due_on=None, **fields):
    return Task.objects.create(
        phase=phase, code=code, title=f"任务{code}", owner=owner, due_on=due_on, **fields
    )


def action(meeting, title, owner, due_on=None, **fields):
    return FollowUpAction.objects.create(meeting=meeting, title=title, owner=owner, due_on=due_on, **fields)


def build():
    groups = roles_sync()
    basic = f.standard("t-basic")
    indicators = {
        "C": f.indicator(
            basic,
            "C",
            ["computers"],
            ["students_{level}"],
            scale=100,
            thresholds=["10"],
            name="每百名学生计算机台数",
        ),
        "B": f.indicator(basic, "B", ["books"], ["students_{level}"], thresholds=["30"], name="生均图书册数"),
    }
    balance = f.standard("t-balance", kind="balance", unit="level")
    county = f.county()
    liushi = f.town(county, "330382114", "柳市镇")
    hongqiao = f.town(county, "330382108", "虹桥镇")
    old = f.campaign(basic, balance, name="上一轮创建工作", is_current=False)
    campaign = f.campaign(basic, balance)
    phase = Phase.objects.create(
        campaign=campaign, number=2, name="整改提高", starts_on=date(2013, 3, 1), ends_on=date(2013, 8, 31)
    )
    old_phase = Phase.objects.create(
        campaign=old, number=1, name="旧阶段", starts_on=date(2012, 1, 1), ends_on=date(2012, 12, 31)
    )
    meeting = Meeting.objects.create(campaign=campaign, held_on=date(2013, 5, 20), title="领导小组第二次会议")
    schools = {
        "in": f.school(IN, region=liushi, name=IN_NAME),
        "out": f.school(OUT, region=hongqiao, name=OUT_NAME),
    }
    tracked = {
        scope: TrackedSchool.objects.create(campaign=campaign, school=school, enrolled_on=date(2013, 3, 1))
        for scope, school in schools.items()
    }
    users = {
        "clerk": user("clerk", groups["clerk"], email="clerk@example.org", schools=[schools["in"]]),
        "other clerk": user(
            "clerk-hongqiao", groups["clerk"], email="hq@example.org", schools=[schools["out"]]
        ),
        "reviewer": user("reviewer", groups["reviewer"], email="reviewer@example.org", regions=[liushi]),
        "leader": user("leader", groups["leader"], email="leader@example.org", regions=[county]),
    }
    clerk, reviewer = users["clerk"], users["reviewer"]
    gaps = {
        "in C": gap(tracked["in"], indicators["C"]),
        "in B": gap(tracked["in"], indicators["B"]),
        "out C": gap(tracked["out"], indicators["C"]),
        "out B": gap(tracked["out"], indicators["B"]),
    }
    waived = gap(tracked["in"], f.indicator(basic, "W", ["computers"], ["students_{level}"], name="已免项"))
    waived.status, waived.waiver_reason = Gap.Status.WAIVED, "学校撤并"
    waived.save()
    objects = {
        **{f"gap {key}": value for key, value in gaps.items()},
        "plan in C": plan(gaps["in C"], clerk, date(2013, 6, 7)),
        "plan waived": plan(waived, clerk, date(2013, 6, 1)),
        "plan out C": plan(gaps["out C"], clerk, date(2013, 6, 1)),
        "task soon": task(phase, "PLAN-T5", reviewer, date(2013, 6, 17)),
        "task later": task(phase, "PLAN-T6", reviewer, date(2013, 6, 18)),
        "task undated": task(phase, "PLAN-T7", reviewer),
        "task done": task(
            phase, "PLAN-T4", reviewer, date(2013, 6, 1), status="done", done_on=date(2013, 6, 2)
        ),
        "task old campaign": task(old_phase, "PLAN-T1", reviewer, date(2013, 6, 10)),
        "action today": action(meeting, "落实校舍改造资金", reviewer, date(2013, 6, 10)),
        "action done": action(
            meeting, "通报进展", reviewer, date(2013, 6, 1), status="done", done_on=date(2013, 6, 1)
        ),
        "evidence in": evidence(gaps["in C"], clerk, datetime(2013, 6, 5, 7, 30, tzinfo=BEIJING)),
        "evidence out": evidence(
            gaps["out C"], users["other clerk"], datetime(2013, 6, 4, 9, tzinfo=BEIJING)
        ),
        "evidence accepted": evidence(
            gaps["in C"],
            clerk,
            datetime(2013, 6, 1, 9, tzinfo=BEIJING),
            name="发票.pdf",
            decision="accepted",
            decided_by=reviewer,
            decided_at=datetime(2013, 6, 2, 9, tzinfo=BEIJING),
        ),
    }
    return World(campaign, phase, meeting, indicators, schools, tracked, users, objects)


def fresh(account):
    """`account` read again, without the permissions cached on the instance."""
    return User.objects.get(pk=account.pk)
