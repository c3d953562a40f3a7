"""A tracked school's page (its five phases, gaps, severity and timeline) and the writes it offers:
recording and signing off an inspection visit, recording and removing a ledger entry.

Scope first: a school outside the user's scope, or not tracked by the current campaign, answers
404; then the role: an action it does not allow answers 403. A refused write shows the page again
with the reason; nothing is written.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from phases.forms_progress import LedgerForm, SignOffForm, VisitForm
from phases.models import Gap, InspectionVisit, LedgerEntry
from phases.selectors import current_campaign
from phases.selectors_matrix import phase_names, phase_statuses
from phases.selectors_timeline import gap_label, school_gaps, timeline
from phases.services_progress import ledger_entry_record, ledger_entry_remove, visit_record, visit_sign_off
from schools.access import school_for


def tracked_for(user, code, permission="phases.view_trackedschool"):
    """The current campaign's tracked school `code` if `user` may see it (404) and holds
    `permission` (403)."""
    school = school_for(user, code)
    campaign = current_campaign()
    tracked = campaign.tracked.filter(school=school).select_related("campaign").first() if campaign else None
    if tracked is None:
        raise Http404
    tracked.school = school
    if not user.has_perm(permission):
        raise PermissionDenied
    return tracked


def _ledger(tracked):
    """[(item, its entry or None)…] of the campaign's ledger."""
    entries = {entry.item_id: entry for entry in tracked.ledger_entries.select_related("recorded_by")}
    return [(item, entries.get(item.pk)) for item in tracked.campaign.ledger_items.all()]


def _page(request, tracked, *, visit_form=None, ledger_form=None, status=200):
    user = request.user
    names = phase_names(tracked.campaign)
    statuses = phase_statuses([tracked])[tracked.pk]
    ends = dict(tracked.campaign.phases.values_list("number", "ends_on"))
    gaps = school_gaps(tracked)
    context = {
        "tracked": tracked,
        "school": tracked.school,
        "campaign": tracked.campaign,
        "phases": [(status, names[status.number], ends.get(status.number)) for status in statuses],
        "gaps": [(gap, gap_label(gap)) for gap in gaps],
        # The what-if of closing every gap still open at the school.
        "unresolved_ids": [gap.pk for gap in gaps if gap.status in Gap.UNRESOLVED],
        "timeline": timeline(tracked, user, gaps),
        "can_sign_off": user.has_perm("phases.change_inspectionvisit"),
        "can_remove_entry": user.has_perm("phases.delete_ledgerentry"),
    }
    if user.has_perm("phases.view_inspectionvisit"):
        context["visits"] = tracked.visits.select_related("signed_off_by", "recorded_by")
        context["sign_off_form"] = SignOffForm()
    if user.has_perm("phases.add_inspectionvisit"):
        context["visit_form"] = visit_form or VisitForm()
    if user.has_perm("phases.view_ledgerentry"):
        context["ledger"] = _ledger(tracked)
    if user.has_perm("phases.add_ledgerentry") and tracked.campaign.ledger_items.exists():
        context["ledger_form"] = ledger_form or LedgerForm(campaign=tracked.campaign)
    return render(request, "phases/school.html", context, status=status)


@require_safe
def school(request, code):
    return _page(request, tracked_for(request.user, code))


def _refused(request, error):
    messages.error(request, "；".join(error.messages))


@require_POST
def visit_record_view(request, code):
    tracked = tracked_for(request.user, code, "phases.add_inspectionvisit")
    form = VisitForm(request.POST)
    if not form.is_valid():
        return _page(request, tracked, visit_form=form)
    try:
        visit_record(tracked=tracked, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, tracked, visit_form=form)
    messages.success(request, _("已登记实地核查。"))
    return redirect("phases:school", tracked.school.code)


@require_POST
def visit_sign_off_view(request, pk):
    visit = get_object_or_404(InspectionVisit.objects.select_related("tracked__school"), pk=pk)
    tracked = tracked_for(request.user, visit.tracked.school.code, "phases.change_inspectionvisit")
    if visit.tracked_id != tracked.pk:
        raise Http404  # a visit of an earlier campaign
    form = SignOffForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        visit_sign_off(visit=visit, user=request.user, signed_off_on=form.cleaned_data["signed_off_on"])
    except ValidationError as error:
        _refused(request, error)
        return _page(request, tracked)
    messages.success(request, _("已确认核查结果。"))
    return redirect("phases:school", tracked.school.code)


@require_POST
def ledger_record_view(request, code):
    tracked = tracked_for(request.user, code, "phases.add_ledgerentry")
    form = LedgerForm(request.POST, campaign=tracked.campaign)
    if not form.is_valid():
        return _page(request, tracked, ledger_form=form)
    try:
        ledger_entry_record(tracked=tracked, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, tracked, ledger_form=form)
    messages.success(request, _("已登记申报台账。"))
    return redirect("phases:school", tracked.school.code)


@require_POST
def ledger_remove_view(request, pk):
    entry = get_object_or_404(LedgerEntry.objects.select_related("tracked__school", "item"), pk=pk)
    tracked = tracked_for(request.user, entry.tracked.school.code, "phases.delete_ledgerentry")
    if entry.tracked_id != tracked.pk:
        raise Http404
    ledger_entry_remove(entry=entry, user=request.user)
    messages.success(request, _("已撤销台账“%(item)s”的登记。") % {"item": entry.item.name})
    return redirect("phases:school", tracked.school.code)
