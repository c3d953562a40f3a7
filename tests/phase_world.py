"""A hand-built campaign for the five phases: three tracked schools in two towns, each at a
different point, and users of three roles.

The standard has two items per 400 pupils: site ≥ 20 m² per pupil (8 000 m², facility) and
computers ≥ 10 per 100 pupils (40, equipment); a school passes with no failed item.
Phases (evaluation year 2013): 1 ends 2013-04-30, 2 ends 2013-08-31, 3 ends 2013-10-31; 4 and 5
end in 2099, after any day the tests run, so a school not done there is not overdue.

- A 3303820001 柳市镇: visit signed off 2013-04-02; its computers gap closed 2013-10-10 by the
  approved 2013 report (40 computers, passing), evidence accepted 2013-09-20; the ledger's one item
  in place 2013-12-01. All five phases done: 04-02, 10-10, 10-10, 12-01, 10-10.
- B 3303820002 柳市镇: no visit, computers gap open, 2013 report only submitted. Phases 1–3
  overdue, 4 and 5 not done. Severe by the rule.
- C 3303820003 虹桥镇: a visit not signed off; its site gap waived 2013-06-15; 2013 report approved
  2013-10-20 but still short of site area. Phase 1 overdue, 2 done 06-15, 3 done 10-20; 4 not done
  (no closed gap, but its ledger item is missing), 5 not done (the 2013 report fails). The bureau
  calls it severe (override, "校舍为危房") though the rule does not.
"""

import datetime
from datetime import date

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phases.models import (
    Campaign,
    Evidence,
    Gap,
    InspectionVisit,
    LedgerEntry,
    LedgerItem,
    Phase,
    TrackedSchool,
)
from schools.models import AnnualReport
from schools.services import roles_sync, scope_set
from standards.services import compliance_recompute
from tests import factories as f

A, B, C = "3303820001", "3303820002", "3303820003"
PASSING = {
    "students_primary": 400,
    "classes_primary": 10,
    "teachers_primary": 20,
    "site_area": 8000,
    "computers": 40,
}
ENDS = {
    1: (date(2013, 3, 1), date(2013, 4, 30)),
    2: (date(2013, 5, 1), date(2013, 8, 31)),
    3: (date(2013, 9, 1), date(2013, 10, 31)),
    4: (date(2013, 11, 1), date(2099, 4, 30)),
    5: (date(2099, 5, 1), date(2099, 6, 30)),
}
NAMES = {1: "问题核实阶段", 2: "问题整改阶段", 3: "数据核准阶段", 4: "申报准备阶段", 5: "自查迎评阶段"}


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def approved_on(school, year, day):
    """Stamp the report's approval on `day` (the service stamps the time of the change)."""
    AnnualReport.objects.filter(school=school, year=year).update(updated_at=moment(day))


def waive(gap, day, reason="并入中心校"):
    gap.status, gap.waiver_reason = Gap.Status.WAIVED, reason
    gap.save()
    Gap.history.filter(id=gap.pk, status=Gap.Status.WAIVED).update(history_date=moment(day))


def accept(gap, user, day, name="invoice.pdf"):
    """Evidence uploaded two days before `day` and accepted on `day`."""
    evidence = Evidence.objects.create(
        gap=gap,
        file=SimpleUploadedFile(name, b"%PDF-1.4 test"),
        original_name=name,
        content_type="application/pdf",
        size=13,
        uploaded_by=user,
        effective_on=day,
        decision=Evidence.Decision.ACCEPTED,
        decided_by=user,
        decided_at=moment(day),
    )
    Evidence.objects.filter(pk=evidence.pk).update(uploaded_at=moment(day - datetime.timedelta(days=2)))
    return evidence


def users(liushi, school_a):
    """The bureau administrator (every school), a reviewer and a town officer of 柳市镇, and the
    clerk of school A."""
    groups = roles_sync()
    found = {}
    for key in ("admin", "reviewer", "town", "clerk"):
        user = User.objects.create_user(key, is_staff=True, is_superuser=key == "admin")
        user.groups.add(groups[key])
        found[key] = user
    scope_set(user=found["reviewer"], regions=[liushi])
    scope_set(user=found["town"], regions=[liushi])
    scope_set(user=found["clerk"], schools=[school_a])
    return {key: User.objects.get(pk=user.pk) for key, user in found.items()}


