"""A user's open work in the current campaign, by due date: the "my work" page, the home page's
summary of it and the reminder e-mails all read it from here.

What is a user's work:
- the rectification plans they own whose gap is not yet resolved (due: the plan's deadline);
- the plan's tasks and the meetings' follow-up actions they own that are not done (due: their
  own due date, if any);
- for a school clerk (who adds evidence and does not judge it): their school's unresolved gaps
  that have no plan yet (no due date; a gap whose plan the clerk owns is listed as that plan);
- for whoever judges evidence (`phases.review_evidence`): evidence in their scope still pending
  a decision (due: a week after it was uploaded).

Whatever names the user, an item of a school outside their scope is never listed.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from phases.models import Evidence, FollowUpAction, Gap, RectificationPlan, ReminderLog, Task, WorkStatus
from schools.access import is_bureau_wide, visible_schools

# "Due soon": within this many days from today (today and the 7th day included).
DUE_SOON_DAYS = 7
# A reviewer is expected to decide on an uploaded piece of evidence within this many days.
EVIDENCE_REVIEW_DAYS = 7
REVIEW_EVIDENCE = "phases.review_evidence"
ADD_EVIDENCE = "phases.add_evidence"

Kind = ReminderLog.Kind
# Among items due the same day: the school's own work first, then the city's, then reviews.
KIND_ORDER = {
    kind: order for order, kind in enumerate([Kind.PLAN, Kind.GAP, Kind.TASK, Kind.ACTION, Kind.EVIDENCE])
}

OVERDUE, SOON, LATER, UNDATED = "overdue", "soon", "later", "undated"
GROUPS = (
    (OVERDUE, gettext_lazy("已逾期")),
    (SOON, gettext_lazy("7 天内到期")),
    (LATER, gettext_lazy("以后到期")),
    (UNDATED, gettext_lazy("未定期限")),
)


@dataclass(frozen=True)
class WorkItem:
    kind: str
    pk: int
    title: str
    detail: str
    school: object  # a School, or None for the city's own work
    due: date | None
    days_left: int | None  # due - today in days: negative when overdue; None without a due date
    url: str | None  # the item's page, None while that page does not exist

    @property
    def kind_label(self):
        return Kind(self.kind).label

    @property
    def group(self):
        if self.days_left is None:
            return UNDATED
        if self.days_left < 0:
            return OVERDUE
        return SOON if self.days_left <= DUE_SOON_DAYS else LATER

    @property
    def is_due(self):
        """Overdue or due within DUE_SOON_DAYS: what the reminder e-mails name."""
        return self.group in (OVERDUE, SOON)

    @property
    def due_text(self):
        """Where the item stands in words, so that no colour alone says it is overdue."""
        if self.days_left is None:
            return _("未定期限")
        if self.days_left < 0:
            return ngettext("逾期 %(n)s 天", "逾期 %(n)s 天", -self.days_left) % {"n": -self.days_left}
        if self.days_left == 0:
            return _("今天到期")
        return ngettext("还剩 %(n)s 天", "还剩 %(n)s 天", self.days_left) % {"n": self.days_left}

    @property
    def school_url(self):
        return _url("phases:school", self.school.code) if self.school is not None else None


def _url(name, *args):
    """The URL of page `name`, or None where that page is not (yet) part of the site."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def is_school_clerk(user):
    """Whether `user` does a school's rectification (adds evidence) without judging it."""
    return user.has_perm(ADD_EVIDENCE) and not user.has_perm(REVIEW_EVIDENCE)


def _gap_title(gap):
    part = f"（{gap.get_part_display()}）" if gap.part else ""
    return f"{gap.indicator.code} {gap.indicator.name}{part}"


def _item(kind, pk, title, detail, school, due, url, today):
    days_left = (due - today).days if due is not None else None
    return WorkItem(kind, pk, title, detail, school, due, days_left, url)


