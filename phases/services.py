"""Writes of the campaign: which schools it tracks, their gaps, and closing them from approved
data only (a school's word that a gap is fixed is not enough: its approved report must pass)."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from phases.calc import estimated_cost, is_severe, purchase_quantity
from phases.models import Campaign, Evidence, Gap, RectificationPlan, TrackedSchool, UnitCost
from phases.selectors import campaign_span, rectification_end
from phases.selectors_gaps import owner_choices
from phases.uploads import validate_upload
from schools.access import visible_schools
from schools.models import AnnualReport, School
from standards.calc.codec import decode_items
from standards.models import ComplianceSummary
from standards.selectors import summary_items

CHUNK = 2000


def _need(text, message):
    if not (text or "").strip():
        raise ValidationError(message)
    return text.strip()


def _failed_results(campaign, year, schools=None):
    """{school id: [(part, failed StoredItem with its indicator)…]} and {school id: failed count}
    from the stored results of approved reports of `year` against the campaign's standard."""
    summaries = ComplianceSummary.objects.filter(
        standard=campaign.standard, report__year=year, report__status=AnnualReport.Status.APPROVED
    )
    if schools is not None:
        summaries = summaries.filter(report__school__in=schools)
    counts = defaultdict(int)
    for school_id, failed in summaries.values_list("report__school_id", "failed_count"):
        counts[school_id] += failed  # a standard evaluated by level part: the parts' items summed
    items = defaultdict(list)
    failing = (
        summaries.exclude(failed_count=0).select_related("report").only("part", "items", "report__school_id")
    )
    for summary in summary_items(failing):
        items[summary.report.school_id].extend((summary.part, item) for item in summary.failed_items)
    for found in items.values():
        found.sort(key=lambda pair: (pair[1].indicator.order, pair[1].indicator.code, pair[0]))
    return counts, items


def _gap(tracked, failed):
    part, item = failed
    return Gap(
        tracked=tracked,
        indicator=item.indicator,
        part=part,
        category=item.indicator.category,
        baseline_value=item.value,
        threshold=item.threshold,
        shortfall=item.shortfall,
        unit=item.indicator.numerator_unit,
    )


def _severe(campaign, failed, categories):
    return is_severe(
        failed,
        categories,
        min_failed=campaign.severe_min_failed,
        facility_counts=campaign.severe_if_facility_gap,
    )


