"""Reads for a gap's page: the gap in the user's scope, why it is (not yet) closed in the words of
its latest approved data, who may own its plan, and its history of changes."""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phases.models import Evidence, Gap, RectificationPlan, TrackedSchool
from schools.access import users_seeing, visible_schools
from schools.admin_history import EMPTY, readable_value
from schools.models import AnnualReport
from standards.calc.codec import decode_items
from standards.models import ComplianceSummary
from standards.templatetags.numbers import num


def gap_for_user(user, pk):
    """The gap `pk` with its school, campaign, indicator and closing report, if its school is in
    the user's scope; Http404 otherwise."""
    gap = (
        Gap.objects.filter(pk=pk, tracked__school__in=visible_schools(user))
        .select_related(
            "tracked__school__region", "tracked__campaign__standard", "indicator", "closed_by", "plan__owner"
        )
        .first()
    )
    if gap is None:
        raise Http404
    return gap


def evidence_for_user(user, pk):
    """The evidence `pk` if its gap's school is in the user's scope; Http404 otherwise."""
    evidence = Evidence.objects.filter(pk=pk, gap__tracked__school__in=visible_schools(user)).first()
    if evidence is None:
        raise Http404
    return evidence


def gap_evidence(gap):
    """The gap's evidence, newest first, with who uploaded and who decided."""
    return list(gap.evidence.select_related("uploaded_by", "decided_by").order_by("-uploaded_at", "-pk"))


def _latest_result(gap):
    """(year, StoredItem) of the gap's item in the school's latest approved report evaluated by the
    campaign's standard that has the item; None when there is none."""
    rows = (
        ComplianceSummary.objects.filter(
            part=gap.part,
            standard_id=gap.tracked.campaign.standard_id,
            report__school_id=gap.tracked.school_id,
            report__status=AnnualReport.Status.APPROVED,
        )
        .order_by("-report__year")
        .values_list("report__year", "items")
    )
    for year, items in rows:
        for item in decode_items(items):
            if item.indicator_id == gap.indicator_id:
                return year, item
    return None


def _measured(year, item, indicator):
    """ "2013 年已核准年报：每百名学生拥有计算机台数 8.9 台/百生，标准 11 台/百生，尚未达标"."""
    if item.passed is None:
        verdict = _("无法判定（缺少数据）")
    else:
        verdict = _("已达标") if item.passed else _("尚未达标")
    return _(
        "%(year)s 年已核准年报：%(item)s %(value)s %(unit)s，标准 %(threshold)s %(unit)s，%(verdict)s"
    ) % {
        "year": year,
        "item": indicator.name,
        "value": num(item.value),
        "threshold": num(item.threshold, 3),
        "unit": indicator.unit,
        "verdict": verdict,
    }


def gap_standing(gap):
    """Plain-language lines on where the gap stands and why: the measured line of its latest
    approved data, then what closing it still takes."""
    campaign = gap.tracked.campaign
    year, item = _latest_result(gap) or (None, None)
    lines = [_measured(year, item, gap.indicator)] if item is not None else []
    if gap.status == Gap.Status.CLOSED:
        lines.append(
            _("已于 %(date)s 由 %(year)s 年已核准年报的数据关闭。")
            % {"date": gap.closed_on, "year": gap.closed_by.year}
        )
        return lines
    if gap.status == Gap.Status.WAIVED:
        lines.append(_("免予整改：%(reason)s") % {"reason": gap.waiver_reason})
        return lines
    if item is None:
        lines.append(_("尚无该项的已核准年报数据。"))
    elif year <= campaign.baseline_year:
        lines.append(
            _("基准年（%(year)s 年）之后尚无已核准年报：该项须在下一份年报审核通过且达标后才能关闭。")
            % {"year": campaign.baseline_year}
        )
    elif item.passed:
        lines.append(_("数据已达标，达标结果重新计算后即关闭。"))
    else:
        lines.append(_("未关闭：须待该项在审核通过的年报中达标。"))
    if gap.status == Gap.Status.CLAIMED:
        lines.append(_("学校已报告整改完成；报告本身不能关闭未达标项，以审核通过的年报数据为准。"))
    return lines


def owner_choices(school):
    """Who may own a plan for `school`'s gap: whoever sees the school (schools.access)."""
    return users_seeing(school)


# --- History ---------------------------------------------------------------------------------------

GAP_FIELDS = ("tracked", "status", "closed_by", "closed_on", "waiver_reason")
PLAN_FIELDS = ("measure", "responsible_unit", "owner", "deadline", "estimated_cost", "notes")
ACTIONS = {"+": gettext_lazy("新建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}
EVIDENCE_FIELDS = ("kind", "effective_on", "note", "decision", "decision_reason")


def _records(gap):
    """Every historical record of the gap, its plan and its evidence (three queries)."""
    return (
        (_("未达标项"), Gap, GAP_FIELDS, gap.history.select_related("history_user")),
        (
            _("整改方案"),
            RectificationPlan,
            PLAN_FIELDS,
            RectificationPlan.history.filter(gap_id=gap.pk).select_related("history_user"),
        ),
        (
            _("佐证材料"),
            Evidence,
            EVIDENCE_FIELDS,
            Evidence.history.filter(gap_id=gap.pk).select_related("history_user"),
        ),
    )


class _Names:
    """What a foreign key's stored id reads as, looked up once for all the records."""

    def __init__(self, records):
        ids = {"tracked": set(), "closed_by": set(), "owner": set()}
        for _subject, _model, fields, rows in records:
            for row in rows:
                for field in ids.keys() & set(fields):
                    ids[field].add(getattr(row, f"{field}_id"))
        self.names = {
            "tracked": {
                t.pk: str(t.school.name)
                for t in TrackedSchool.objects.filter(pk__in=ids["tracked"] - {None}).select_related("school")
            },
            "closed_by": {
                pk: _("%(year)s 年年报") % {"year": year}
                for pk, year in AnnualReport.objects.filter(pk__in=ids["closed_by"] - {None}).values_list(
                    "pk", "year"
                )
            },
            "owner": dict(
                get_user_model().objects.filter(pk__in=ids["owner"] - {None}).values_list("pk", "username")
            ),
        }

    def read(self, model, field, record):
        meta = model._meta.get_field(field)
        if meta.is_relation:
            value = getattr(record, f"{field}_id")
            return EMPTY if value is None else self.names[field].get(value, str(value))
        return readable_value(meta, getattr(record, field))


def gap_history(gap):
    """The gap's changes and those of its plan and evidence, oldest first: each with when, who,
    what (the subject and its action), the fields changed (label, old, new) and why."""
    records = [(subject, model, fields, list(rows)) for subject, model, fields, rows in _records(gap)]
    names = _Names(records)
    entries = []
    for subject, model, fields, rows in records:
        previous = {}
        for record in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
            before = previous.get(record.id)
            changes = []
            for field in fields:
                new = names.read(model, field, record)
                old = names.read(model, field, before) if before is not None else EMPTY
                if old != new:
                    changes.append((model._meta.get_field(field).verbose_name, old, new))
            previous[record.id] = record
            label = subject if model is not Evidence else f"{subject}“{record.original_name}”"
            entries.append(
                {
                    "at": record.history_date,
                    "user": record.history_user,
                    "subject": label,
                    "action": ACTIONS.get(record.history_type, record.history_type),
                    "changes": changes,
                    "reason": record.history_change_reason or "",
                }
            )
    return sorted(entries, key=lambda entry: entry["at"])
