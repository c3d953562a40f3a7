"""A gap's page: its plan, evidence and why it is (not yet) closed; one POST per write, and the
stored files served as downloads.

Scope first: a gap or file whose school is outside the user's scope answers 404; then the role:
an action the user's permissions do not allow answers 403. Every write goes through a service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from phases import services
from phases.forms import ClaimForm, DecideForm, EvidenceForm, PlanForm
from phases.models import Attachment, Evidence, Gap, RectificationPlan
from phases.selectors_gaps import (
    evidence_for_user,
    gap_evidence,
    gap_for_user,
    gap_history,
    gap_standing,
    owner_choices,
)
from phases.views.files import file_response
from schools.access import require

REVIEW = "phases.review_evidence"


def _plan_of(gap):
    try:
        return gap.plan
    except RectificationPlan.DoesNotExist:
        return None


def _plan_permission(gap):
    return "phases.change_rectificationplan" if _plan_of(gap) else "phases.add_rectificationplan"


def _plan_form(gap, data=None):
    plan = _plan_of(gap)
    if plan is not None:
        initial = {
            "measure": plan.measure,
            "responsible_unit": plan.responsible_unit,
            "owner": plan.owner_id,
            "deadline": plan.deadline,
            "notes": plan.notes,
        }
    else:
        initial = {"responsible_unit": gap.tracked.school.name}
    return PlanForm(data, initial=initial, gap=gap, owners=owner_choices(gap.tracked.school))


def _page(request, gap, *, plan_form=None, evidence_form=None):
    user = request.user
    workable = gap.status in services.WORKABLE
    can_plan = workable and user.has_perm(_plan_permission(gap))
    can_change = user.has_perm("phases.change_gap")
    evidence = gap_evidence(gap)
    can_upload = gap.status != Gap.Status.WAIVED and user.has_perm("phases.add_evidence")
    context = {
        "gap": gap,
        "tracked": gap.tracked,
        "school": gap.tracked.school,
        "indicator": gap.indicator,
        "standing": gap_standing(gap),
        "plan": _plan_of(gap),
        "plan_form": (plan_form or _plan_form(gap)) if can_plan else None,
        "can_start": can_change and gap.status == Gap.Status.PLANNED,
        "can_claim": can_change and gap.status in (Gap.Status.PLANNED, Gap.Status.IN_PROGRESS),
        "claim_ready": any(item.decision != Evidence.Decision.REJECTED for item in evidence),
        "claim_form": ClaimForm(),
        "evidence": evidence,
        "evidence_form": (evidence_form or EvidenceForm()) if can_upload else None,
        "can_review": user.has_perm(REVIEW),
        "decide_form": DecideForm(),
        "history": gap_history(gap),
        "unresolved": Gap.UNRESOLVED,
    }
    return render(request, "phases/gap.html", context)


def _to_gap(gap, anchor=""):
    response = redirect("phases:gap", gap.pk)
    response["Location"] += anchor
    return response


def _refused(request, error):
    messages.error(request, " ".join(error.messages))


@require_safe
def gap(request, pk):
    found = gap_for_user(request.user, pk)
    require(request.user, "phases.view_gap")
    return _page(request, found)


@require_POST
def plan_save(request, pk):
    """Create or change the gap's plan; refused, the page again with what was typed."""
    found = gap_for_user(request.user, pk)
    require(request.user, _plan_permission(found))
    form = _plan_form(found, request.POST)
    if form.is_valid():
        try:
            services.plan_save(gap=found, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("整改方案已保存。"))
            return _to_gap(found, "#plan")
    return _page(request, found, plan_form=form)


@require_POST
def start(request, pk):
    found = gap_for_user(request.user, pk)
    require(request.user, "phases.change_gap")
    try:
        services.gap_start(gap=found, user=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已开始整改。"))
    return _to_gap(found)


@require_POST
def claim(request, pk):
    """The school's report that the work is done; the gap stays open until approved data passes."""
    found = gap_for_user(request.user, pk)
    require(request.user, "phases.change_gap")
    form = ClaimForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["note"])
        services.gap_claim(gap=found, user=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已报告整改完成。该项须待审核通过的年报数据达标后才会关闭。"))
    return _to_gap(found)


@require_POST
def evidence_add(request, pk):
    found = gap_for_user(request.user, pk)
    require(request.user, "phases.add_evidence")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                gap=found,
                user=request.user,
                upload=form.cleaned_data["file"],
                **{key: form.cleaned_data[key] for key in ("kind", "effective_on", "note")},
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("佐证材料已上传，等待审核。"))
            return _to_gap(found, "#evidence")
    return _page(request, found, evidence_form=form)


@require_POST
def evidence_decide(request, pk):
    evidence = evidence_for_user(request.user, pk)
    require(request.user, REVIEW)
    form = DecideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        accept = form.cleaned_data["decision"] == Evidence.Decision.ACCEPTED
        services.evidence_decide(
            evidence=evidence, user=request.user, accept=accept, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已采纳佐证材料。") if accept else _("已不采纳佐证材料。"))
    return _to_gap(evidence.gap, "#evidence")


def _serve(stored):
    return file_response(stored.file, stored.original_name, stored.content_type)


@require_safe
def evidence_file(request, pk):
    evidence = evidence_for_user(request.user, pk)
    require(request.user, "phases.view_evidence")
    return _serve(evidence)


@require_safe
def attachment_file(request, pk):
    """A task's, meeting's or action's attachment: the city's work, for whoever reads the campaign."""
    require(request.user, "phases.view_attachment")
    return _serve(get_object_or_404(Attachment, pk=pk))