@transaction.atomic
def campaign_enrol(*, campaign, user=None, enrolled_on=None):
    """Track every school of the campaign's county whose approved baseline report fails at least
    `min_failed_items` items of the campaign's standard, with a gap per failed item (PLAN-T1).

    Works from the stored compliance results; a school already tracked is kept as it is, so
    running it again changes nothing. `enrolled_on`: the day recorded (today by default). Returns
    the TrackedSchool rows created.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    schools = School.objects.in_region(campaign.region)
    counts, items = _failed_results(campaign, campaign.baseline_year, schools)
    if not counts:
        raise ValidationError(
            _(
                "%(year)s 年没有已审核年报的“%(standard)s”达标结果，无法确定跟踪学校：请先审核并计算基准年数据。"
            )
            % {"year": campaign.baseline_year, "standard": campaign.standard}
        )
    already = set(campaign.tracked.values_list("school_id", flat=True))
    today = enrolled_on or timezone.localdate()
    tracked = [
        TrackedSchool(
            campaign=campaign,
            school_id=school_id,
            enrolled_on=today,
            source=TrackedSchool.Source.BASELINE,
            baseline_failed=failed,
            severe=_severe(campaign, failed, [item.indicator.category for _part, item in items[school_id]]),
        )
        for school_id, failed in sorted(counts.items())
        if failed >= campaign.min_failed_items and school_id not in already
    ]
    created = bulk_create_with_history(tracked, TrackedSchool, default_user=user)
    by_school = {
        row.school_id: row for row in campaign.tracked.filter(school_id__in=[t.school_id for t in tracked])
    }
    gaps = [_gap(by_school[school_id], result) for school_id in by_school for result in items[school_id]]
    bulk_create_with_history(gaps, Gap, default_user=user)
    return created


@transaction.atomic
def tracked_school_add(*, campaign, school, reason, user):
    """Track a school the baseline did not select (a later candidate), with the bureau's reason.
    Its gaps are the failed items of its latest approved report evaluated by the campaign's
    standard, if any."""
    reason = _need(reason, _("增补跟踪学校须填写理由。"))
    if campaign.tracked.filter(school=school).exists():
        raise ValidationError(_("该学校已是本创建工作的跟踪学校。"))
    baseline, _items = _failed_results(campaign, campaign.baseline_year, [school.pk])
    latest = (
        ComplianceSummary.objects.filter(
            standard=campaign.standard, report__school=school, report__status=AnnualReport.Status.APPROVED
        )
        .order_by("-report__year")
        .values_list("report__year", flat=True)
        .first()
    )
    _counts, items = _failed_results(campaign, latest, [school.pk]) if latest else ({}, {})
    failed = items.get(school.pk, [])
    tracked = TrackedSchool(
        campaign=campaign,
        school=school,
        enrolled_on=timezone.localdate(),
        source=TrackedSchool.Source.ADDED,
        reason=reason,
        baseline_failed=baseline.get(school.pk, 0),
        severe=_severe(campaign, len(failed), [item.indicator.category for _part, item in failed]),
    )
    tracked._history_user = user
    tracked.save()
    for result in failed:
        gap = _gap(tracked, result)
        gap._history_user = user
        gap.save()
    return tracked


def _save(gap, user=None):
    if user is not None:
        gap._history_user = user
    # The baseline figures come from the stored results as they are (a gap may lack one).
    gap.full_clean(exclude=["tracked", "indicator", "closed_by", "baseline_value", "threshold", "shortfall"])
    gap.save()


def _verdicts(school_ids, standard_ids):
    """{(school, standard, indicator, part): [(year, report id, passed, approved at)…]} from the
    stored results of approved reports (an approved report changes only when it is reopened, so
    its last update is its approval)."""
    verdicts = defaultdict(list)
    rows = ComplianceSummary.objects.filter(
        report__school_id__in=school_ids,
        report__status=AnnualReport.Status.APPROVED,
        standard_id__in=standard_ids,
    ).values_list(
        "report__school_id", "standard_id", "part", "report__year", "report_id", "report__updated_at", "items"
    )
    for school_id, standard_id, part, year, report_id, at, items in rows:
        for item in decode_items(items):
            verdicts[school_id, standard_id, item.indicator_id, part].append(
                (year, report_id, item.passed, at)
            )
    return verdicts


def _reopen(gap):
    gap.status = gap.status_before_close or Gap.Status.OPEN
    gap.status_before_close, gap.closed_on, gap.closed_by = "", None, None


def _reconcile(school_ids):
    """Bring the gaps of these schools in line with their latest approved data after the
    baseline: the latest approved report that evaluates a gap's item decides. It passes: an
    unresolved gap closes (a closed one stays closed, by the report that closed it while that
    report is still approved). It fails, or no approved report is left: a closed gap reopens in
    the status it had before. Waived gaps are the bureau's decision and stay as they are.
    Returns {"closed": [Gap…], "reopened": [Gap…]}."""
    gaps = list(
        Gap.objects.filter(tracked__school_id__in=school_ids, status__in=(*Gap.UNRESOLVED, Gap.Status.CLOSED))
        .select_related("tracked__campaign", "closed_by")
        .order_by("pk")
    )
    if not gaps:
        return {"closed": [], "reopened": []}
    verdicts = _verdicts(school_ids, {gap.tracked.campaign.standard_id for gap in gaps})
    closed, reopened = [], []
    for gap in gaps:
        campaign = gap.tracked.campaign
        key = (gap.tracked.school_id, campaign.standard_id, gap.indicator_id, gap.part)
        later = [verdict for verdict in verdicts.get(key, ()) if verdict[0] > campaign.baseline_year]
        latest = max(later) if later else None
        passes = latest is not None and latest[2]
        if gap.status == Gap.Status.CLOSED:
            still_approved = gap.closed_by.status == AnnualReport.Status.APPROVED
            if passes and still_approved:
                continue
            _reopen(gap)
            if not passes:
                _save(gap)
                reopened.append(gap)
                continue
            # The report that closed it was reopened, but a later approved one passes: that one
            # closes it now.
        elif not passes:
            continue
        gap.status_before_close, gap.status = gap.status, Gap.Status.CLOSED
        # Closed on the day the report that closes it was approved: today, when a reviewer approves.
        gap.closed_on, gap.closed_by_id = timezone.localdate(latest[3]), latest[1]
        _save(gap)
        closed.append(gap)
    return {"closed": closed, "reopened": reopened}


@transaction.atomic
def gaps_reconcile(*, report):
    """Bring the report's school's gaps in line with its approved data, after the report was
    approved or reopened (its stored compliance recomputed first). A gap closes only when the
    latest approved report after the baseline passes its indicator (same part); a reopened
    report, or a later approved report that fails the item again, gives back the gaps it closed,
    in the status they had before."""
    return _reconcile([report.school_id])


@transaction.atomic
def gaps_reconcile_reports(*, reports):
    """`gaps_reconcile` for many reports (AnnualReport ids) at once, as an import writes them."""
    found = {"closed": [], "reopened": []}
    ids = sorted(reports)
    for start in range(0, len(ids), CHUNK):
        school_ids = list(
            AnnualReport.objects.filter(pk__in=ids[start : start + CHUNK]).values_list("school_id", flat=True)
        )
        for key, gaps in _reconcile(school_ids).items():
            found[key].extend(gaps)
    return found


@transaction.atomic
def gap_waive(*, gap, reason, user):
    """Excuse a gap from rectification (a school to be merged, an item that does not apply), with
    the bureau's reason; a gap already closed by data stays closed."""
    reason = _need(reason, _("免予整改须填写理由。"))
    if gap.status == Gap.Status.CLOSED:
        raise ValidationError(_("该未达标项已由审核通过的年报数据关闭，无需免予整改。"))
    gap.status, gap.waiver_reason = Gap.Status.WAIVED, reason
    _save(gap, user)
    return gap


