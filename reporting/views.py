"""The report pages: a school's data entry, the reviewers' queue and review page, completeness.

Access goes through `reporting.permissions`; every write through a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from phases.selectors import current_campaign
from reporting import selectors
from reporting.contexts import entry_context, review_context
from reporting.forms import (
    QueueFilter,
    ReasonForm,
    ReportForm,
    TemplateForm,
    UploadForm,
    YearForm,
    explanations_from,
    posted_int,
    posted_version,
)
from reporting.importing import template
from reporting.permissions import EDIT, REVIEW, VIEW, allows, is_reviewer, report_for_user, require
from reporting.rules import field_bounds
from reporting.selectors import error_rules
from reporting.services import (
    Conflict,
    explanations_save,
    query_close,
    query_raise,
    query_reply,
    report_approve,
    report_reopen,
    report_return,
    report_save,
    report_start,
    report_submit,
    report_upload,
)
from reporting.tables import QueueTable
from schools.access import is_bureau_wide, visible_reports, visible_schools
from schools.models import AnnualReport
from schools.spreadsheets import xlsx_response


def mine(request):
    """The navigation's entry: a clerk of one school goes to its report, anyone else to the queue."""
    require(request.user, VIEW)
    if allows(request.user, EDIT) and not is_reviewer(request.user):
        schools = list(visible_schools(request.user).active().order_by("code")[:2])
        if len(schools) == 1:
            year = selectors.collecting_year(current_campaign())
            return redirect("reporting:entry", schools[0].code, year)
    return redirect("reporting:queue")


def _entry_page(request, report, *, form=None, conflict=False, upload_errors=(), status=None):
    context = entry_context(request, report, form=form, conflict=conflict, upload_errors=upload_errors)
    return render(request, "reporting/entry.html", context, status=status or (409 if conflict else 200))


def _review_page(request, report, *, conflict=False, **forms):
    context = review_context(request, report, conflict=conflict, **forms)
    return render(request, "reporting/review.html", context, status=409 if conflict else 200)


