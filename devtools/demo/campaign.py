"""The demo campaign half-way through (spring 2014): who was visited, which gaps have plans and
are being worked on, what evidence came in and how it was judged, the ledgers, the plan's tasks
and meetings, a delivery of equipment and the satisfaction survey.

Everything is written through the campaign's services, as the bureau's users would, with dates
from the plan's phases. Gaps close only through the approved reports demo_data loaded: nothing
here closes one.
"""

import random
import struct
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phases import services as gap_services
from phases.models import (
    CityTarget,
    Evidence,
    Gap,
    LedgerItem,
    RectificationPlan,
    Task,
    TaskUpdate,
    TrackedSchool,
    WorkStatus,
)
from phases.selectors_gaps import owner_choices
from phases.services_city import (
    action_add,
    action_update,
    delivery_record,
    meeting_record,
    task_assign,
    task_update,
)
from phases.services_progress import ledger_entry_record, visit_record
from phases.services_targets import target_value_enter

INSPECTORS = ("督导室 陈建国、林晓燕", "督导室 王海波、郑丽娟", "基教科 周志明、督导室 黄伟")
FACILITY_UNIT = "%(town)s人民政府"
UNITS = {
    "equipment": "市教育局装备中心",
    "staffing": "市教育局人事科",
    "other": "市教育局基础教育科",
}
MEASURES = {
    "equipment": ("purchase",),
    "facility": ("extend", "extend", "build", "merge"),
    "staffing": ("transfer", "recruit", "train"),
    "other": ("other",),
}
# Who answers for each phase's tasks.
TASK_UNITS = {
    1: "市教育局督导室",
    2: "市教育局计划财务科",
    3: "市教育局基础教育科",
    4: "市教育局办公室",
    5: "市教育局督导室",
}
# How far the plan's tasks got (the rest have not started): done on the date given.
TASKS_DONE = {
    "PLAN-T1": date(2013, 4, 26),
    "PLAN-T2": date(2013, 4, 12),
    "PLAN-T3": date(2013, 4, 30),
    "PLAN-T4": date(2013, 8, 30),
    "PLAN-T6": date(2013, 8, 20),
    "PLAN-T7": date(2013, 9, 18),
    "PLAN-T8": date(2013, 9, 30),
    "PLAN-T9": date(2013, 11, 8),
    "PLAN-T10": date(2013, 10, 31),
    "PLAN-T13": date(2014, 3, 20),
    "PLAN-T15": date(2014, 4, 18),
}
TASKS_UNDER_WAY = {
    "PLAN-T5": "14 所问题严重学校的改扩建已开工，校舍竣工验收预计 2014 年 5 月。",
    "PLAN-T11": "已下发迎评台账目录，部分学校台账已整理完毕。",
    "PLAN-T12": "自查报告初稿已完成，待领导小组审定。",
}


