"""The report pages: a school's data entry, the reviewers' queue and review page, completeness.

One URL per action: the pages answer GET, each write is its own POST. Access goes through
`reporting.permissions` (404 outside the user's scope, then 403 for a role that may not); every
write goes through a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from phases.selectors import current_campaign
from reporting import selectors
from reporting.contexts import entry_context, review_context
from reporting.filters import QueueFilterSet
from reporting.forms import (
    ApproveForm,
    ReasonForm,
    ReportForm,
    TemplateForm,
    UploadForm,
    YearForm,
    explanations_from,
    posted_version,
)
from reporting.importing import template
from reporting.permissions import EDIT, REVIEW, VIEW, allows, is_reviewer, report_for_user, require
from reporting.rules import field_bounds
from reporting.selectors import error_rules, previous_values
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


@require_safe
def mine(request):
    """The navigation's entry: a clerk of one school goes to its report, anyone else to the queue
    (with the filters the address asked for, as /reports/?status=approved)."""
    require(request.user, VIEW)
    if allows(request.user, EDIT) and not is_reviewer(request.user) and not request.GET:
        schools = list(visible_schools(request.user).active().order_by("code")[:2])
        if len(schools) == 1:
            year = selectors.collecting_year(current_campaign())
            return redirect("reporting:entry", schools[0].code, year)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse("reporting:queue") + query)


def _entry_page(request, report, *, form=None, conflict=False, upload_errors=(), status=None):
    context = entry_context(request, report, form=form, conflict=conflict, upload_errors=upload_errors)
    return render(request, "reporting/entry.html", context, status=status or (409 if conflict else 200))


def _review_page(request, report, *, conflict=False, **forms):
    context = review_context(request, report, conflict=conflict, **forms)
    return render(request, "reporting/review.html", context, status=409 if conflict else 200)


def _to_entry(report):
    return redirect("reporting:entry", report.school.code, report.year)


def _to_review(report):
    return redirect("reporting:review", report.school.code, report.year)


# --- The school's data entry ---------------------------------------------------------------------


@require_safe
def entry(request, code, year):
    return _entry_page(request, report_for_user(request.user, code, year, missing_ok=True))


@require_POST
def start(request, code, year):
    """Start the year's draft: empty, or (`from_last_year`) with last year's approved figures,
    saved into it as the clerk's first save so that the history shows where they came from."""
    report = report_for_user(request.user, code, year, EDIT, missing_ok=True)
    if report.pk is not None:
        return _to_entry(report)
    school = report.school
    previous = previous_values(report) if request.POST.get("from_last_year") == "1" else None
    try:
        report = report_start(school=school, year=year, user=request.user, values=previous)
    except ValidationError as error:
        if previous is None:  # the bureau has not opened the year
            messages.error(request, " ".join(error.messages))
            return _to_entry(report)
        # Last year's figures break a rule in force now: start empty and say why.
        report = report_start(school=school, year=year, user=request.user)
        messages.warning(
            request,
            _("上年核准数据不符合现行校验规则，未能带入，已开始空白填报：%(errors)s")
            % {"errors": "；".join(error.messages)},
        )
        return _to_entry(report)
    if previous is not None:
        messages.success(request, _("已以上年核准数据开始填报，请逐项核对并修改。"))
    else:
        messages.success(request, _("已开始填报，请填写各项数据。"))
    return _to_entry(report)


def _posted(request, code, year):
    """(report, form, the page to answer instead when the form cannot be used as it is)."""
    report = report_for_user(request.user, code, year, EDIT)
    form = ReportForm(request.POST, school_type=report.school.school_type)
    if posted_version(request.POST) != report.revision:
        return report, form, _entry_page(request, report, form=form, conflict=True)
    if not form.is_valid():
        return report, form, _entry_page(request, report, form=form)
    return report, form, None


def _write(request, code, year, *, submit):
    """Save what changed and the explanations typed, then submit if asked; on refusal the page
    again with what was typed, the errors beside their fields and listed at the top."""
    report, form, refused = _posted(request, code, year)
    if refused:
        return refused
    try:
        with transaction.atomic():
            done = _save_and_submit(request, report, form, submit=submit)
    except Conflict:
        report.refresh_from_db()
        return _entry_page(request, report, form=form, conflict=True)
    except ValidationError as error:
        report.refresh_from_db()  # the transaction was rolled back: nothing of this request is kept
        form.add_service_errors(error)
        return _entry_page(request, report, form=form)
    messages.success(request, done)
    return _to_entry(report)


def _save_and_submit(request, report, form, *, submit):
    """The writes of a save or a submission; returns the message to show."""
    changed = {key: value for key, value in form.values().items() if getattr(report, key) != value}
    if changed:
        report_save(report=report, values=changed, user=request.user, version=form.cleaned_data["version"])
    explanations = explanations_from(request.POST)
    if submit:
        report_submit(report=report, user=request.user, version=report.revision, explanations=explanations)
        return _("已提交审核。")
    before = selectors.stored_explanations(report)
    explanations_save(report=report, user=request.user, explanations=explanations)
    if changed:
        return _("草稿已保存。")
    if selectors.stored_explanations(report) != before:
        return _("已保存说明。")
    return _("没有需要保存的修改。")


@require_POST
def save(request, code, year):
    return _write(request, code, year, submit=False)


@require_POST
def submit(request, code, year):
    return _write(request, code, year, submit=True)


@require_POST
def preview(request, code, year):
    """The page with the typed figures checked and previewed; nothing is stored."""
    report, form, refused = _posted(request, code, year)
    return refused or _entry_page(request, report, form=form)