def _answer(request, report):
    require(request.user, EDIT)
    query = get_object_or_404(report.queries, pk=posted_int(request.POST, "query"))
    try:
        query_reply(
            query=query, user=request.user, text=request.POST.get("text"), answered=not is_reviewer(request.user)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已回复质询。"))
    return redirect(request.path)


def entry(request, code, year):
    report = report_for_user(request.user, code, year, missing_ok=True)
    if request.method != "POST":
        return _entry_page(request, report)
    require(request.user, EDIT)
    action = request.POST.get("action")
    if action == "start":
        try:
            report_start(school=report.school, year=year, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已开始填报，请填写各项数据。"))
        return redirect(request.path)
    if report.pk is None:
        return redirect(request.path)
    if action == "answer":
        return _answer(request, report)
    if action == "upload":
        return _upload(request, report)
    if action not in ("save", "submit", "preview"):
        return HttpResponseBadRequest()
    form = ReportForm(request.POST, school_type=report.school.school_type)
    if posted_version(request.POST) != report.revision:
        return _entry_page(request, report, form=form, conflict=True)
    if not form.is_valid() or action == "preview":
        return _entry_page(request, report, form=form)
    try:
        with transaction.atomic():
            done = _write(request, report, form, action)
    except Conflict:
        report.refresh_from_db()
        return _entry_page(request, report, form=form, conflict=True)
    except ValidationError as error:
        report.refresh_from_db()  # the transaction was rolled back: nothing of this request is kept
        form.add_service_errors(error)
        return _entry_page(request, report, form=form)
    messages.success(request, done)
    return redirect(request.path)


def _write(request, report, form, action):
    """Save what changed, then submit if asked; returns the message to show."""
    changed = {key: value for key, value in form.values().items() if getattr(report, key) != value}
    if changed:
        report_save(report=report, values=changed, user=request.user, version=form.cleaned_data["version"])
    explanations = explanations_from(request.POST)
    if action == "submit":
        report_submit(report=report, user=request.user, version=report.revision, explanations=explanations)
        return _("已提交审核。")
    explanations_save(report=report, user=request.user, explanations=explanations)
    return _("草稿已保存。") if changed else _("没有需要保存的修改。")


def _upload(request, report):
    """The school's filled-in template, saved as the draft's figures; on refusal the page lists
    every problem of the file and nothing is saved."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _entry_page(request, report, upload_errors=[m for errors in form.errors.values() for m in errors])
    try:
        changed = report_upload(
            report=report, upload=form.cleaned_data["file"], user=request.user,
            version=form.cleaned_data["version"],
        )
    except Conflict as conflict:
        report.refresh_from_db()
        return _entry_page(request, report, upload_errors=[str(conflict)], status=409)
    except ValidationError as error:
        return _entry_page(request, report, upload_errors=error.messages)
    done = _("已按上传的文件保存草稿。") if changed else _("上传的文件与已保存的数值相同，没有需要保存的修改。")
    messages.success(request, done)
    return redirect(request.path)


def review(request, code, year):
    report = report_for_user(request.user, code, year)
    if request.method != "POST":
        return _review_page(request, report)
    action = request.POST.get("action")
    if action == "answer":
        return _answer(request, report)
    require(request.user, REVIEW)
    if action == "raise":
        return _raise(request, report)
    if action == "close":
        query_close(query=get_object_or_404(report.queries, pk=posted_int(request.POST, "query")))
        messages.success(request, _("质询已关闭。"))
        return redirect(request.path)
    if action in ("return", "approve", "reopen"):
        return _decide(request, report, action)
    return HttpResponseBadRequest()


def _raise(request, report):
    try:
        query_raise(
            report=report, field=request.POST.get("field"), user=request.user, text=request.POST.get("text")
        )
    except ValidationError as error:
        return _review_page(request, report, query_error=error)
    messages.success(request, _("质询已提出，等待学校答复。"))
    return redirect(request.path)


def _decide(request, report, action):
    """Return, approve or reopen, from the revision the reviewer was looking at."""
    version = posted_version(request.POST)
    reason = ReasonForm(request.POST)
    reason.is_valid()
    if version != report.revision:
        return _review_page(request, report, conflict=True, reason_form=reason)
    text = reason.cleaned_data.get("reason", "")
    try:
        if action == "approve":
            report_approve(report=report, user=request.user, version=version)
            done = _("已审核通过，达标情况已重新计算。")
        elif action == "return":
            report_return(report=report, user=request.user, version=version, reason=text)
            done = _("已退回学校修改。")
        else:
            report_reopen(report=report, user=request.user, version=version, reason=text)
            done = _("已重新打开，退回学校修改。")
    except Conflict:
        report.refresh_from_db()
        return _review_page(request, report, conflict=True, reason_form=reason)
    except ValidationError as error:
        reason.add_error("reason", error.message_dict.get("reason", error.messages))
        return _review_page(request, report, reason_form=reason)
    messages.success(request, done)
    return redirect(request.path)


def queue(request):
    require(request.user, VIEW)
    data = request.GET.copy()
    data.setdefault("status", AnnualReport.Status.SUBMITTED)
    form = QueueFilter(data, years=selectors.report_years())
    filters = form.cleaned_data if form.is_valid() else {"status": AnnualReport.Status.SUBMITTED}
    reports = selectors.queue_reports(
        visible_reports(request.user),
        region=filters.get("region"), school_type=filters.get("school_type"), year=filters.get("year"),
    )
    counts = selectors.status_counts(reports)
    counts = [(status, label, counts[status]) for status, label in AnnualReport.Status.choices]
    if filters.get("status"):
        reports = reports.filter(status=filters["status"])
    table = QueueTable(reports)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    context = {"form": form, "table": table, "counts": counts, "status": filters.get("status")}
    return render(request, "reporting/queue.html", context)


def completeness(request):
    require(request.user, VIEW)
    campaign = current_campaign()
    data = request.GET.copy()
    data.setdefault("year", selectors.collecting_year(campaign))
    form = YearForm(data)
    context = {"form": form, "county": campaign.region if campaign else None, "scoped": not is_bureau_wide(request.user)}
    if form.is_valid():
        schools = visible_schools(request.user).active()
        county = context["county"]
        if county is not None:
            schools = schools.in_region(county)
        rows, total, missing = selectors.completeness(schools, year=form.cleaned_data["year"], county=county)
        context.update(year=form.cleaned_data["year"], rows=rows, total=total, missing=missing)
    return render(request, "reporting/completeness.html", context)


@require_safe
@permission_required(("schools.view_school", "schools.view_annualreport"), raise_exception=True)
def template_download(request):
    """The Excel template of the annual report for the user's schools, with input validation
    from the error rules in force."""
    form = TemplateForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain; charset=utf-8")
    year = form.cleaned_data["year"] or timezone.localdate().year
    schools = visible_schools(request.user).active().order_by("code").values_list("code", "name")
    bounds = field_bounds(error_rules())
    figures = selectors.current_figures(visible_reports(request.user).filter(year=year))
    return xlsx_response(template.report_template(schools, year, bounds, figures), template.filename(year))