@transaction.atomic
def severity_override(*, tracked, severe, reason, user):
    """Record the bureau's own decision that a tracked school's problems are (or are not) severe,
    with its reason; `severe=None` goes back to the rule."""
    if severe is None:
        reason = ""
    else:
        reason = _need(reason, _("人工认定问题严重与否须填写理由。"))
    tracked.severity_override, tracked.override_reason = severe, reason
    tracked._history_user = user
    tracked.full_clean(exclude=["campaign", "school"])
    tracked.save()
    return tracked


# --- Plans, work and evidence on one gap --------------------------------------------------------------

# What a gap's own writes accept: a plan, work started, a claim (a closed or waived gap is done).
WORKABLE = Gap.UNRESOLVED
# The history's "why" is a short column (simple_history's change reason).
REASON_MAX = 100


def _lock(gap):
    """The gap as stored now, locked for the transaction, with its school and campaign."""
    return (
        Gap.objects.select_for_update(of=("self",))
        .select_related("tracked__school", "tracked__campaign", "indicator")
        .get(pk=gap.pk)
    )


def _check_scope(gap, user):
    if not visible_schools(user).filter(pk=gap.tracked.school_id).exists():
        raise ValidationError(
            _("“%(school)s”不在您的数据范围内，不能办理其未达标项。") % {"school": gap.tracked.school}
        )


def _locked_gap(gap, user):
    """`_lock(gap)`, refused when its school is outside the user's scope."""
    gap = _lock(gap)
    _check_scope(gap, user)
    return gap


def _workable(gap):
    if gap.status not in WORKABLE:
        raise ValidationError(
            _("未达标项“%(gap)s”当前为“%(status)s”，不能再修改其整改方案。")
            % {"gap": gap, "status": gap.get_status_display()}
        )


def _move_gap(gap, status, user, reason=""):
    gap.status = status
    gap._change_reason = reason[:REASON_MAX] or None
    _save(gap, user)


def plan_measures(category):
    """The measures a plan may take for a gap of `category`: those of its kind, and "other"."""
    return RectificationPlan.MEASURES.get(category, set()) | {RectificationPlan.Measure.OTHER}


def plan_cost(gap):
    """What closing the gap costs at its indicator's unit cost: the shortfall in whole units for
    counted things (calc.purchase_quantity) times the unit cost; None without a unit cost or a
    shortfall. The unit cost is per unit of the indicator's numerator, the gap's unit."""
    unit_cost = UnitCost.objects.filter(indicator_id=gap.indicator_id).first()
    if unit_cost is None or gap.shortfall is None:
        return None
    return estimated_cost(purchase_quantity(gap.shortfall, gap.unit), unit_cost.cost)


