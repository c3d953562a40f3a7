"""What the report pages show: the report's sections, warnings, preview, queries and history,
the queue's rows and what waits for a user on the home page, gathered for the templates (reads only)."""

from phases.selectors import current_campaign
from reporting import selectors
from reporting.forms import (
    ApproveForm,
    ReasonForm,
    ReportForm,
    UploadForm,
    field_label,
    readable,
    visible_keys,
)
from reporting.models import TEXT_LIMIT, FieldQuery
from reporting.permissions import EDIT, REVIEW, allows, is_reviewer
from reporting.sections import changes_of, notes_by_field, sections
from reporting.selectors import findings_for, previous_values
from reporting.services import EDITABLE
from schools import fields
from schools.access import visible_reports
from schools.models import AnnualReport

STATUS_LABELS = dict(AnnualReport.Status.choices)


def _history(report):
    return [
        {
            "event": event,
            "from": STATUS_LABELS.get(event.from_status, ""),
            "to": STATUS_LABELS.get(event.to_status, ""),
            "changes": changes_of(event),
        }
        for event in selectors.report_history(report)
    ]


def _common(request, report, conflict):
    years = selectors.school_years(report.school)
    known = {year for year, _status in years}
    next_year = report.year + 1
    return {
        "school": report.school,
        "report": report,
        "conflict": conflict,
        "can_edit": allows(request.user, EDIT),
        "can_review": allows(request.user, REVIEW),
        "years": [(year, STATUS_LABELS[status]) for year, status in years],
        # Only a year the bureau has opened: any other would lead to a page that cannot start it.
        "next_year": next_year if next_year not in known and selectors.is_open_year(next_year) else None,
        "queries": selectors.report_queries(report),
        "history": _history(report),
        "text_limit": TEXT_LIMIT,
    }


def _preview(report, values):
    """The compliance preview of `values`, or None; nothing at all of a draft with no figure yet
    (an empty draft would "pass" with nothing evaluated)."""
    if not any(values.get(key) for key in fields.NUMERIC_KEYS):
        return {"preview": None, "nothing_to_preview": True}
    return {"preview": selectors.preview_for(report, values, current_campaign()), "nothing_to_preview": False}


def entry_context(request, report, *, form=None, conflict=False, upload_errors=()):
    """The data entry page. Without `form` the report's stored figures are shown; with a posted
    `form` (errors, preview, conflict) what was typed is kept, and after a conflict the figures
    someone else stored meanwhile are shown beside the fields where they differ. `upload_errors`
    are why an uploaded file was refused."""
    context = _common(request, report, conflict)
    editable = report.pk is not None and report.status in EDITABLE and context["can_edit"]
    context["editable"] = editable
    if editable:
        # Always at the stored revision: a refused upload is retried against the report as it is now.
        context["upload_form"] = UploadForm(initial={"version": report.revision})
        context["upload_errors"] = [readable(message) for message in upload_errors]
    if report.status == AnnualReport.Status.RETURNED and context["history"]:
        context["returned_because"] = context["history"][-1]["event"].reason
    if report.pk is None:
        # Last year's approved figures, if any, can be the new draft's starting point.
        context["can_copy_last_year"] = previous_values(report) is not None
        context["year_open"] = selectors.is_open_year(report.year)
        return context
    stored = report.values()
    typed = None
    if form is None:
        form = ReportForm(
            initial={**stored, "version": report.revision},
            school_type=report.school.school_type,
            editable=editable,
        )
        values = stored
    else:
        typed = form.data
        form.is_valid()
        values = {**stored, **form.typed}
    previous = previous_values(report)
    notes = notes_by_field(
        findings_for(report, values),
        selectors.stored_explanations(report),
        typed if editable else None,
        change_rules=selectors.change_rules(),
    )
    context.update(
        form=form,
        error_summary=form.error_summary() if form.is_bound else [],
        has_previous=previous is not None,
        sections=sections(
            form.keys,
            values=values,
            previous=previous,
            form=form,
            notes=notes,
            theirs=stored if conflict else None,
        ),
        **_preview(report, values),
    )
    return context


def review_context(request, report, *, conflict=False, reason_form=None, approve_form=None, query_error=None):
    """The review page: every field against last year's approved value, the warnings with the
    clerk's explanations, the preview, the queries and the history. `query_error` is why a query
    just raised on a field was refused (shown on that field's row)."""
    context = _common(request, report, conflict)
    previous = previous_values(report)
    notes = notes_by_field(
        findings_for(report),
        selectors.stored_explanations(report),
        orphans=True,
        change_rules=selectors.change_rules(),
    )
    keys = visible_keys(report.school.school_type)
    values = report.values()
    posted_field = request.POST.get("field") if query_error else None
    context.update(
        has_previous=previous is not None,
        sections=sections(keys, values=values, previous=previous, notes=notes),
        reason_form=reason_form or ReasonForm(),
        approve_form=approve_form or ApproveForm(),
        # The row to show a refused query on (none when the field posted is not on the page).
        query_field=posted_field if posted_field in keys else None,
        query_text=request.POST.get("text", "") if query_error else "",
        query_errors=[readable(message) for message in query_error.messages] if query_error else [],
        unclosed=sum(query.status != FieldQuery.Status.CLOSED for query in context["queries"]),
        **_preview(report, values),
    )
    return context


def home_summary(user, campaign):
    """The home page's part of the report process: the year the report template is for (the
    year being reported), and what waits for `user`: for a clerk, the reports sent back and the
    queries to answer; for a reviewer, the reports to review and the answered queries."""
    summary = {"year": selectors.collecting_year(campaign)}
    if not allows(user, EDIT):
        return summary
    reports = visible_reports(user)
    queries = FieldQuery.objects.filter(report__in=reports)
    if is_reviewer(user):
        summary.update(
            to_review=reports.filter(status=AnnualReport.Status.SUBMITTED).count(),
            answered=queries.filter(status=FieldQuery.Status.ANSWERED).count(),
        )
        return summary
    returned = reports.filter(status=AnnualReport.Status.RETURNED).select_related("school").order_by("year")
    open_queries = list(
        queries.filter(status=FieldQuery.Status.OPEN)
        .select_related("report__school")
        .order_by("raised_at", "pk")
    )
    for query in open_queries:
        query.label = field_label(query.field)
    summary.update(returned=list(returned), open_queries=open_queries)
    return summary
