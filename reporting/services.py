"""The report pages' own writes: starting a year's draft and the reviewer's field queries.

Every change of a report's figures or status goes through `schools.workflow` (and
`standards.services` for approval and reopening); these only add rows beside a report.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from schools import rules
from schools.models import AnnualReport, FieldQuery, QueryMessage, ReportEvent


@transaction.atomic
def report_start(*, school, year, user):
    """The school's report for `year`, created as an empty draft if there is none yet.

    Starting is recorded in the history as a save from no status to draft. Raises
    PermissionDenied for a closed school.
    """
    if not school.is_active:
        raise PermissionDenied(_("已撤并的学校不能开始新的年报。"))
    report, created = AnnualReport.objects.get_or_create(
        school=school, year=year, defaults={"status": AnnualReport.Status.DRAFT}
    )
    if created:
        ReportEvent.objects.create(
            report=report, action=ReportEvent.Action.SAVED, user=user, to_status=AnnualReport.Status.DRAFT
        )
    return report


def _need_text(text):
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写内容。")})
    return text.strip()


@transaction.atomic
def query_raise(*, report, field, user, text):
    """A reviewer's question about one field of `report`: the query and its first message."""
    text = _need_text(text)
    if field not in rules.REPORT_KEYS:
        raise ValidationError({"field": _("请选择年报中的字段。")})
    query = FieldQuery.objects.create(report=report, field=field, raised_by=user)
    QueryMessage.objects.create(query=query, author=user, text=text)
    return query


@transaction.atomic
def query_reply(*, query, user, text, answered):
    """Add a message to an unclosed query: the school's answer (`answered`: the query waits for
    the reviewer) or the reviewer's follow-up question (it waits for the school again)."""
    text = _need_text(text)
    if query.status == FieldQuery.Status.CLOSED:
        raise ValidationError({"text": _("该质询已关闭。")})
    QueryMessage.objects.create(query=query, author=user, text=text)
    query.status = FieldQuery.Status.ANSWERED if answered else FieldQuery.Status.OPEN
    query.save(update_fields=["status"])
    return query


@transaction.atomic
def query_close(*, query):
    """Close a query: the reviewer is satisfied with the answer (or withdraws the question)."""
    query.status = FieldQuery.Status.CLOSED
    query.save(update_fields=["status"])
    return query
