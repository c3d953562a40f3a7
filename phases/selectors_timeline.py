"""A tracked school's page: its gaps, visits, ledger and the timeline of what happened, by date.

The timeline shows only what the user's role may read (visits, plans, evidence, ledger entries
each need their view permission). A report's approval is read from the report itself (see
`phases.selectors_matrix`): phases never reads the reporting app.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.models import Evidence, Gap, InspectionVisit, LedgerEntry, RectificationPlan, TrackedSchool
from schools.models import AnnualReport

# Kinds of timeline events (the template's CSS classes).
ENROLMENT, SEVERITY, VISIT, SIGN_OFF, PLAN, EVIDENCE, DECISION, APPROVAL, CLOSE, WAIVER, LEDGER = (
    "enrolment",
    "severity",
    "visit",
    "sign-off",
    "plan",
    "evidence",
    "decision",
    "approval",
    "close",
    "waiver",
    "ledger",
)


@dataclass(frozen=True)
class Event:
    on: datetime.date
    kind: str
    text: str
    url: str = ""
    # When in the day, where the source knows it: orders the events of one day.
    at: datetime.datetime | None = None

    @property
    def sort_key(self):
        return (self.on, self.at.timestamp() if self.at else 0.0)


def _local(moment):
    return timezone.localtime(moment) if moment is not None else None


def gap_label(gap):
    part = f"（{gap.get_part_display()}）" if gap.part else ""
    return f"{gap.indicator.name}{part}"


def school_gaps(tracked):
    """The tracked school's gaps with indicator, plan and the report that closed one."""
    return list(
        tracked.gaps.select_related("indicator", "plan__owner", "closed_by").order_by(
            "indicator__order", "part"
        )
    )


def _enrolment(tracked):
    if tracked.source == TrackedSchool.Source.ADDED:
        text = _("教育局增补为跟踪学校：%(reason)s") % {"reason": tracked.reason}
    else:
        text = _("按%(year)s年基准数据列入跟踪学校（%(n)s项未达标）") % {
            "year": tracked.campaign.baseline_year,
            "n": tracked.baseline_failed,
        }
    yield Event(tracked.enrolled_on, ENROLMENT, text)


def _severity(tracked):
    previous = None
    for row in tracked.history.order_by("history_date", "history_id"):
        if row.severity_override != previous and (previous is not None or row.severity_override is not None):
            if row.severity_override is None:
                text = _("撤销人工认定，按规则认定")
            else:
                verdict = _("问题严重") if row.severity_override else _("问题不严重")
                text = _("人工认定%(verdict)s：%(reason)s") % {
                    "verdict": verdict,
                    "reason": row.override_reason,
                }
            at = _local(row.history_date)
            yield Event(at.date(), SEVERITY, text, at=at)
        previous = row.severity_override


def _visits(tracked):
    for visit in InspectionVisit.objects.filter(tracked=tracked).select_related("signed_off_by"):
        yield Event(
            visit.visited_on,
            VISIT,
            _("实地核查（%(who)s）：%(findings)s") % {"who": visit.inspectors, "findings": visit.findings},
        )
        if visit.signed_off:
            yield Event(
                visit.signed_off_on,
                SIGN_OFF,
                _("核查结果确认（%(user)s）") % {"user": visit.signed_off_by.get_username()},
            )


def _plans(tracked, gaps):
    labels = {gap.pk: gap_label(gap) for gap in gaps}
    measures = dict(RectificationPlan.Measure.choices)
    rows = RectificationPlan.history.filter(gap_id__in=labels).order_by("history_date", "history_id")
    for row in rows:
        at = _local(row.history_date)
        values = {
            "gap": labels[row.gap_id],
            "measure": measures.get(row.measure, row.measure),
            "deadline": row.deadline,
        }
        text = {
            "+": _("制定整改方案：%(gap)s，%(measure)s，期限 %(deadline)s"),
            "~": _("修改整改方案：%(gap)s，%(measure)s，期限 %(deadline)s"),
            "-": _("撤销整改方案：%(gap)s"),
        }[row.history_type] % values
        yield Event(at.date(), PLAN, text, reverse("phases:gap", args=[row.gap_id]), at)


