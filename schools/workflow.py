"""The annual report's life: a clerk saves drafts and submits; a reviewer returns, approves or
reopens. Every step is a `ReportEvent` with who, when, what changed and why.

Writes are guarded by the report's `revision` (optimistic locking): a save made from an old
copy of the report is refused instead of silently overwriting someone else's changes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from schools import rules
from schools.checks import blocking, check_report
from schools.models import AnnualReport, ReportEvent, ReportRule, WarningExplanation

Status = AnnualReport.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)


class Conflict(Exception):
    """The report changed since the user loaded it."""


def previous_values(report):
    """Last year's approved figures of the same school, or None."""
    earlier = (
        AnnualReport.objects.approved()
        .filter(school_id=report.school_id, year=report.year - 1)
        .values(*rules.REPORT_KEYS)
        .first()
    )
    return earlier


def findings_for(report, values=None):
    """The active warning rules' findings on `values` (default: the report's own); errors are
    refused on save (`_check_errors`), so a stored report has none."""
    active = ReportRule.objects.filter(is_active=True, severity=ReportRule.Severity.WARNING)
    return check_report(values or report.values(), previous_values(report), report.school.school_type, active)


def _diff(report, values):
    changes = {}
    for key, new in values.items():
        old = getattr(report, key)
        if old != new:
            changes[key] = [None if old is None else str(old), None if new is None else str(new)]
    return changes


def error_rules():
    """The active error rules, as a list (the import applies them to every row)."""
    return list(ReportRule.objects.filter(is_active=True, severity=ReportRule.Severity.ERROR))


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
    updated = AnnualReport.objects.filter(pk=report.pk, revision=version).update(
        status=to_status, revision=F("revision") + 1, **(values or {})
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


def _keep_explanations(report, user, explanations, warnings):
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
    """Approve a submitted report: its figures become the ones compliance is computed from
    (the caller recomputes compliance in the same transaction)."""
    if report.status != Status.SUBMITTED:
        raise PermissionDenied(_("只有已提交的年报可以审核通过。"))
    return _move(
        report, version=version, to_status=Status.APPROVED, user=user, action=ReportEvent.Action.APPROVED
    )


@transaction.atomic
def report_reopen(*, report, user, version, reason):
    """Reopen an approved report so that it can be corrected, with a reason; it goes back to
    the clerk as returned."""
    _need_reason(reason)
    if report.status != Status.APPROVED:
        raise PermissionDenied(_("只有已审核的年报可以重新打开。"))
    return _move(
        report,
        version=version,
        to_status=Status.RETURNED,
        user=user,
        action=ReportEvent.Action.REOPENED,
        reason=reason.strip(),
    )
