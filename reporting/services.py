"""The report pages' own writes: starting a year's draft, a school's upload of its filled-in
template, and the reviewer's field queries.

Every change of a report's figures or status goes through `schools.workflow` (and
`standards.services` for approval and reopening); the others only add rows beside a report.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from schools import rules
from schools.importing.clerk import UploadRefused, report_values_from_file
from schools.importing.uploads import saved_upload
from schools.models import AnnualReport, FieldQuery, QueryMessage, ReportEvent
from schools.workflow import EDITABLE, Conflict, report_save


@transaction.atomic
def report_start(*, school, year, user):
    """The school's report for `year`, created as an empty draft if there is none yet.

    Starting is recorded in the history as its creation, from no status to draft. Raises
    PermissionDenied for a closed school.
    """
    if not school.is_active:
        raise PermissionDenied(_("已撤并的学校不能开始新的年报。"))
    report, created = AnnualReport.objects.get_or_create(
        school=school, year=year, defaults={"status": AnnualReport.Status.DRAFT}
    )
    if created:
        ReportEvent.objects.create(
            report=report, action=ReportEvent.Action.CREATED, user=user, to_status=AnnualReport.Status.DRAFT
        )
    return report


def report_upload(*, report, upload, user, version):
    """Save the figures of an uploaded file (the report template, filled in for the school) into
    `report` through `report_save`: all of them or, when anything is wrong, none.

    `upload` has passed `validate_upload` (type and size). Returns the keys whose values changed;
    when none did, nothing is saved. Raises PermissionDenied unless the report is a draft or
    returned, Conflict when it changed since `version` (before the file is read), and
    ValidationError with one message per problem ("第3行，图书册数列：…") when the file is refused
    or an error rule fails.
    """
    if report.status not in EDITABLE:
        raise PermissionDenied(_("只有草稿或已退回的年报可以修改。"))
    if version != report.revision:
        raise Conflict(_("该年报已被他人修改，请重新加载后再操作。"))
    try:
        with saved_upload(upload) as path:
            values = report_values_from_file(path=path, report=report)
    except UploadRefused as refused:
        raise ValidationError([problem.describe() for problem in refused.problems]) from None
    changed = {key: value for key, value in values.items() if getattr(report, key) != value}
    if not changed:
        return []
    try:
        report_save(report=report, values=changed, user=user, version=version)
    except ValidationError as error:
        raise ValidationError(
            [
                _("%(field)s：%(message)s") % {"field": _field_title(field), "message": message}
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        ) from None
    return list(changed)


def _field_title(key):
    return AnnualReport._meta.get_field(key).verbose_name if key in rules.REPORT_KEYS else key


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
