"""Writes of the campaign: which schools it tracks, their gaps, and closing them from approved
data only (a school's word that a gap is fixed is not enough: its approved report must pass)."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from phases.calc import is_severe
from phases.models import Campaign, Gap, TrackedSchool
from schools.models import AnnualReport, School
from standards.models import ComplianceResult, ComplianceSummary

CHUNK = 2000


def _need(text, message):
    if not (text or "").strip():
        raise ValidationError(message)
    return text.strip()


def _failed_results(campaign, year, schools=None):
    """{school id: [failed ComplianceResult…]} and {school id: failed count} from the stored
    results of approved reports of `year` against the campaign's standard."""
    summaries = ComplianceSummary.objects.filter(
        standard=campaign.standard, report__year=year, report__status=AnnualReport.Status.APPROVED
    )
    if schools is not None:
        summaries = summaries.filter(report__school__in=schools)
    counts = defaultdict(int)
    for school_id, failed in summaries.values_list("report__school_id", "failed_count"):
        counts[school_id] += failed  # a standard evaluated by level part: the parts' items summed
    items = defaultdict(list)
    results = ComplianceResult.objects.filter(summary__in=summaries, passed=False).select_related(
        "indicator", "summary__report"
    )
    for result in results.order_by("indicator__order", "summary__part"):
        items[result.summary.report.school_id].append(result)
    return counts, items


def _gap(tracked, result):
    return Gap(
        tracked=tracked,
        indicator=result.indicator,
        part=result.summary.part,
        category=result.indicator.category,
        baseline_value=result.value,
        threshold=result.threshold,
        shortfall=result.shortfall,
        unit=result.indicator.numerator_unit,
    )


def _severe(campaign, failed, categories):
    return is_severe(
        failed,
        categories,
        min_failed=campaign.severe_min_failed,
        facility_counts=campaign.severe_if_facility_gap,
    )


@transaction.atomic
def campaign_enrol(*, campaign, user=None):
    """Track every school of the campaign's county whose approved baseline report fails at least
    `min_failed_items` items of the campaign's standard, with a gap per failed item (PLAN-T1).

    Works from the stored compliance results; a school already tracked is kept as it is, so
    running it again changes nothing. Returns the TrackedSchool rows created.
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
    today = timezone.localdate()
    tracked = [
        TrackedSchool(
            campaign=campaign,
            school_id=school_id,
            enrolled_on=today,
            source=TrackedSchool.Source.BASELINE,
            baseline_failed=failed,
            severe=_severe(campaign, failed, [r.indicator.category for r in items[school_id]]),
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
        severe=_severe(campaign, len(failed), [r.indicator.category for r in failed]),
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
    gap.full_clean(exclude=["tracked", "indicator", "closed_by"])
    gap.save()


def _verdicts(school_ids, standard_ids):
    """{(school, standard, indicator, part): [(year, report id, passed)…]} from the stored results
    of approved reports."""
    verdicts = defaultdict(list)
    rows = ComplianceResult.objects.filter(
        summary__report__school_id__in=school_ids,
        summary__report__status=AnnualReport.Status.APPROVED,
        summary__standard_id__in=standard_ids,
    ).values_list(
        "summary__report__school_id",
        "summary__standard_id",
        "indicator_id",
        "summary__part",
        "summary__report__year",
        "summary__report_id",
        "passed",
    )
    for school_id, standard_id, indicator_id, part, year, report_id, passed in rows:
        verdicts[school_id, standard_id, indicator_id, part].append((year, report_id, passed))
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
    today = timezone.localdate()
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
        gap.closed_on, gap.closed_by_id = today, latest[1]
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