def build():
    county = f.county()
    liushi = f.town(county, "330382114", "柳市镇")
    hongqiao = f.town(county, "330382108", "虹桥镇")
    basic = f.standard("t-basic")
    site = f.indicator(
        basic,
        "L",
        ["site_area"],
        ["students_{level}"],
        thresholds=["20"],
        category="facility",
        name="生均用地",
    )
    computers = f.indicator(
        basic,
        "C",
        ["computers"],
        ["students_{level}"],
        scale=100,
        thresholds=["10"],
        category="equipment",
        numerator_unit="台",
        name="每百名学生计算机",
    )
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    campaign = Campaign.objects.create(
        name="创建省义务教育均衡发展市",
        region=county,
        standard=basic,
        balance_standard=balance,
        baseline_year=2012,
        evaluation_year=2013,
    )
    for number, (starts, ends) in ENDS.items():
        Phase.objects.create(
            campaign=campaign, number=number, name=NAMES[number], starts_on=starts, ends_on=ends
        )
    item = LedgerItem.objects.create(campaign=campaign, name="学校迎评台账")
    schools = {
        A: f.school(A, region=liushi, name="柳市一小"),
        B: f.school(B, region=liushi, name="柳市二小"),
        C: f.school(C, region=hongqiao, name="虹桥一小"),
    }
    people = users(liushi, schools[A])
    bureau = people["admin"]
    f.report(schools[A], 2012, **{**PASSING, "computers": 30})
    f.report(schools[A], 2013, **PASSING)
    f.report(schools[B], 2012, **{**PASSING, "computers": 25})
    f.report(schools[B], 2013, status=AnnualReport.Status.SUBMITTED, **PASSING)
    f.report(schools[C], 2012, **{**PASSING, "site_area": 7000})
    f.report(schools[C], 2013, **{**PASSING, "site_area": 7200})
    compliance_recompute()
    for school in schools.values():
        approved_on(school, 2012, date(2012, 11, 20))
    approved_on(schools[A], 2013, date(2013, 10, 10))
    approved_on(schools[C], 2013, date(2013, 10, 20))

    enrolled = date(2013, 3, 5)
    tracked = {
        A: TrackedSchool.objects.create(
            campaign=campaign, school=schools[A], enrolled_on=enrolled, baseline_failed=1
        ),
        B: TrackedSchool.objects.create(
            campaign=campaign, school=schools[B], enrolled_on=enrolled, baseline_failed=1, severe=True
        ),
        C: TrackedSchool.objects.create(
            campaign=campaign,
            school=schools[C],
            enrolled_on=enrolled,
            baseline_failed=1,
            severity_override=True,
            override_reason="校舍为危房",
        ),
    }
    report_a = AnnualReport.objects.get(school=schools[A], year=2013)
    gaps = {
        A: Gap.objects.create(
            tracked=tracked[A],
            indicator=computers,
            category="equipment",
            shortfall=10,
            unit="台",
            status=Gap.Status.CLOSED,
            closed_on=date(2013, 10, 10),
            closed_by=report_a,
        ),
        B: Gap.objects.create(
            tracked=tracked[B], indicator=computers, category="equipment", shortfall=15, unit="台"
        ),
        C: Gap.objects.create(
            tracked=tracked[C], indicator=site, category="facility", shortfall=1000, unit="平方米"
        ),
    }
    waive(gaps[C], date(2013, 6, 15))
    accept(gaps[A], bureau, date(2013, 9, 20))
    InspectionVisit.objects.create(
        tracked=tracked[A],
        visited_on=date(2013, 4, 1),
        inspectors="张三、李四",
        findings="计算机不足",
        recorded_by=bureau,
        signed_off=True,
        signed_off_by=bureau,
        signed_off_on=date(2013, 4, 2),
    )
    InspectionVisit.objects.create(
        tracked=tracked[C],
        visited_on=date(2013, 4, 10),
        inspectors="王五",
        findings="用地不足",
        recorded_by=bureau,
    )
    LedgerEntry.objects.create(
        tracked=tracked[A], item=item, completed_on=date(2013, 12, 1), recorded_by=bureau
    )
    return {
        "campaign": campaign,
        "schools": schools,
        "tracked": tracked,
        "gaps": gaps,
        "item": item,
        "users": people,
        "towns": {"liushi": liushi, "hongqiao": hongqiao},
        "indicators": {"site": site, "computers": computers},
    }


def add_like_a(world, code, town):
    """Another school as far along as A, for query counts at a larger size."""
    bureau = world["users"]["admin"]
    school = f.school(code, region=world["towns"][town], name=f"测试学校{code[-3:]}")
    f.report(school, 2012, **{**PASSING, "computers": 30})
    report = f.report(school, 2013, **PASSING)
    compliance_recompute(reports=[report.pk, *school.reports.values_list("pk", flat=True)])
    tracked = TrackedSchool.objects.create(
        campaign=world["campaign"], school=school, enrolled_on=date(2013, 3, 5), baseline_failed=1
    )
    gap = Gap.objects.create(
        tracked=tracked,
        indicator=world["indicators"]["computers"],
        category="equipment",
        shortfall=10,
        unit="台",
        status=Gap.Status.CLOSED,
        closed_on=date(2013, 10, 10),
        closed_by=report,
    )
    accept(gap, bureau, date(2013, 9, 20))
    Gap.objects.create(
        tracked=tracked,
        indicator=world["indicators"]["site"],
        category="facility",
        shortfall=5,
        unit="平方米",
        status=Gap.Status.WAIVED,
        waiver_reason="撤并",
    )
    InspectionVisit.objects.create(
        tracked=tracked,
        visited_on=date(2013, 4, 1),
        inspectors="张三",
        findings="核查",
        recorded_by=bureau,
        signed_off=True,
        signed_off_by=bureau,
        signed_off_on=date(2013, 4, 2),
    )
    LedgerEntry.objects.create(
        tracked=tracked, item=world["item"], completed_on=date(2013, 12, 1), recorded_by=bureau
    )
    return tracked
