"""Reads of the five phases: the facts `phases.progress` decides from, for many tracked schools in a
constant number of queries, and the matrix's rows and counts.

An approved report's approval date is the date it was last written: every status change of a
report (`reporting.services`) stamps `updated_at`, and an approved report is changed only by
reopening it, after which it is no longer approved. A waiver's date comes from the gap's history.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phases import progress
from phases.models import Evidence, Gap, InspectionVisit, LedgerEntry, LedgerItem, Phase, TrackedSchool
from schools.access import visible_schools
from schools.models import AnnualReport, School
from standards.models import ComplianceSummary

# What each phase is called where the campaign has not named it (the plan's appendix).
DEFAULT_NAMES = {
    progress.VERIFIED: _("问题核实"),
    progress.RECTIFIED: _("问题整改"),
    progress.DATA_VERIFIED: _("数据核准"),
    progress.APPLICATION_READY: _("申报准备"),
    progress.SELF_CHECKED: _("自查迎评"),
}


def _day(moment):
    return timezone.localdate(moment) if moment is not None else None


def _waived_on(tracked_ids):
    """{gap id: the day its current waiver began} for the waived gaps of these tracked schools."""
    waived = Gap.objects.filter(tracked_id__in=tracked_ids, status=Gap.Status.WAIVED).values("pk")
    rows = (
        Gap.history.filter(id__in=waived)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "status", "history_date")
    )
    began, previous = {}, {}
    for gap_id, status, moment in rows:
        if status == Gap.Status.WAIVED and previous.get(gap_id) != Gap.Status.WAIVED:
            began[gap_id] = _day(moment)
        previous[gap_id] = status
    return began


def _gaps(tracked_ids):
    """{tracked id: [GapFacts…]}."""
    waived_on = _waived_on(tracked_ids)
    accepted = dict(
        Evidence.objects.filter(gap__tracked_id__in=tracked_ids, decision=Evidence.Decision.ACCEPTED)
        .order_by()
        .values("gap_id")
        .annotate(first=Min("decided_at"))
        .values_list("gap_id", "first")
    )
    found = defaultdict(list)
    rows = Gap.objects.filter(tracked_id__in=tracked_ids).values_list(
        "pk", "tracked_id", "status", "closed_on"
    )
    for gap_id, tracked_id, status, closed_on in rows:
        resolved_on = closed_on if status == Gap.Status.CLOSED else waived_on.get(gap_id)
        found[tracked_id].append(progress.GapFacts(status, resolved_on, _day(accepted.get(gap_id))))
    return found


def _reports(tracked):
    """{(school id, standard id): [ReportFacts…]} of the schools' approved reports."""
    school_ids = {each.school_id for each in tracked}
    standard_ids = {each.campaign.standard_id for each in tracked}
    passes = defaultdict(list)
    summaries = (
        ComplianceSummary.objects.filter(
            report__school_id__in=school_ids,
            report__status=AnnualReport.Status.APPROVED,
            standard_id__in=standard_ids,
        )
        .order_by()
        .values_list("report_id", "standard_id", "passed_rule")
    )
    for report_id, standard_id, passed in summaries:
        passes[report_id, standard_id].append(passed)  # one per level part, each must pass
    reports = (
        AnnualReport.objects.filter(school_id__in=school_ids, status=AnnualReport.Status.APPROVED)
        .order_by()
        .values_list("pk", "school_id", "year", "updated_at")
    )
    found = defaultdict(list)
    for report_id, school_id, year, updated_at in reports:
        for standard_id in standard_ids:
            parts = passes.get((report_id, standard_id))
            found[school_id, standard_id].append(
                progress.ReportFacts(year, _day(updated_at), all(parts) if parts else None)
            )
    return found


def campaign_facts(campaign_ids, evaluation_years):
    """{campaign id: CampaignFacts}; `evaluation_years`: {campaign id: year}."""
    ends, items = defaultdict(dict), defaultdict(set)
    for campaign_id, number, ends_on in (
        Phase.objects.filter(campaign_id__in=campaign_ids)
        .order_by()
        .values_list("campaign_id", "number", "ends_on")
    ):
        ends[campaign_id][number] = ends_on
    for campaign_id, item_id in (
        LedgerItem.objects.filter(campaign_id__in=campaign_ids).order_by().values_list("campaign_id", "pk")
    ):
        items[campaign_id].add(item_id)
    return {
        campaign_id: progress.CampaignFacts(
            evaluation_years[campaign_id], frozenset(items[campaign_id]), dict(ends[campaign_id])
        )
        for campaign_id in campaign_ids
    }


def school_facts(tracked):
    """{tracked id: SchoolFacts} of `tracked` (TrackedSchool rows with their campaign loaded),
    in seven queries whatever their number."""
    ids = [each.pk for each in tracked]
    sign_offs = defaultdict(list)
    for tracked_id, on in (
        InspectionVisit.objects.filter(tracked_id__in=ids, signed_off=True)
        .order_by()
        .values_list("tracked_id", "signed_off_on")
    ):
        sign_offs[tracked_id].append(on)
    ledger = defaultdict(dict)
    for tracked_id, item_id, on in (
        LedgerEntry.objects.filter(tracked_id__in=ids)
        .order_by()
        .values_list("tracked_id", "item_id", "completed_on")
    ):
        ledger[tracked_id][item_id] = on
    gaps = _gaps(ids)
    reports = _reports(tracked)
    return {
        each.pk: progress.SchoolFacts(
            enrolled_on=each.enrolled_on,
            sign_offs=tuple(sign_offs[each.pk]),
            gaps=tuple(gaps[each.pk]),
            reports=tuple(reports[each.school_id, each.campaign.standard_id]),
            ledger=ledger[each.pk],
        )
        for each in tracked
    }