def _plan_deadline(campaign, deadline):
    first, last = campaign_span(campaign)
    deadline = deadline or rectification_end(campaign)
    if deadline is None:
        raise ValidationError(
            {"deadline": _("请填写完成期限：创建工作没有第 2 阶段（问题整改阶段）可作默认期限。")}
        )
    if first is not None and not first <= deadline <= last:
        raise ValidationError(
            {
                "deadline": _(
                    "完成期限 %(deadline)s 不在创建工作“%(campaign)s”的起止时间（%(first)s 至 %(last)s）之内。"
                )
                % {"deadline": deadline, "campaign": campaign, "first": first, "last": last}
            }
        )
    return deadline


def plan_check(*, gap, user, measure, responsible_unit, deadline=None):
    """The deadline a plan for `gap` gets (the end of the rectification phase when none is
    given), or a ValidationError naming each field refused: the gap outside the user's scope or
    already closed or waived, a measure that does not fit its category, no responsible unit, a
    deadline outside the campaign's phases."""
    _check_scope(gap, user)
    _workable(gap)
    errors = {}
    if measure not in plan_measures(gap.category):
        allowed = "、".join(
            str(RectificationPlan.Measure(m).label) for m in sorted(plan_measures(gap.category))
        )
        label = (
            RectificationPlan.Measure(measure).label
            if measure in RectificationPlan.Measure.values
            else measure
        )
        errors["measure"] = _(
            "整改措施“%(measure)s”不适用于%(category)s类未达标项“%(gap)s”：可选 %(allowed)s。"
        ) % {
            "measure": label,
            "category": gap.get_category_display(),
            "gap": gap,
            "allowed": allowed,
        }
    if not (responsible_unit or "").strip():
        errors["responsible_unit"] = _("请填写责任单位。")
    try:
        deadline = _plan_deadline(gap.tracked.campaign, deadline)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return deadline


@transaction.atomic
def plan_save(*, gap, user, measure, responsible_unit, owner=None, deadline=None, notes=""):
    """Create or update the gap's rectification plan (PLAN-T2, PLAN-T5) and move an open gap to
    planned. Checked by `plan_check`; the estimated cost is recomputed from the indicator's unit
    cost (`plan_cost`)."""
    gap = _lock(gap)
    deadline = plan_check(
        gap=gap, user=user, measure=measure, responsible_unit=responsible_unit, deadline=deadline
    )
    if owner is not None and not owner_choices(gap.tracked.school).filter(pk=owner.pk).exists():
        names = {"user": owner.get_full_name() or owner.username, "school": gap.tracked.school}
        raise ValidationError(
            {"owner": _("%(user)s 的数据范围不含 %(school)s，不能作为该整改方案的责任人。") % names}
        )
    plan = RectificationPlan.objects.filter(gap=gap).first() or RectificationPlan()
    plan.gap, plan.measure, plan.owner = gap, measure, owner
    plan.responsible_unit, plan.deadline, plan.notes = (
        responsible_unit.strip(),
        deadline,
        (notes or "").strip(),
    )
    plan.estimated_cost = plan_cost(gap)
    plan._history_user = user
    plan.full_clean(exclude=["gap", "owner"])
    plan.save()
    if gap.status == Gap.Status.OPEN:
        _move_gap(gap, Gap.Status.PLANNED, user)
    return plan


@transaction.atomic
def gap_start(*, gap, user):
    """Record that the planned work has begun: planned → in progress."""
    gap = _locked_gap(gap, user)
    if gap.status == Gap.Status.OPEN:
        raise ValidationError(_("未达标项“%(gap)s”尚无整改方案：请先制定整改方案。") % {"gap": gap})
    if gap.status != Gap.Status.PLANNED:
        raise ValidationError(
            _("未达标项“%(gap)s”当前为“%(status)s”，只有已定方案的未达标项可以开始整改。")
            % {"gap": gap, "status": gap.get_status_display()}
        )
    _move_gap(gap, Gap.Status.IN_PROGRESS, user)
    return gap


