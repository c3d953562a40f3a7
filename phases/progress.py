"""Where a tracked school stands in the campaign's five phases, decided from plain facts (no ORM).

A phase is done from data wherever the data can say it, each on a date:
1. verified: a signed-off inspection visit — on the earliest sign-off (PLAN-T1);
2. rectified: every gap closed or waived — on the latest close or waiver; a school with no gap is
   rectified when it was enrolled (PLAN-T4, PLAN-T5);
3. data verified: its report for the campaign's evaluation year approved — on that approval
   (PLAN-T10);
4. application-ready: every closed gap has accepted evidence and every ledger item of the campaign
   has an entry for the school — on the latest acceptance or entry; with neither a closed gap nor
   a ledger item to show, on the enrolment (PLAN-T11);
5. self-checked: its latest approved report passes the standard's rule — on that report's approval
   (PLAN-T16).
A phase not done is overdue once today is past the phase's end date.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

NUMBERS = (1, 2, 3, 4, 5)
VERIFIED, RECTIFIED, DATA_VERIFIED, APPLICATION_READY, SELF_CHECKED = NUMBERS
# A phase's state, as filters and exports name it.
DONE, NOT_DONE, OVERDUE = "done", "not_done", "overdue"
# Gap statuses (phases.models.Gap.Status) that count as resolved.
CLOSED, WAIVED = "closed", "waived"


@dataclass(frozen=True)
class GapFacts:
    status: str
    # When it was closed (closed_on) or waived; None while unresolved.
    resolved_on: date | None = None
    # The earliest acceptance of one of its evidence files; None when none is accepted.
    accepted_on: date | None = None


@dataclass(frozen=True)
class ReportFacts:
    """One of the school's approved reports."""

    year: int
    approved_on: date
    # Whether its stored compliance with the campaign's standard passes the rule (every level part
    # passing); None when no result is stored.
    passes: bool | None = None


@dataclass(frozen=True)
class SchoolFacts:
    enrolled_on: date
    sign_offs: tuple[date, ...] = ()
    gaps: tuple[GapFacts, ...] = ()
    reports: tuple[ReportFacts, ...] = ()
    # Ledger item id → the date the school's entry for it was completed.
    ledger: Mapping[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class CampaignFacts:
    evaluation_year: int
    ledger_items: frozenset[int] = frozenset()
    # Phase number → its end date; a phase the campaign has not dated is never overdue.
    phase_ends: Mapping[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class PhaseStatus:
    number: int
    done: bool
    on: date | None
    overdue: bool

    @property
    def state(self):
        if self.done:
            return DONE
        return OVERDUE if self.overdue else NOT_DONE

    @property
    def sort_key(self):
        """Overdue first, then not done, then done by date."""
        rank = {OVERDUE: 0, NOT_DONE: 1, DONE: 2}[self.state]
        return (rank, self.on.toordinal() if self.on else 0)


def verified(school):
    """(done, date): the earliest signed-off visit."""
    return (True, min(school.sign_offs)) if school.sign_offs else (False, None)


def rectified(school):
    """(done, date): every gap closed or waived, on the latest of those dates."""
    if not school.gaps:
        return True, school.enrolled_on
    if any(gap.status not in (CLOSED, WAIVED) for gap in school.gaps):
        return False, None
    return True, max(gap.resolved_on or school.enrolled_on for gap in school.gaps)


def _report_of(school, year):
    return next((report for report in school.reports if report.year == year), None)


def data_verified(school, campaign):
    """(done, date): the report of the year the evaluation judges approved (PLAN-T10)."""
    report = _report_of(school, campaign.evaluation_year)
    return (True, report.approved_on) if report else (False, None)


def application_ready(school, campaign):
    """(done, date): each closed gap with accepted evidence and each ledger item in place."""
    closed = [gap for gap in school.gaps if gap.status == CLOSED]
    if any(gap.accepted_on is None for gap in closed):
        return False, None
    if any(item not in school.ledger for item in campaign.ledger_items):
        return False, None
    dates = [gap.accepted_on for gap in closed] + [school.ledger[item] for item in campaign.ledger_items]
    return True, max(dates, default=school.enrolled_on)


def self_checked(school):
    """(done, date): the latest approved report's compliance passes."""
    if not school.reports:
        return False, None
    latest = max(school.reports, key=lambda report: report.year)
    return (True, latest.approved_on) if latest.passes else (False, None)


def phase_statuses(school, campaign, today):
    """The five PhaseStatus of `school` (SchoolFacts) in `campaign` (CampaignFacts) on `today`."""
    found = {
        VERIFIED: verified(school),
        RECTIFIED: rectified(school),
        DATA_VERIFIED: data_verified(school, campaign),
        APPLICATION_READY: application_ready(school, campaign),
        SELF_CHECKED: self_checked(school),
    }
    statuses = []
    for number in NUMBERS:
        done, on = found[number]
        ends = campaign.phase_ends.get(number)
        statuses.append(PhaseStatus(number, done, on, not done and ends is not None and today > ends))
    return tuple(statuses)


def counts(rows, numbers=NUMBERS):
    """{number: {"done": n, "overdue": n, "not_done": n}} over `rows` (tuples of PhaseStatus)."""
    found = {number: {DONE: 0, NOT_DONE: 0, OVERDUE: 0} for number in numbers}
    for statuses in rows:
        for status in statuses:
            found[status.number][status.state] += 1
    return found