def _evidence(tracked, gaps):
    labels = {gap.pk: gap_label(gap) for gap in gaps}
    for item in Evidence.objects.filter(gap__tracked=tracked).order_by("uploaded_at"):
        url = reverse("phases:gap", args=[item.gap_id])
        values = {"name": item.original_name, "gap": labels[item.gap_id]}
        at = _local(item.uploaded_at)
        yield Event(at.date(), EVIDENCE, _("上传佐证材料《%(name)s》：%(gap)s") % values, url, at)
        if item.decision != Evidence.Decision.PENDING:
            at = _local(item.decided_at)
            if item.decision == Evidence.Decision.ACCEPTED:
                text = _("佐证材料《%(name)s》已采纳：%(gap)s") % values
            else:
                text = _("佐证材料《%(name)s》未采纳：%(reason)s") % {
                    **values,
                    "reason": item.decision_reason,
                }
            yield Event(at.date(), DECISION, text, url, at)


def _approvals(tracked):
    reports = AnnualReport.objects.filter(
        school_id=tracked.school_id,
        status=AnnualReport.Status.APPROVED,
        year__gte=tracked.campaign.baseline_year,
    )
    for report in reports:
        at = _local(report.updated_at)
        yield Event(at.date(), APPROVAL, _("%(year)s年年报审核通过") % {"year": report.year}, at=at)


def _gap_changes(tracked, gaps):
    by_pk = {gap.pk: gap for gap in gaps}
    # When each gap last became closed: a close comes after the approval that caused it and after
    # the plan and evidence of the same day, not at the day's start.
    closed_at, previous = {}, {}
    rows = Gap.history.filter(id__in=by_pk).order_by("history_date", "history_id")
    for row in rows.values_list("id", "status", "waiver_reason", "history_date"):
        gap_id, status, reason, moment = row
        if status == Gap.Status.WAIVED and previous.get(gap_id) != Gap.Status.WAIVED:
            at = _local(moment)
            text = _("%(gap)s 免予整改：%(reason)s") % {"gap": gap_label(by_pk[gap_id]), "reason": reason}
            yield Event(at.date(), WAIVER, text, reverse("phases:gap", args=[gap_id]), at)
        if status == Gap.Status.CLOSED and previous.get(gap_id) != Gap.Status.CLOSED:
            closed_at[gap_id] = _local(moment)
        previous[gap_id] = status
    for gap in gaps:
        if gap.status == Gap.Status.CLOSED:
            text = _("%(gap)s 已整改：%(year)s年审核通过的年报数据达标") % {
                "gap": gap_label(gap),
                "year": gap.closed_by.year,
            }
            url = reverse("phases:gap", args=[gap.pk])
            yield Event(gap.closed_on, CLOSE, text, url, closed_at.get(gap.pk))


def _ledger(tracked):
    for entry in LedgerEntry.objects.filter(tracked=tracked).select_related("item"):
        yield Event(entry.completed_on, LEDGER, _("申报台账到位：%(item)s") % {"item": entry.item.name})


def timeline(tracked, user, gaps):
    """The school's events in date order (the oldest first)."""
    events = [*_enrolment(tracked), *_severity(tracked), *_approvals(tracked), *_gap_changes(tracked, gaps)]
    if user.has_perm("phases.view_inspectionvisit"):
        events += _visits(tracked)
    if user.has_perm("phases.view_rectificationplan"):
        events += _plans(tracked, gaps)
    if user.has_perm("phases.view_evidence"):
        events += _evidence(tracked, gaps)
    if user.has_perm("phases.view_ledgerentry"):
        events += _ledger(tracked)
    return sorted(events, key=lambda event: event.sort_key)