@transaction.atomic
def gap_claim(*, gap, user, note=""):
    """The school's word that the work is done (→ claimed), with at least one piece of evidence
    not rejected. A claim never closes a gap: only an approved report whose figures pass does."""
    gap = _locked_gap(gap, user)
    if gap.status not in (Gap.Status.PLANNED, Gap.Status.IN_PROGRESS):
        raise ValidationError(
            _("未达标项“%(gap)s”当前为“%(status)s”，只有已定方案或整改中的未达标项可以报告整改完成。")
            % {"gap": gap, "status": gap.get_status_display()}
        )
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise ValidationError(
            {"note": _("说明不能超过 %(max)s 字（现有 %(n)s 字）。") % {"max": REASON_MAX, "n": len(note)}}
        )
    if not gap.evidence.exclude(decision=Evidence.Decision.REJECTED).exists():
        raise ValidationError(
            _("未达标项“%(gap)s”还没有佐证材料（或均未采纳）：请先上传整改的照片、发票或验收证明。")
            % {"gap": gap}
        )
    _move_gap(gap, Gap.Status.CLAIMED, user, note)
    return gap


@transaction.atomic
def evidence_add(*, gap, user, upload, kind, effective_on, note=""):
    """Store a file showing the gap's rectification in the private storage, after checking its
    content (`phases.uploads.validate_upload`): its sanitised name, the type found in its content
    and its size are kept on the row. Evidence may follow a gap closed by data (phase 4 wants
    accepted evidence for every closed gap); a waived gap takes none."""
    gap = _locked_gap(gap, user)
    errors = {}
    if gap.status == Gap.Status.WAIVED:
        raise ValidationError(_("未达标项“%(gap)s”已免予整改，无需上传佐证材料。") % {"gap": gap})
    if kind not in Evidence.Kind.values:
        errors["kind"] = _("材料类型“%(kind)s”无效。") % {"kind": kind}
    if effective_on is None:
        errors["effective_on"] = _("请填写材料日期。")
    elif effective_on > timezone.localdate():
        errors["effective_on"] = _("材料日期 %(date)s 晚于今天。") % {"date": effective_on}
    if upload is None:
        errors["file"] = _("请选择要上传的文件。")
    else:
        try:
            name, content_type, size = validate_upload(upload)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    evidence = Evidence(
        gap=gap,
        kind=kind,
        effective_on=effective_on,
        note=(note or "").strip(),
        original_name=name,
        content_type=content_type,
        size=size,
        uploaded_by=user,
    )
    evidence._history_user = user
    upload.seek(0)
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_decide(*, evidence, user, accept, reason=""):
    """A reviewer accepts or rejects a piece of evidence (rejecting needs a reason). When the
    gap was claimed and every piece of its evidence is now rejected, the claim falls: the gap goes
    back to in progress. Accepting closes nothing."""
    if not user.has_perm("phases.review_evidence"):
        raise PermissionDenied(_("只有审核员可以审核佐证材料。"))
    gap = _locked_gap(evidence.gap, user)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("不采纳佐证材料“%(name)s”须填写理由。") % {"name": evidence}})
    evidence.decision = Evidence.Decision.ACCEPTED if accept else Evidence.Decision.REJECTED
    evidence.decision_reason, evidence.decided_by, evidence.decided_at = reason, user, timezone.now()
    evidence._history_user = user
    evidence.save()
    if (
        not accept
        and gap.status == Gap.Status.CLAIMED
        and not gap.evidence.exclude(decision=Evidence.Decision.REJECTED).exists()
    ):
        _move_gap(gap, Gap.Status.IN_PROGRESS, user, _("佐证材料均未采纳：%(reason)s") % {"reason": reason})
    evidence.gap = gap
    return evidence


# --- A closed or merged school's gaps ------------------------------------------------------------------


def _successor(school):
    """The school a closed school's pupils went to: its `merged_into`, followed while that one
    was merged on too; None when there is none or the chain ends at a closed school."""
    seen, current = {school.pk}, school.merged_into
    while current is not None and current.merged_into_id and current.pk not in seen:
        seen.add(current.pk)
        current = current.merged_into
    return current if current is not None and current.is_active else None


