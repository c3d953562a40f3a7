"""The city's targets (PLAN-R1, R3, R5, R7, R8) by year, the bureau's entered values, and the
what-if of closing chosen gaps. Only the entering of a value writes (POST); the what-if is a GET
that computes in memory."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from phases.forms_targets import TargetValueForm
from phases.models import CityTargetValue, Gap
from phases.selectors import current_campaign
from phases.selectors_targets import city_targets, is_planned, whatif_compute, whatif_gaps
from phases.services_targets import target_value_enter as enter_value
from phases.views.files import file_response
from schools.fields import FIELDS
from schools.levels import Level


def _campaign():
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    return campaign


@require_safe
@permission_required("phases.view_citytarget", raise_exception=True)
def targets(request):
    campaign = current_campaign()
    context = {"data": None, "form": None}
    if campaign is not None:
        context["data"] = city_targets(campaign=campaign, user=request.user)
        if request.user.has_perm("phases.add_citytargetvalue"):
            context["form"] = TargetValueForm(campaign=campaign)
    return render(request, "phases/targets.html", context)


@require_POST
@permission_required("phases.add_citytargetvalue", raise_exception=True)
def target_value_enter(request):
    campaign = _campaign()
    form = TargetValueForm(request.POST, request.FILES, campaign=campaign)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
        return redirect("phases:targets")
    data = form.cleaned_data
    exists = CityTargetValue.objects.filter(target=data["target"], year=data["year"]).exists()
    if exists and not request.user.has_perm("phases.change_citytargetvalue"):
        messages.error(request, _("该目标本年度已有数值，您无权修改。"))
        return redirect("phases:targets")
    try:
        row = enter_value(
            target=data["target"],
            year=data["year"],
            value=data["value"],
            note=data["note"],
            upload=data["file"],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("已记录“%(target)s” %(year)s 年的数值 %(value)s。")
            % {"target": row.target, "year": row.year, "value": row.value.normalize()},
        )
    return redirect("phases:targets")


@require_safe
@permission_required("phases.view_citytargetvalue", raise_exception=True)
def target_value_file(request, pk):
    """The file behind an entered value, always as a download (never shown inline)."""
    row = get_object_or_404(CityTargetValue, pk=pk)
    return file_response(row.file, row.original_name or row.file.name.rsplit("/", 1)[-1])


# --- What-if ---------------------------------------------------------------------------------------


def _chosen(request, gaps):
    """The gaps asked for (?gap=<id>…, and ?planned=1 for every planned gap); Http404 for an id
    the user's scope does not hold. Returns (gaps to close, gaps left out as already resolved)."""
    by_id = {gap.pk: gap for gap in gaps}
    try:
        ids = [int(value) for value in request.GET.getlist("gap")]
    except ValueError as exc:
        raise Http404 from exc
    if any(pk not in by_id for pk in ids):
        raise Http404
    chosen = {pk: by_id[pk] for pk in ids}
    if request.GET.get("planned"):
        chosen.update({gap.pk: gap for gap in gaps if is_planned(gap)})
    resolved = [gap for gap in chosen.values() if gap.status not in Gap.UNRESOLVED]
    return [gap for gap in chosen.values() if gap.status in Gap.UNRESOLVED], resolved


def _failed_items(units):
    labels = []
    for unit in units:
        for item in unit.items:
            if item.passed is False:
                part = f"（{Level(unit.part).label}）" if unit.part else ""
                labels.append(f"{item.indicator.code} {item.indicator.name}{part}")
    return labels


def _change(change):
    field = FIELDS.get(change.key)
    return {
        "title": field.title if field else change.key,
        "unit": field.unit if field else "",
        "before": change.before,
        "after": change.after,
        "delta": change.delta,
    }


def _school_view(outcome, gaps):
    moved = {change.key for gap in outcome.gaps for change in gap.changes}
    return {
        "school": outcome.school,
        "year": outcome.year,
        "gaps": [
            {
                "gap": gaps[result.gap.id],
                "before": result.before,
                "after": result.after,
                "closed": result.closed,
                "changes": [_change(change) for change in result.changes],
            }
            for result in outcome.gaps
        ],
        "kept": [_change(change) for change in outcome.changes if change.key not in moved],
        "before": {
            "failed": _failed_items(outcome.before_units),
            "passed": all(unit.passed_rule for unit in outcome.before_units),
        },
        "after": {
            "failed": _failed_items(outcome.after_units),
            "passed": all(unit.passed_rule for unit in outcome.after_units),
        },
    }


def _balance_view(before, after):
    levels = []
    for level, block in before.items():
        moved = after[level]
        levels.append(
            {
                "level": Level(level).label,
                "schools": block["schools"],
                "indicators": [
                    {"code": b["code"], "name": b["name"], "limit": b["limit"], "before": b, "after": a}
                    for b, a in zip(block["indicators"], moved["indicators"], strict=True)
                ],
                "before": block,
                "after": moved,
            }
        )
    return levels


def _groups(gaps):
    groups = {}
    for gap in gaps:
        groups.setdefault(gap.tracked.school, []).append(gap)
    return list(groups.items())


@require_safe
@permission_required("phases.view_gap", raise_exception=True)
def whatif(request):
    campaign = _campaign()
    gaps = list(whatif_gaps(campaign=campaign, user=request.user))
    chosen, resolved = _chosen(request, gaps)
    context = {
        "groups": _groups(gaps),
        "chosen": {gap.pk for gap in chosen},
        "resolved": resolved,
        "asked": bool(request.GET),
        "result": None,
    }
    if chosen:
        result = whatif_compute(campaign=campaign, gaps=chosen)
        by_id = {gap.pk: gap for gap in chosen}
        context.update(
            result=result,
            schools=[_school_view(outcome, by_id) for outcome in result.schools],
            balance=_balance_view(result.balance_before, result.balance_after)
            if result.balance_before
            else None,
        )
    return render(request, "phases/whatif.html", context)