def work_items(user, today):
    """`user`'s open items of the current campaign, soonest due first (undated last), as of the
    date `today`. A constant number of queries whatever the number of items or schools."""
    if not user.is_authenticated:
        return []
    schools = None if is_bureau_wide(user) else visible_schools(user)

    def in_scope(queryset, path):
        return queryset if schools is None else queryset.filter(**{f"{path}__in": schools})

    items = []
    plans = in_scope(
        RectificationPlan.objects.filter(
            owner=user, gap__status__in=Gap.UNRESOLVED, gap__tracked__campaign__is_current=True
        ),
        "gap__tracked__school",
    ).select_related("gap__tracked__school", "gap__indicator")
    for plan in plans:
        title = f"{_gap_title(plan.gap)}：{plan.get_measure_display()}"
        url = _url("phases:gap", plan.gap_id)
        school = plan.gap.tracked.school
        items.append(
            _item(Kind.PLAN, plan.pk, title, plan.responsible_unit, school, plan.deadline, url, today)
        )

    if is_school_clerk(user):
        gaps = in_scope(
            Gap.objects.filter(
                status__in=Gap.UNRESOLVED, plan__isnull=True, tracked__campaign__is_current=True
            ),
            "tracked__school",
        ).select_related("tracked__school", "indicator")
        for gap in gaps:
            detail = _("尚未制定整改方案")
            url = _url("phases:gap", gap.pk)
            items.append(
                _item(Kind.GAP, gap.pk, _gap_title(gap), detail, gap.tracked.school, None, url, today)
            )

    tasks = Task.objects.filter(owner=user, phase__campaign__is_current=True).exclude(status=WorkStatus.DONE)
    for task in tasks:
        title = f"{task.code} {task.title}"
        url = _url("phases:task", task.pk)
        items.append(_item(Kind.TASK, task.pk, title, task.responsible_unit, None, task.due_on, url, today))

    actions = (
        FollowUpAction.objects.filter(owner=user, meeting__campaign__is_current=True)
        .exclude(status=WorkStatus.DONE)
        .select_related("meeting")
    )
    for action in actions:
        url = _url("phases:meeting", action.meeting_id)
        items.append(
            _item(Kind.ACTION, action.pk, action.title, action.meeting.title, None, action.due_on, url, today)
        )

    if user.has_perm(REVIEW_EVIDENCE):
        pending = in_scope(
            Evidence.objects.filter(
                decision=Evidence.Decision.PENDING, gap__tracked__campaign__is_current=True
            ),
            "gap__tracked__school",
        ).select_related("gap__tracked__school", "gap__indicator")
        for evidence in pending:
            due = timezone.localdate(evidence.uploaded_at) + timedelta(days=EVIDENCE_REVIEW_DAYS)
            title = f"{evidence.original_name}（{evidence.get_kind_display()}）"
            url = _url("phases:gap", evidence.gap_id)
            school = evidence.gap.tracked.school
            items.append(
                _item(Kind.EVIDENCE, evidence.pk, title, _gap_title(evidence.gap), school, due, url, today)
            )

    items.sort(key=lambda i: (i.due is None, i.due or date.max, KIND_ORDER[i.kind], i.title, i.pk))
    return items


def work_groups(items):
    """[{"key", "label", "items"}] for overdue, due within a week, later and undated, in that
    order, each group keeping the items' order."""
    return [
        {"key": key, "label": label, "items": [i for i in items if i.group == key]} for key, label in GROUPS
    ]


def work_summary(user, today, *, limit=5):
    """The home page's view of `user`'s work: the first `limit` items, how many there are in all
    and per group. For a school clerk and a reviewer of evidence always (saying when there is
    nothing to do); for anyone else only when they own something; None otherwise."""
    items = work_items(user, today)
    if not items and not (is_school_clerk(user) or user.has_perm(REVIEW_EVIDENCE)):
        return None
    counts = {key: 0 for key, _label in GROUPS}
    for item in items:
        counts[item.group] += 1
    return {"items": items[:limit], "total": len(items), "counts": counts}
