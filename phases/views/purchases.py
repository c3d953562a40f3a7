"""The purchase list (PLAN-T4, PLAN-S2): what the equipment gaps of the current campaign's tracked
schools take to close, at what cost, with totals per school, town and city; its .xlsx for
procurement; and recording a delivery, which attaches its invoice or acceptance certificate as
evidence to the gaps it serves (never closing them).

The list is the city's, cut to the user's scope: a scoped role sees its own schools' rows only.
A filter that does not validate shows its error on the page and answers 400 for the download
rather than widening the list.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from phases import exports_city
from phases.forms_city import DeliveryForm, PurchaseFilterSet, delivery_lines, form_error
from phases.selectors import current_campaign
from phases.selectors_city import purchase_gaps, purchase_groups, purchase_rows
from phases.services_city import delivery_record as record
from phases.views.city import require
from schools.access import visible_schools
from schools.spreadsheets import xlsx_response

# What the list shows: gaps and their unit costs.
VIEW_PERMISSIONS = ("phases.view_gap", "phases.view_unitcost")


def _rows(request, campaign):
    """(filterset, rows): the purchase rows the user sees under the address's filters; rows is
    None when a filter does not validate."""
    gaps = purchase_gaps(campaign, visible_schools(request.user))
    filterset = PurchaseFilterSet(request.GET, gaps, campaign=campaign)
    if not filterset.is_valid():
        return filterset, None
    return filterset, purchase_rows(campaign, filterset.qs)


def _page(request, campaign, *, delivery_form=None, typed=None, status=200):
    context = {"campaign": campaign}
    if campaign is not None:
        filterset, rows = _rows(request, campaign)
        towns, city = purchase_groups(rows or [])
        for row in rows or []:
            row.typed = (typed or {}).get(row.key, "")
        if delivery_form is None and request.user.has_perm("phases.add_delivery"):
            delivery_form = DeliveryForm()
        context.update(form=filterset.form, rows=rows, towns=towns, city=city, delivery_form=delivery_form)
    return render(request, "phases/purchases.html", context, status=status)


@require_safe
def purchases(request):
    require(request.user, *VIEW_PERMISSIONS)
    return _page(request, current_campaign())


@require_safe
def purchases_export(request):
    require(request.user, *VIEW_PERMISSIONS)
    campaign = current_campaign()
    rows = []
    if campaign is not None:
        filterset, rows = _rows(request, campaign)
        if rows is None:
            return HttpResponseBadRequest(
                filterset.errors.as_text(), content_type="text/plain; charset=utf-8"
            )
    towns, city = purchase_groups(rows)
    return xlsx_response(exports_city.purchases_workbook(rows, towns, city), "purchases.xlsx")


@require_POST
def delivery_record(request):
    """Record a delivery against the rows of the purchase list as filtered in the address."""
    require(request.user, *VIEW_PERMISSIONS, "phases.add_delivery")
    campaign = current_campaign()
    if campaign is None:
        return redirect("phases:purchases")
    form = DeliveryForm(request.POST, request.FILES)
    if form.is_valid():
        _filterset, rows = _rows(request, campaign)
        try:
            lines = delivery_lines(request.POST, rows or [])
            data = form.cleaned_data
            record(
                campaign=campaign,
                user=request.user,
                delivered_on=data["delivered_on"],
                supplier=data["supplier"],
                note=data["note"],
                kind=data["kind"],
                upload=data["file"],
                lines=lines,
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("已登记到货，凭证已作为整改佐证材料附到所供应的未达标项（待审核）。"))
            query = request.GET.urlencode()
            return redirect(reverse("phases:purchases") + (f"?{query}" if query else ""))
    return _page(request, campaign, delivery_form=form, typed=request.POST)
