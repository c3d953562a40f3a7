"""The tracked schools through the five phases (the matrix), and the severe list (PLAN-T5), with
their .xlsx exports.

Every list starts from the user's visible schools; reading it needs phases.view_trackedschool
(403 otherwise). A filter that does not validate shows the page with its error and an empty list,
and answers 400 to an export: a mistyped town must not widen anything to the whole county.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from phases import progress
from phases.exports_matrix import matrix_workbook, severe_workbook
from phases.filters import MatrixFilterSet
from phases.selectors import current_campaign
from phases.selectors_matrix import (
    candidates,
    matrix_rows,
    phase_filter,
    phase_names,
    town_counts,
    visible_tracked,
)
from phases.services import tracked_school_add
from phases.tables import MatrixTable, SevereTable
from schools.access import visible_schools
from schools.models import School
from schools.spreadsheets import xlsx_response

VIEW = "phases.view_trackedschool"


def _filtered(request, campaign):
    """(filterset, rows before the phase filter, rows after it, phase names)."""
    names = phase_names(campaign)
    filterset = MatrixFilterSet(request.GET, visible_tracked(campaign, request.user), phase_names=names)
    if not filterset.is_valid():
        return filterset, [], [], names
    rows = matrix_rows(filterset.qs)
    return filterset, rows, phase_filter(rows, *filterset.phase_state()), names


@require_safe
@permission_required(VIEW, raise_exception=True)
def matrix(request):
    campaign = current_campaign()
    if campaign is None:
        return render(request, "phases/matrix.html", {"campaign": None})
    filterset, before, rows, names = _filtered(request, campaign)
    table = MatrixTable(rows, phase_names=names)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    totals = progress.counts(row.phases for row in before)
    context = {
        "form": filterset.form,
        "table": table,
        "names": names,
        "phases": [(number, names[number], totals[number]) for number in progress.NUMBERS],
        "towns": town_counts(before),
        "tracked_count": len(before),
        "shown": len(rows),
        "candidates": candidates(campaign, request.user),
        "can_add": request.user.has_perm("phases.add_trackedschool"),
    }
    return render(request, "phases/matrix.html", context)


@require_POST
def tracked_add(request, code):
    """Track a school a later approved report shows failing (a candidate), with the reason."""
    if not request.user.has_perm("phases.add_trackedschool"):
        raise PermissionDenied
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    school = get_object_or_404(
        School.objects.in_region(campaign.region).filter(pk__in=visible_schools(request.user)), code=code
    )
    try:
        tracked_school_add(
            campaign=campaign, school=school, reason=request.POST.get("reason", ""), user=request.user
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(f"{reverse('phases:matrix')}#candidates")
    messages.success(request, _("已将 %(school)s 列为跟踪学校。") % {"school": school})
    return redirect("phases:school", school.code)


@require_safe
@permission_required(VIEW, raise_exception=True)
def matrix_export(request):
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    filterset, _before, rows, names = _filtered(request, campaign)
    if not filterset.is_valid():
        return HttpResponseBadRequest(filterset.errors.as_text(), content_type="text/plain; charset=utf-8")
    return xlsx_response(matrix_workbook(rows, names), "campaign-matrix.xlsx")


def _severe_rows(request, campaign):
    """The schools the rule or the bureau calls severe, the bureau's "not severe" included so that
    the list shows whom it took off."""
    tracked = visible_tracked(campaign, request.user).filter(Q(severe=True) | Q(severity_override=True))
    return matrix_rows(tracked)


@require_safe
@permission_required(VIEW, raise_exception=True)
def severe(request):
    campaign = current_campaign()
    if campaign is None:
        return render(request, "phases/severe.html", {"campaign": None})
    rows = _severe_rows(request, campaign)
    table = SevereTable(rows)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    context = {
        "table": table,
        "severe_count": sum(row.severe for row in rows),
        "by_rule": sum(row.tracked.severe for row in rows),
        "overridden": sum(row.tracked.severity_override is not None for row in rows),
        "rectified": sum(row.severe and row.phase(progress.RECTIFIED).done for row in rows),
        "rectification": phase_names(campaign)[progress.RECTIFIED],
        "rectification_ends": campaign.phases.filter(number=progress.RECTIFIED)
        .values_list("ends_on", flat=True)
        .first(),
    }
    return render(request, "phases/severe.html", context)


@require_safe
@permission_required(VIEW, raise_exception=True)
def severe_export(request):
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    workbook = severe_workbook(_severe_rows(request, campaign), phase_names(campaign))
    return xlsx_response(workbook, "severe-schools.xlsx")
