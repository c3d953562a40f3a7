"""What the entry and review pages show: the report's sections, warnings, preview, queries and
history, gathered for the template (reads only)."""

from phases.selectors import current_campaign
from reporting import selectors
from reporting.forms import QueryForm, ReasonForm, ReportForm, UploadForm, visible_keys
from reporting.models import FieldQuery
from reporting.permissions import EDIT, REVIEW, allows
from reporting.sections import changes_of, notes_by_field, sections
from reporting.selectors import findings_for, previous_values
from reporting.services import EDITABLE
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
    return {
        "school": report.school,
        "report": report,
        "conflict": conflict,
        "can_edit": allows(request.user, EDIT),
        "can_review": allows(request.user, REVIEW),
        "years": [(year, STATUS_LABELS[status]) for year, status in years],
        "next_year": report.year + 1 if report.year + 1 not in known else None,
        "queries": selectors.report_queries(report),
        "history": _history(report),
    }


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
        context["upload_errors"] = upload_errors
    if report.status == AnnualReport.Status.RETURNED and context["history"]:
        context["returned_because"] = context["history"][-1]["event"].reason
    if report.pk is None:
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
        findings_for(report, values), selectors.stored_explanations(report), typed if editable else None,
        change_rules=selectors.change_rules(),
    )
    context.update(
        form=form,
        has_previous=previous is not None,
        sections=sections(
            form.keys, values=values, previous=previous, form=form, notes=notes,
            theirs=stored if conflict else None,
        ),
        preview=selectors.preview_for(report, values, current_campaign()),
    )
    return context


def review_context(request, report, *, conflict=False, reason_form=None, query_error=None):
    """The review page: every field against last year's approved value, the warnings with the
    clerk's explanations, the preview, the queries and the history."""
    context = _common(request, report, conflict)
    previous = previous_values(report)
    notes = notes_by_field(
        findings_for(report), selectors.stored_explanations(report), orphans=True,
        change_rules=selectors.change_rules(),
    )
    school_type = report.school.school_type
    query_form = QueryForm(request.POST if query_error else None, school_type=school_type)
    context.update(
        has_previous=previous is not None,
        sections=sections(visible_keys(school_type), values=report.values(), previous=previous, notes=notes),
        preview=selectors.preview_for(report, report.values(), current_campaign()),
        reason_form=reason_form or ReasonForm(),
        query_form=query_form,
        query_errors=query_error.messages if query_error else [],
        unclosed=sum(query.status != FieldQuery.Status.CLOSED for query in context["queries"]),
    )
    return context