def phase_statuses(tracked, today=None):
    """{tracked id: (PhaseStatus × 5)} of `tracked` (TrackedSchool rows with their campaign
    loaded), in nine queries whatever their number."""
    tracked = list(tracked)
    if not tracked:
        return {}
    today = today or timezone.localdate()
    years = {each.campaign_id: each.campaign.evaluation_data_year for each in tracked}
    campaigns = campaign_facts(set(years), years)
    facts = school_facts(tracked)
    return {
        each.pk: progress.phase_statuses(facts[each.pk], campaigns[each.campaign_id], today)
        for each in tracked
    }


# --- The matrix ---------------------------------------------------------------------------------


@dataclass
class MatrixRow:
    """A tracked school with its five phases, as the matrix table and its export read it."""

    tracked: TrackedSchool
    phases: tuple

    @property
    def code(self):
        return self.tracked.school.code

    @property
    def name(self):
        return self.tracked.school.name

    @property
    def town(self):
        return self.tracked.school.region.name

    @property
    def severe(self):
        return self.tracked.is_severe

    def phase(self, number):
        return self.phases[number - 1]

    # The table's columns and their sort keys.
    p1 = property(lambda self: self.phase(1))
    p2 = property(lambda self: self.phase(2))
    p3 = property(lambda self: self.phase(3))
    p4 = property(lambda self: self.phase(4))
    p5 = property(lambda self: self.phase(5))
    p1_key = property(lambda self: self.phase(1).sort_key)
    p2_key = property(lambda self: self.phase(2).sort_key)
    p3_key = property(lambda self: self.phase(3).sort_key)
    p4_key = property(lambda self: self.phase(4).sort_key)
    p5_key = property(lambda self: self.phase(5).sort_key)


def visible_tracked(campaign, user):
    """The campaign's tracked schools `user` may see, with school, town and campaign, by code."""
    return (
        TrackedSchool.objects.filter(campaign=campaign, school__in=visible_schools(user))
        .select_related("school__region", "campaign")
        .order_by("school__code")
    )


def matrix_rows(tracked, today=None):
    """[MatrixRow…] of `tracked` (a queryset from `visible_tracked`, perhaps filtered)."""
    tracked = list(tracked)
    statuses = phase_statuses(tracked, today)
    return [MatrixRow(each, statuses[each.pk]) for each in tracked]


MATCHES = {
    progress.DONE: lambda status: status.done,
    progress.NOT_DONE: lambda status: not status.done,  # overdue or not
    progress.OVERDUE: lambda status: status.overdue,
}


def phase_filter(rows, number, state):
    """The rows whose phase `number` is done, not done (overdue or not) or overdue, as `state`
    says; without a number, those with any phase so; without a state, all of them."""
    if not state:
        return rows
    matches = MATCHES[state]
    numbers = [number] if number else progress.NUMBERS
    return [row for row in rows if any(matches(row.phase(n)) for n in numbers)]


def town_counts(rows):
    """[(town name, tracked count, {number: {state: n}})…] by town name."""
    by_town = defaultdict(list)
    for row in rows:
        by_town[row.town].append(row.phases)
    return [(town, len(found), progress.counts(found)) for town, found in sorted(by_town.items())]


def phase_names(campaign):
    """{number: the campaign's name of that phase}, for the five numbers (a default where the
    campaign has not named one)."""
    names = dict(campaign.phases.values_list("number", "name")) if campaign else {}
    return {number: names.get(number) or DEFAULT_NAMES[number] for number in progress.NUMBERS}


@dataclass(frozen=True)
class Candidate:
    """A school the campaign does not track whose latest approved report after the baseline
    fails at least the campaign's number of items."""

    school: object
    year: int
    failed: int


def candidates(campaign, user):
    """[Candidate…] in the user's scope, by school code: the bureau may add them with a reason
    (phases.services.tracked_school_add). Three queries whatever the number of schools."""
    county = School.objects.in_region(campaign.region).filter(pk__in=visible_schools(user))
    rows = (
        ComplianceSummary.objects.filter(
            standard=campaign.standard,
            report__status=AnnualReport.Status.APPROVED,
            report__year__gt=campaign.baseline_year,
            report__school__in=county,
        )
        .exclude(report__school__in=campaign.tracked.values("school"))
        .values_list("report__school_id", "report__year", "failed_count")
    )
    failed = defaultdict(int)
    for school_id, year, count in rows:
        failed[school_id, year] += count  # a standard evaluated by level part: the parts summed
    latest = {}
    for (school_id, year), count in failed.items():
        if year > latest.get(school_id, (0, 0))[0]:
            latest[school_id] = (year, count)
    chosen = {pk: found for pk, found in latest.items() if found[1] >= campaign.min_failed_items}
    schools = School.objects.select_related("region").in_bulk(list(chosen))
    return sorted(
        (Candidate(schools[pk], year, count) for pk, (year, count) in chosen.items()),
        key=lambda candidate: candidate.school.code,
    )