@require_POST
def upload(request, code, year):
    """The school's filled-in template, saved as the draft's figures; on refusal the page lists
    every problem of the file and nothing is saved."""
    report = report_for_user(request.user, code, year, EDIT)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _entry_page(
            request, report, upload_errors=[m for errors in form.errors.values() for m in errors]
        )
    try:
        changed = report_upload(
            report=report,
            upload=form.cleaned_data["file"],
            user=request.user,
            version=form.cleaned_data["version"],
        )
    except Conflict as conflict:
        report.refresh_from_db()
        return _entry_page(request, report, upload_errors=[str(conflict)], status=409)
    except ValidationError as error:
        return _entry_page(request, report, upload_errors=error.messages)
    done = (
        _("已按上传的文件保存草稿。") if changed else _("上传的文件与已保存的数值相同，没有需要保存的修改。")
    )
    messages.success(request, done)
    return _to_entry(report)


# --- The reviewer's decisions ----------------------------------------------------------------------


@require_safe
def review(request, code, year):
    return _review_page(request, report_for_user(request.user, code, year))


def _decide(request, code, year, decide, done, form_class=ReasonForm):
    """Return, approve or reopen (`decide(report, version, form)`), from the revision the reviewer
    was looking at; a stale revision answers 409, a refused form the page with its error."""
    report = report_for_user(request.user, code, year, REVIEW)
    version = posted_version(request.POST)
    form = form_class(request.POST)
    page_form = "approve_form" if form_class is ApproveForm else "reason_form"
    if version != report.revision:
        form.is_valid()
        return _review_page(request, report, conflict=True, **{page_form: form})
    if not form.is_valid():
        return _review_page(request, report, **{page_form: form})
    try:
        decide(report, version, form.cleaned_data)
    except Conflict:
        report.refresh_from_db()
        return _review_page(request, report, conflict=True, **{page_form: form})
    except ValidationError as error:
        form.add_error(
            None if form_class is ApproveForm else "reason", error.message_dict.get("reason", error.messages)
        )
        return _review_page(request, report, **{page_form: form})
    messages.success(request, done)
    return _to_review(report)


@require_POST
def approve(request, code, year):
    def decide(report, version, data):
        report_approve(report=report, user=request.user, version=version)

    return _decide(request, code, year, decide, _("已审核通过，达标情况已重新计算。"), ApproveForm)


@require_POST
def return_report(request, code, year):
    def decide(report, version, data):
        report_return(report=report, user=request.user, version=version, reason=data["reason"])

    return _decide(request, code, year, decide, _("已退回学校修改。"))


@require_POST
def reopen(request, code, year):
    def decide(report, version, data):
        report_reopen(report=report, user=request.user, version=version, reason=data["reason"])

    return _decide(request, code, year, decide, _("已重新打开，退回学校修改。"))


# --- Queries on a field ------------------------------------------------------------------------------


@require_POST
def raise_query(request, code, year):
    report = report_for_user(request.user, code, year, REVIEW)
    try:
        query_raise(
            report=report, field=request.POST.get("field"), user=request.user, text=request.POST.get("text")
        )
    except ValidationError as error:
        return _review_page(request, report, query_error=error)
    messages.success(request, _("质询已提出，等待学校答复。"))
    return _to_review(report)


@require_POST
def reply_query(request, code, year, query):
    """The school's answer, or a reviewer's follow-up question; back to the page it was written on."""
    report = report_for_user(request.user, code, year, EDIT)
    found = get_object_or_404(report.queries, pk=query)
    try:
        query_reply(
            query=found,
            user=request.user,
            text=request.POST.get("text"),
            answered=not is_reviewer(request.user),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已回复质询。"))
    return _to_review(report) if request.POST.get("page") == "review" else _to_entry(report)


@require_POST
def close_query(request, code, year, query):
    report = report_for_user(request.user, code, year, REVIEW)
    query_close(query=get_object_or_404(report.queries, pk=query))
    messages.success(request, _("质询已关闭。"))
    return _to_review(report)


# --- Lists ---------------------------------------------------------------------------------------------


@require_safe
def queue(request):
    require(request.user, VIEW)
    data = request.GET.copy()
    data.setdefault("status", AnnualReport.Status.SUBMITTED)
    filterset = QueueFilterSet(
        data, selectors.queue_reports(visible_reports(request.user)), years=selectors.report_years()
    )
    if not filterset.is_valid():
        # A filter that does not validate shows the submitted reports, never the whole list.
        filterset = QueueFilterSet(
            {"status": AnnualReport.Status.SUBMITTED}, filterset.queryset, years=selectors.report_years()
        )
        filterset.is_valid()
    counts = selectors.status_counts(filterset.without_status())
    counts = [(status, label, counts[status]) for status, label in AnnualReport.Status.choices]
    status = filterset.form.cleaned_data.get("status")
    table = QueueTable(filterset.qs)
    if status == AnnualReport.Status.SUBMITTED:
        table.empty_text = _("没有待审核的年报：学校提交年报后会出现在这里。")
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    context = {"form": filterset.form, "table": table, "counts": counts, "status": status}
    return render(request, "reporting/queue.html", context)


@require_safe
def completeness(request):
    require(request.user, VIEW)
    campaign = current_campaign()
    data = request.GET.copy()
    data.setdefault("year", selectors.collecting_year(campaign))
    form = YearForm(data)
    context = {
        "form": form,
        "county": campaign.region if campaign else None,
        "scoped": not is_bureau_wide(request.user),
    }
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
