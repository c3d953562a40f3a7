"""The annual report's writes: starting a year's draft, saving (by form or by the school's filled-in
template), submitting, returning, approving and reopening, and the reviewer's field queries.

A clerk saves drafts and submits; a reviewer returns, approves or reopens; a report is started only
for a year the bureau has opened (`ReportingYear`), and, unless the bureau switches it off
(`REPORT_SEPARATE_APPROVER`), approved by someone other than who last changed its figures. Every
step is a
`ReportEvent` with who, when, what changed and why. Writes are guarded by the report's `revision`
(optimistic locking): a save made from an old copy of the report is refused instead of silently
overwriting someone else's changes. Approval and reopening recompute the school's compliance in
the same transaction.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from phases.services import gaps_reconcile
from reporting.importing.upload import UploadRefused, report_values_from_file
from reporting.models import (
    REASON_LIMIT,
    TEXT_LIMIT,
    FieldQuery,
    QueryMessage,
    ReportEvent,
    WarningExplanation,
)
from reporting.rules import blocking
from reporting.selectors import error_rules, findings_for, is_open_year, last_figures_author, previous_values
from schools import fields
from schools.importing.uploads import saved_upload
from schools.models import AnnualReport
from standards.services import compliance_recompute

Status = AnnualReport.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)


class Conflict(Exception):
    """The report changed since the user loaded it."""


def _diff(report, values):
    changes = {}
    for key, new in values.items():
        old = getattr(report, key)
        if old != new:
            changes[key] = [None if old is None else str(old), None if new is None else str(new)]
    return changes


def _check_errors(report, values):
    """Raise ValidationError (field → messages) for error rules and contradictions."""
    errors = blocking(values, report.school.school_type, error_rules(), previous_values(report))
    if errors:
        by_field = {}
        for field, message in errors:
            by_field.setdefault(field, []).append(message)
        raise ValidationError(by_field)


def _move(report, *, version, to_status, user, action, reason="", changes=None, values=None):
    """Write the new status (and values) only if nobody changed the report meanwhile."""
    # update() skips auto_now: the time of the change is set here, as a save() would.
    updated = AnnualReport.objects.filter(pk=report.pk, revision=version).update(
        status=to_status, revision=F("revision") + 1, updated_at=Now(), **(values or {})
    )
    if not updated:
        raise Conflict(_("该年报已被他人修改，请重新加载后再操作。"))
    ReportEvent.objects.create(
        report=report,
        action=action,
        user=user,
        from_status=report.status,
        to_status=to_status,
        reason=reason,
        changes=changes or {},
    )
    report.refresh_from_db()
    return report


@transaction.atomic
def report_save(*, report, values, user, version):
    """Save a draft (or a returned report) with `values` (report key → value).

    Raises ValidationError naming the fields when an error rule or a contradiction fails,
    PermissionDenied when the report is not editable, Conflict when it changed since `version`.
    """
    if report.status not in EDITABLE:
        raise PermissionDenied(_("只有草稿或已退回的年报可以修改。"))
    _check_errors(report, {**report.values(), **values})
    changes = _diff(report, values)
    return _move(
        report,
        version=version,
        to_status=report.status,
        user=user,
        action=ReportEvent.Action.SAVED,
        changes=changes,
        values=values,
    )


def _too_long(text, limit):
    """The refusal of a text over `limit` characters, naming the limit, or None."""
    if len(text) <= limit:
        return None
    return _("不能超过%(limit)d个字（现有%(count)d个字）。") % {"limit": limit, "count": len(text)}


def _keep_explanations(report, user, explanations, warnings):
    too_long = {}
    for finding in warnings:
        text = (explanations.get((finding.rule, finding.field)) or "").strip()
        refusal = _too_long(text, TEXT_LIMIT)
        if refusal:
            too_long[finding.field] = _("说明%(refusal)s") % {"refusal": refusal}
    if too_long:
        raise ValidationError(too_long)
    for finding in warnings:
        text = (explanations.get((finding.rule, finding.field)) or "").strip()
        if text:
            WarningExplanation.objects.update_or_create(
                report=report,
                rule_code=finding.rule,
                field=finding.field,
                defaults={"text": text, "author": user},
            )


@transaction.atomic
def explanations_save(*, report, user, explanations):
    """Keep the explanations written so far for the report's current warnings (a draft's
    explanations are not lost when it is saved without submitting); blank ones are skipped."""
    if report.status not in EDITABLE:
        raise PermissionDenied(_("只有草稿或已退回的年报可以修改。"))
    _keep_explanations(report, user, explanations, findings_for(report))


@transaction.atomic
def report_submit(*, report, user, version, explanations):
    """Submit for review. Every warning must be explained: `explanations` maps
    (rule code, field) → text. Raises ValidationError listing what is missing."""
    if report.status not in EDITABLE:
        raise PermissionDenied(_("只有草稿或已退回的年报可以提交。"))
    _check_errors(report, report.values())
    warnings = findings_for(report)
    missing = [f for f in warnings if not (explanations.get((f.rule, f.field)) or "").strip()]
    if missing:
        raise ValidationError({f.field: _("请说明：%(message)s") % {"message": f.message} for f in missing})
    _keep_explanations(report, user, explanations, warnings)
    return _move(
        report, version=version, to_status=Status.SUBMITTED, user=user, action=ReportEvent.Action.SUBMITTED
    )


def _need_reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写原因。")})
    refusal = _too_long(reason.strip(), REASON_LIMIT)
    if refusal:
        raise ValidationError({"reason": _("原因%(refusal)s") % {"refusal": refusal}})


@transaction.atomic
def report_return(*, report, user, version, reason):
    """Send a submitted report back to the clerk, with a reason."""
    _need_reason(reason)
    if report.status != Status.SUBMITTED:
        raise PermissionDenied(_("只有已提交的年报可以退回。"))
    return _move(
        report,
        version=version,
        to_status=Status.RETURNED,
        user=user,
        action=ReportEvent.Action.RETURNED,
        reason=reason.strip(),
    )


@transaction.atomic
def report_approve(*, report, user, version):
    """Approve a submitted report and evaluate it in the same transaction: compliance is computed
    from approved figures only, and as soon as they are approved."""
    if report.status != Status.SUBMITTED:
        raise PermissionDenied(_("只有已提交的年报可以审核通过。"))
    if settings.REPORT_SEPARATE_APPROVER and last_figures_author(report) == user.pk:
        # A refusal to show on the review page, not a lack of permission: another reviewer can.
        raise ValidationError(
            {NON_FIELD_ERRORS: _("该年报的数据最后由您修改，不能由您本人审核通过：请由另一位审核人员审核。")}
        )
    _move(report, version=version, to_status=Status.APPROVED, user=user, action=ReportEvent.Action.APPROVED)
    compliance_recompute(reports=[report.pk])
    gaps_reconcile(report=report)
    return report


@transaction.atomic
def report_reopen(*, report, user, version, reason):
    """Reopen an approved report so that it can be corrected, with a reason; it goes back to
    the clerk as returned, and its stored results go until it is approved again."""
    _need_reason(reason)
    if report.status != Status.APPROVED:
        raise PermissionDenied(_("只有已审核的年报可以重新打开。"))
    _move(
        report,
        version=version,
        to_status=Status.RETURNED,
        user=user,
        action=ReportEvent.Action.REOPENED,
        reason=reason.strip(),
    )
    compliance_recompute(reports=[report.pk])
    # The gaps its approval closed open again until it is approved again.
    gaps_reconcile(report=report)
    return report


@transaction.atomic
def report_start(*, school, year, user, values=None):
    """The school's report for `year`, created as a draft if there is none yet: empty, or with
    `values` (last year's approved figures, say) saved into it as its first save, so that the
    history shows where they came from.

    Starting is recorded in the history as its creation, from no status to draft. Raises
    PermissionDenied for a closed school, ValidationError for a year the bureau has not opened
    (an existing report of that year is returned as it is) or for `values` that break an error
    rule (nothing is then created).
    """
    if not school.is_active:
        raise PermissionDenied(_("已撤并的学校不能开始新的年报。"))
    existing = AnnualReport.objects.filter(school=school, year=year).first()
    if existing is not None:
        return existing
    if not is_open_year(year):
        raise ValidationError(
            _("%(year)d年度尚未开放填报，不能开始该年度的年报：请等待教育局开放该年度。") % {"year": year}
        )
    report, created = AnnualReport.objects.get_or_create(
        school=school, year=year, defaults={"status": AnnualReport.Status.DRAFT}
    )
    if created:
        ReportEvent.objects.create(
            report=report, action=ReportEvent.Action.CREATED, user=user, to_status=AnnualReport.Status.DRAFT
        )
        if values:
            report_save(report=report, values=values, user=user, version=report.revision)
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
    return AnnualReport._meta.get_field(key).verbose_name if key in fields.REPORT_KEYS else key


def _need_text(text):
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写内容。")})
    refusal = _too_long(text.strip(), TEXT_LIMIT)
    if refusal:
        raise ValidationError({"text": _("内容%(refusal)s") % {"refusal": refusal}})
    return text.strip()


@transaction.atomic
def query_raise(*, report, field, user, text):
    """A reviewer's question about one field of `report`: the query and its first message."""
    text = _need_text(text)
    if field not in fields.REPORT_KEYS:
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