def _latest_passing(campaign, school):
    """(year, {(indicator id, part)} passing) of the school's latest approved report evaluated by
    the campaign's standard; (None, set()) when it has none."""
    latest = (
        ComplianceSummary.objects.filter(
            standard=campaign.standard, report__school=school, report__status=AnnualReport.Status.APPROVED
        )
        .order_by("-report__year")
        .values_list("report__year", flat=True)
        .first()
    )
    if latest is None:
        return None, set()
    rows = ComplianceSummary.objects.filter(
        standard=campaign.standard,
        report__school=school,
        report__year=latest,
        report__status=AnnualReport.Status.APPROVED,
    ).values_list("part", "items")
    return latest, {
        (item.indicator_id, part) for part, items in rows for item in decode_items(items) if item.passed
    }


def _waive(gap, user, reason):
    gap.status, gap.waiver_reason = Gap.Status.WAIVED, reason
    gap._change_reason = reason[:REASON_MAX]
    _save(gap, user)


def _follow(tracked, successor, user):
    """Move or resolve one tracked school's unresolved gaps; returns (moved, resolved)."""
    school, campaign = tracked.school, tracked.campaign
    gaps = list(tracked.gaps.filter(status__in=Gap.UNRESOLVED).select_related("indicator"))
    moved, resolved = [], []
    if successor is None:
        reason = _("学校撤并：%(school)s 已停办，没有并入学校，随撤并销项。") % {"school": school}
        for gap in gaps:
            _waive(gap, user, reason)
            resolved.append(gap)
        return moved, resolved
    year, passing = _latest_passing(campaign, successor)
    target = TrackedSchool.objects.filter(campaign=campaign, school=successor).first()
    taken = set(target.gaps.values_list("indicator_id", "part")) if target else set()
    for gap in gaps:
        key = (gap.indicator_id, gap.part)
        if key in passing:
            reason = _("学校撤并：已并入%(successor)s，其 %(year)s 年已核准年报该项达标，随撤并销项。")
            _waive(gap, user, reason % {"successor": successor, "year": year})
            resolved.append(gap)
        elif key in taken:
            reason = _("学校撤并：已并入%(successor)s，该项由其同一未达标项继续跟踪。")
            _waive(gap, user, reason % {"successor": successor})
            resolved.append(gap)
        else:
            if target is None:
                target = _merger_target(campaign, successor, school, gaps, passing, user)
            gap.tracked = target
            _move_gap(gap, gap.status, user, _("由%(school)s并入") % {"school": school.name})
            moved.append(gap)
    return moved, resolved


def _merger_target(campaign, successor, school, gaps, passing, user):
    """The successor's new tracked school, added by the bureau "由X并入"; severe by the rule from
    the gaps it takes over."""
    taken = [gap for gap in gaps if (gap.indicator_id, gap.part) not in passing]
    baseline, _items = _failed_results(campaign, campaign.baseline_year, [successor.pk])
    target = TrackedSchool(
        campaign=campaign,
        school=successor,
        enrolled_on=timezone.localdate(),
        source=TrackedSchool.Source.ADDED,
        reason=_("由%(school)s并入") % {"school": school.name},
        baseline_failed=baseline.get(successor.pk, 0),
        severe=_severe(campaign, len(taken), [gap.category for gap in taken]),
    )
    target._history_user = user
    target.save()
    return target


@transaction.atomic
def gaps_follow_merger(*, school, user):
    """A closed school's unresolved gaps, in every campaign tracking it, follow its pupils: each
    moves to the successor's tracked school (added "由X并入" when the successor is not tracked),
    plan and evidence with it. A gap the successor already passes in its latest approved report,
    or already tracks as a gap of its own, is resolved by the merger instead: waived, with the
    merger as its automatic reason (no status of its own, so that "closed or waived" still means
    resolved everywhere). A school closed without a successor has its gaps waived the same way.
    Returns {"moved": [Gap…], "resolved": [Gap…]}."""
    school = School.objects.select_related("merged_into").get(pk=school.pk)
    if not visible_schools(user).filter(pk=school.pk).exists():
        raise ValidationError(_("“%(school)s”不在您的数据范围内。") % {"school": school})
    if school.is_active:
        raise ValidationError(_("%(school)s 仍在办，未撤并：其未达标项不转移。") % {"school": school})
    successor = _successor(school)
    found = {"moved": [], "resolved": []}
    for tracked in TrackedSchool.objects.filter(school=school).select_related("campaign", "school"):
        moved, resolved = _follow(tracked, successor, user)
        found["moved"] += moved
        found["resolved"] += resolved
    return found