def _png():
    """A small grey PNG (a photo stands in for it)."""
    width = height = 8
    raw = b"".join(b"\x00" + b"\x99" * (width * 3) for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _pdf(title):
    """A one-page PDF whose page says `title` (ASCII)."""
    text = f"BT /F1 14 Tf 60 760 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _upload(name, kind="pdf", title="Yueqing demo"):
    content = _png() if kind == "png" else _pdf(title)
    return SimpleUploadedFile(name, content)


def _day(rng, start, end):
    return start + timedelta(days=rng.randint(0, (end - start).days))


class CampaignState:
    """Builds the demo campaign's state for `users` (role key → User) with a seeded generator."""

    def __init__(self, campaign, users, seed):
        self.campaign, self.users, self.rng = campaign, users, random.Random(seed)
        self.phases = {phase.number: phase for phase in campaign.phases.all()}
        self.counts = {}

    def build(self):
        tracked = list(
            TrackedSchool.objects.filter(campaign=self.campaign)
            .select_related("school__region")
            .order_by("pk")
        )
        self._tasks()
        self._meetings()
        self._visits(tracked)
        self._plans(tracked)
        self._closed_gap_evidence()
        self._delivery()
        self._ledgers(tracked)
        self._survey()
        return self.counts

    # --- The plan's tasks and the leadership group ----------------------------------------------

    def _tasks(self):
        admin, reviewer = self.users["admin"], self.users["reviewer"]
        tasks = Task.objects.filter(phase__campaign=self.campaign).select_related("phase").order_by("pk")
        for task in tasks:
            owner = reviewer if task.phase.number in (1, 3) else admin
            task_assign(
                task=task,
                user=admin,
                owner=owner,
                responsible_unit=TASK_UNITS.get(task.phase.number, "市教育局办公室"),
                due_on=task.phase.ends_on,
            )
            if task.code in TASKS_DONE:
                written = TASKS_DONE[task.code]
                task_update(task=task, user=owner, status=WorkStatus.DONE, note="已完成。", done_on=written)
            elif task.code in TASKS_UNDER_WAY:
                written = date(2014, 4, 25)
                note = TASKS_UNDER_WAY[task.code]
                task_update(task=task, user=owner, status=WorkStatus.IN_PROGRESS, note=note)
            else:
                continue
            # The progress note dated when it was written in the campaign, not when the demo was built.
            at = timezone.make_aware(datetime.combine(written, time(17)))
            TaskUpdate.objects.filter(task=task).update(written_at=at)
        self.counts["tasks"] = tasks.count()

    def _meetings(self):
        admin, town = self.users["admin"], self.users["town"]
        first = meeting_record(
            campaign=self.campaign,
            user=admin,
            held_on=date(2013, 3, 8),
            title="创建省义务教育均衡发展市工作领导小组第一次会议",
            attending_units="市政府办、教育局、发改局、财政局、人力社保局、国土资源局、住建局、规划局及各镇街",
            decisions="审定创建工作实施方案；明确各成员单位职责；4 月底前完成问题学校核查。",
        )
        done = action_add(
            meeting=first,
            user=admin,
            title="完成 53 所问题学校实地核查",
            responsible_unit="市教育局督导室",
            owner=self.users["reviewer"],
            due_on=date(2013, 4, 30),
        )
        action_update(
            action=done, user=admin, status=WorkStatus.DONE, note="核查完毕。", done_on=date(2013, 4, 26)
        )
        action_add(
            meeting=first,
            user=admin,
            title="落实问题严重学校改扩建用地",
            responsible_unit="市国土资源局、各镇街",
            owner=town,
            due_on=date(2013, 8, 31),
        )
        second = meeting_record(
            campaign=self.campaign,
            user=admin,
            held_on=date(2013, 9, 12),
            title="创建工作推进会",
            attending_units="领导小组各成员单位、各镇街分管领导",
            decisions="计算机、图书已一次性配齐；校舍场地类问题须于 2014 年 4 月底前完成整改。",
        )
        under_way = action_add(
            meeting=second,
            user=admin,
            title="教师交流轮岗与招聘计划",
            responsible_unit="市教育局人事科",
            owner=admin,
            due_on=date(2014, 3, 31),
        )
        action_update(action=under_way, user=admin, status=WorkStatus.IN_PROGRESS, note="招聘公告已发布。")
        self.counts["meetings"] = 2

    # --- Phase 1: the visits -----------------------------------------------------------------------

    def _visits(self, tracked):
        reviewer, phase = self.users["reviewer"], self.phases[1]
        visited = signed = 0
        for index, school in enumerate(tracked):
            if index % 17 == 5:  # three schools not yet visited
                continue
            gaps = ", ".join(f"{gap.indicator.name}" for gap in school.gaps.select_related("indicator")[:3])
            visit_record(
                tracked=school,
                user=reviewer,
                visited_on=_day(
                    self.rng, phase.starts_on + timedelta(days=7), phase.ends_on - timedelta(days=2)
                ),
                inspectors=self.rng.choice(INSPECTORS),
                findings=f"经实地核查，{gaps}未达标情况属实，学校已拟定整改意向。",
                sign_off=index % 13 != 7,  # a few visits wait for the inspectors' signatures
            )
            visited += 1
            signed += index % 13 != 7
        self.counts["visits"], self.counts["signed"] = visited, signed

    # --- Phase 2: plans, work and evidence -----------------------------------------------------------

    def _owner(self, school):
        choices = set(owner_choices(school).values_list("pk", flat=True))
        for key in ("clerk", "town", "reviewer"):
            user = self.users.get(key)
            if user is not None and user.pk in choices:
                return user
        return None

    def _plans(self, tracked):
        reviewer = self.users["reviewer"]
        gaps = (
            Gap.objects.filter(tracked__in=tracked, status=Gap.Status.OPEN)
            .select_related("tracked__school__region", "indicator")
            .order_by("pk")
        )
        planned = started = claimed = 0
        for index, gap in enumerate(gaps):
            if index % 11 == 3:  # a few gaps still without a plan
                continue
            school = gap.tracked.school
            unit = (
                FACILITY_UNIT % {"town": school.region.name}
                if gap.category == "facility"
                else UNITS.get(gap.category, UNITS["other"])
            )
            big = gap.category == "facility" and gap.tracked.is_severe
            gap_services.plan_save(
                gap=gap,
                user=reviewer,
                measure=self.rng.choice(MEASURES.get(gap.category, ("other",))),
                responsible_unit=unit,
                owner=self._owner(school),
                deadline=date(2014, 4, 30) if big else None,
                notes="按“一校一案”实施。" if big else "",
            )
            planned += 1
            if index % 3 == 0:
                continue
            gap_services.gap_start(gap=gap, user=reviewer)
            started += 1
            if index % 5 == 1:
                effective = _day(self.rng, date(2013, 7, 1), date(2013, 12, 20))
                gap_services.evidence_add(
                    gap=gap,
                    user=reviewer,
                    upload=_upload("竣工验收证明.pdf", title="Acceptance certificate"),
                    kind="acceptance",
                    effective_on=effective,
                    note="学校自报已完成整改。",
                )
                gap_services.gap_claim(gap=gap, user=reviewer, note="学校自报已完成")
                claimed += 1
        self.counts.update(planned=planned, started=started, claimed=claimed)

    def _closed_gap_evidence(self):
        """Phase 4 wants accepted evidence on every gap the 2013 data closed: most came in and
        were accepted, a few wait for a decision, one was sent back."""
        reviewer, admin = self.users["reviewer"], self.users["admin"]
        closed = (
            Gap.objects.filter(tracked__campaign=self.campaign, status=Gap.Status.CLOSED)
            .select_related("indicator")
            .order_by("pk")
        )
        accepted = pending = 0
        for index, gap in enumerate(closed):
            if index % 9 == 4:  # not yet sent in
                continue
            photo = gap.category == "equipment" and index % 2 == 0
            evidence = gap_services.evidence_add(
                gap=gap,
                user=reviewer,
                upload=_upload("到货照片.png", "png") if photo else _upload("验收单.pdf", title="Delivery"),
                kind="photo" if photo else "acceptance",
                effective_on=_day(self.rng, date(2013, 6, 15), date(2013, 8, 30)),
            )
            if index % 7 == 2:
                pending += 1
                continue
            if index == 6:
                gap_services.evidence_decide(
                    evidence=evidence, user=admin, accept=False, reason="照片无法辨认设备型号，请补充验收单。"
                )
                continue
            gap_services.evidence_decide(evidence=evidence, user=admin, accept=True)
            accepted += 1
        # Judged a fortnight after the material's date, not on the day the demo was built.
        for evidence in Evidence.objects.filter(gap__in=closed).exclude(decided_at=None):
            decided = datetime.combine(evidence.effective_on + timedelta(days=14), time(10))
            Evidence.objects.filter(pk=evidence.pk).update(decided_at=timezone.make_aware(decided))
        self.counts.update(accepted=accepted, pending=pending)

    def _delivery(self):
        """Instruments bought for the schools still short of equipment value (PLAN-T4)."""
        gaps = list(
            Gap.objects.filter(
                tracked__campaign=self.campaign, category="equipment", status__in=Gap.UNRESOLVED
            ).order_by("pk")[:4]
        )
        if not gaps:
            return
        lines = [
            (gap, Decimal(gap.shortfall or 1).quantize(Decimal("0.01"))) for gap in gaps if gap.shortfall
        ]
        delivery_record(
            campaign=self.campaign,
            user=self.users["admin"],
            delivered_on=date(2014, 3, 18),
            supplier="温州某教学设备有限公司",
            note="实验室仪器设备第一批到货",
            kind="acceptance",
            upload=_upload("到货验收单.pdf", title="Delivery note"),
            lines=lines,
        )
        self.counts["delivered"] = len(lines)

    # --- Phase 4: the ledgers, and the survey --------------------------------------------------------

    def _ledgers(self, tracked):
        reviewer = self.users["reviewer"]
        items = list(LedgerItem.objects.filter(campaign=self.campaign).order_by("order", "pk"))
        complete = 0
        for index, school in enumerate(tracked):
            rectified = not school.gaps.filter(status__in=Gap.UNRESOLVED).exists()
            if not rectified or not items:
                continue
            # Most rectified schools have their whole ledger; some are still at it.
            upto = len(items) if index % 4 else len(items) // 2
            for item in items[:upto]:
                ledger_entry_record(
                    tracked=school,
                    item=item,
                    user=reviewer,
                    completed_on=_day(self.rng, date(2013, 11, 15), date(2014, 4, 15)),
                )
            complete += upto == len(items)
        self.counts["ledgers"] = complete

    def _survey(self):
        target = (
            CityTarget.objects.filter(campaign=self.campaign, measure="entered").order_by("order").first()
        )
        if target is None:
            return
        target_value_enter(
            target=target,
            year=2013,
            value="88.6",
            note="2014 年 4 月委托第三方开展群众教育满意度测评，有效问卷 3 200 份。",
            upload=_upload("满意度测评报告.pdf", title="Satisfaction survey"),
            user=self.users["admin"],
        )


def campaign_state(campaign, users, seed=2014):
    """Write the demo campaign's mid-way state; returns what was written, counted."""
    if RectificationPlan.objects.filter(gap__tracked__campaign=campaign).exists():
        return None
    return CampaignState(campaign, users, seed).build()
