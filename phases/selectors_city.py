"""Reads of the city's work: the plan's tasks, the leadership group's meetings and their follow-up
actions, and the purchase list of the equipment gaps (PLAN-T4, PLAN-S2)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from phases.calc import estimated_cost, school_purchase_quantity
from phases.models import FollowUpAction, Gap, Task, TaskUpdate, UnitCost, WorkStatus
from schools.models import AnnualReport
from standards.calc.split import level_shares
from standards.models import Indicator
from standards.selectors import split_weights

ZERO = Decimal(0)


def _overdue(today):
    """Past its due date and not done (a task or a follow-up action)."""
    late = Q(due_on__lt=today) & ~Q(status=WorkStatus.DONE)
    return Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField())


def tasks(campaign, today=None):
    """The campaign's tasks in plan order with their phase and owner, each with `overdue` and
    its latest progress note (`latest_note`, `latest_at`), in one query."""
    today = today or timezone.localdate()
    latest = TaskUpdate.objects.filter(task=OuterRef("pk")).order_by("-written_at", "-pk")
    return (
        Task.objects.filter(phase__campaign=campaign)
        .select_related("phase", "owner")
        .annotate(
            overdue=_overdue(today),
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("written_at")[:1]),
        )
        .order_by("phase__number", "order", "code")
    )


def task_detail(campaign, pk, today=None):
    """One task of the campaign, as `tasks()` gives it, or None."""
    return tasks(campaign, today).filter(pk=pk).first()


def task_links(task, schools):
    """The tracked schools and gaps a task concerns, those of `schools` only (the user's scope),
    and how many others the user does not see."""
    tracked = task.tracked_schools.select_related("school__region").order_by("school__code")
    gaps = task.gaps.select_related("tracked__school", "indicator").order_by(
        "tracked__school__code", "indicator__order", "part"
    )
    shown_tracked = list(tracked.filter(school__in=schools))
    shown_gaps = list(gaps.filter(tracked__school__in=schools))
    hidden = tracked.count() - len(shown_tracked) + gaps.count() - len(shown_gaps)
    return {"tracked": shown_tracked, "gaps": shown_gaps, "hidden": hidden}


def meetings(campaign, today=None):
    """The campaign's meetings, latest first, each with the number of its follow-up actions,
    of those not done and of those overdue, in one query."""
    today = today or timezone.localdate()
    open_ = ~Q(actions__status=WorkStatus.DONE)
    return campaign.meetings.annotate(
        actions_total=Count("actions"),
        actions_open=Count("actions", filter=open_),
        actions_overdue=Count("actions", filter=open_ & Q(actions__due_on__lt=today)),
    ).order_by("-held_on", "-pk")


def meeting_actions(meeting, today=None):
    """A meeting's follow-up actions by due date, with their owner and `overdue`."""
    today = today or timezone.localdate()
    return (
        FollowUpAction.objects.filter(meeting=meeting)
        .select_related("owner")
        .prefetch_related("attachments")
        .annotate(overdue=_overdue(today))
        .order_by("due_on", "pk")
    )


# --- The purchase list -----------------------------------------------------------------------------


@dataclass
class PurchaseRow:
    """What one tracked school must buy for one equipment item: one gap, or one per failing level
    part of a spanning school (a thing its levels share is bought once for all of them)."""

    tracked: object
    indicator: object
    gaps: list
    unit: str
    quantity: Decimal | None = None
    unit_cost: object = None
    cost: Decimal | None = None
    delivered: Decimal = ZERO
    # Why the row has no cost: "unpriced" (no unit cost), "unit" (the unit cost counts another
    # unit), "share" (a level part's share of the school is unknown).
    problem: str = ""

    @property
    def school(self):
        return self.tracked.school

    @property
    def outstanding(self):
        """What is still to be delivered (never below 0)."""
        if self.quantity is None:
            return None
        return max(self.quantity - self.delivered, ZERO)

    @property
    def key(self):
        """The name of the row's quantity field on the delivery form."""
        return f"qty-{self.tracked.pk}-{self.indicator.pk}"


@dataclass
class Totals:
    """The cost of a set of rows (those priced), how many have no cost, and the quantity and cost
    of each item ({indicator: [quantity, unit, cost]})."""

    cost: Decimal = ZERO
    unpriced: int = 0
    rows: int = 0
    items: dict = field(default_factory=dict)

    @property
    def by_item(self):
        """[(indicator, quantity, unit, cost)] in the standard's order of its items."""
        ordered = sorted(self.items.items(), key=lambda pair: (pair[0].order, pair[0].code))
        return [(indicator, *values) for indicator, values in ordered]

    def add(self, row):
        self.rows += 1
        item = self.items.setdefault(row.indicator, [ZERO, row.unit, ZERO])
        if row.quantity is not None:
            item[0] += row.quantity
        if row.cost is None:
            self.unpriced += 1
        else:
            self.cost += row.cost
            item[2] += row.cost


@dataclass
class SchoolGroup:
    tracked: object
    rows: list = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


@dataclass
class TownGroup:
    town: object
    schools: list = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


def purchase_gaps(campaign, schools):
    """The unresolved equipment gaps of the campaign's tracked schools among `schools`, with their
    school, town, indicator and unit cost, and what deliveries brought (`delivered`), in one
    query, ordered by town, school, item and part."""
    delivered = Coalesce(
        Sum("delivery_lines__quantity"),
        Value(ZERO),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    return (
        Gap.objects.filter(
            tracked__campaign=campaign,
            tracked__school__in=schools,
            category=Indicator.Category.EQUIPMENT,
            status__in=Gap.UNRESOLVED,
        )
        .select_related("tracked__school__region", "indicator__unit_cost")
        .annotate(delivered=delivered)
        .order_by("tracked__school__region__code", "tracked__school__code", "indicator__order", "part")
    )


def _unit_cost(indicator):
    try:
        return indicator.unit_cost
    except UnitCost.DoesNotExist:
        return None


def _is_shared(indicator):
    """Whether the item's numerator is a thing the school's levels share (no "{level}" key)."""
    return not any("{level}" in key for key in indicator.numerator)


def _shares(campaign, school_ids):
    """{school id: {level: exact share}} from each school's approved report of the baseline year,
    or its latest approved one: one query, run only for spanning schools' level parts."""
    if not school_ids:
        return {}
    weights = split_weights(campaign.standard)
    reports = (
        AnnualReport.objects.approved()
        .filter(school_id__in=school_ids)
        .values_list(
            "school_id",
            "year",
            "school__school_type",
            "students_primary",
            "students_junior",
            "students_senior",
        )
    )
    chosen = {}
    for school_id, year, school_type, primary, junior, senior in reports:
        rank = (year == campaign.baseline_year, year)
        if school_id not in chosen or rank > chosen[school_id][0]:
            students = {"primary": primary, "junior": junior, "senior": senior}
            chosen[school_id] = (rank, level_shares(school_type, students, weights))
    return {school_id: shares for school_id, (_rank, shares) in chosen.items()}


def _price(row):
    cost = row.unit_cost
    if row.quantity is None:
        row.problem = "share"
    elif cost is None:
        row.problem = "unpriced"
    elif cost.unit and row.unit and cost.unit != row.unit:
        row.problem = "unit"
    else:
        row.cost = estimated_cost(row.quantity, cost.cost)


def purchase_rows(campaign, gaps):
    """The purchase list from `purchase_gaps()`: a row per school and item, its quantity to buy
    (whole computers and books, rounded up so that the item passes), unit cost and cost."""
    grouped = defaultdict(list)
    for gap in gaps:
        grouped[gap.tracked_id, gap.indicator_id].append(gap)
    needs_shares = {
        gap.tracked.school_id
        for rows in grouped.values()
        for gap in rows
        if gap.part and _is_shared(gap.indicator)
    }
    shares = _shares(campaign, needs_shares)
    rows = []
    for found in grouped.values():
        first = found[0]
        shared = _is_shared(first.indicator)
        school_shares = shares.get(first.tracked.school_id, {})
        parts = [(gap.shortfall, school_shares.get(gap.part) if gap.part else 1) for gap in found]
        row = PurchaseRow(
            tracked=first.tracked,
            indicator=first.indicator,
            gaps=found,
            unit=first.unit,
            quantity=school_purchase_quantity(parts, first.unit, shared=shared),
            unit_cost=_unit_cost(first.indicator),
            # The parts of a shared purchase each record the same delivery: count it once.
            delivered=min(gap.delivered for gap in found) if shared else sum(gap.delivered for gap in found),
        )
        _price(row)
        rows.append(row)
    return rows


def purchase_groups(rows):
    """(towns, city totals): the rows by town and school, each with its totals."""
    towns, city = {}, Totals()
    for row in rows:
        region = row.school.region
        town = towns.setdefault(region.pk, TownGroup(region))
        if not town.schools or town.schools[-1].tracked.pk != row.tracked.pk:
            town.schools.append(SchoolGroup(row.tracked))
        school = town.schools[-1]
        school.rows.append(row)
        for totals in (school.totals, town.totals, city):
            totals.add(row)
    return list(towns.values()), city
