"""Writes of what the phases need beyond the reports: inspection visits (phase 1, PLAN-T1) and the
application ledger (phase 4, PLAN-T11).

Each service checks the user's permission (PermissionDenied) and scope, then the input
(ValidationError with a message naming the field and value); nothing is written on refusal.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.models import InspectionVisit, LedgerEntry
from phases.selectors import campaign_span
from schools.access import require, visible_schools

INSPECTORS_LIMIT = InspectionVisit._meta.get_field("inspectors").max_length
NOTE_LIMIT = LedgerEntry._meta.get_field("note").max_length


def _in_scope(user, tracked):
    if not visible_schools(user).filter(pk=tracked.school_id).exists():
        raise ValidationError(
            _("学校“%(school)s”不在您的数据范围内，不能为其登记。") % {"school": tracked.school.name}
        )


def _not_future(label, day, today):
    if day > today:
        raise ValidationError(
            _("%(field)s %(day)s 晚于今天（%(today)s），不能预先登记。")
            % {"field": label, "day": day, "today": today}
        )


def _text(label, value, limit=None):
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("请填写%(field)s。") % {"field": label})
    if limit and len(value) > limit:
        raise ValidationError(
            _("%(field)s不能超过%(limit)d个字（现有%(count)d个字）。")
            % {"field": label, "limit": limit, "count": len(value)}
        )
    return value


def visit_day_check(*, campaign, visited_on):
    """ValidationError unless `visited_on` lies within the campaign's phases and not in the future."""
    span = campaign_span(campaign)
    if span[0] is None:
        raise ValidationError(
            _("创建工作“%(campaign)s”尚未设定阶段日期，无法登记核查。") % {"campaign": campaign}
        )
    if not span[0] <= visited_on <= span[1]:
        raise ValidationError(
            _("核查日期 %(day)s 不在创建工作期间（%(first)s 至 %(last)s）内。")
            % {"day": visited_on, "first": span[0], "last": span[1]}
        )
    _not_future(_("核查日期"), visited_on, timezone.localdate())


def _sign(visit, user, signed_off_on):
    if signed_off_on < visit.visited_on:
        raise ValidationError(
            _("确认日期 %(day)s 早于核查日期 %(visited)s。")
            % {"day": signed_off_on, "visited": visit.visited_on}
        )
    _not_future(_("确认日期"), signed_off_on, timezone.localdate())
    visit.signed_off, visit.signed_off_by, visit.signed_off_on = True, user, signed_off_on


@transaction.atomic
def visit_record(*, tracked, user, visited_on, inspectors, findings, sign_off=False):
    """Record an inspection visit at a tracked school; `sign_off` also signs it off, on the day of
    the visit (the inspectors sign their findings on site), which verifies the school (phase 1)."""
    require(user, "phases.add_inspectionvisit")
    if sign_off:
        require(user, "phases.change_inspectionvisit")
    _in_scope(user, tracked)
    visit_day_check(campaign=tracked.campaign, visited_on=visited_on)
    inspectors = _text(_("核查人员"), inspectors, INSPECTORS_LIMIT)
    findings = _text(_("核查情况"), findings)
    visit = InspectionVisit(
        tracked=tracked, visited_on=visited_on, inspectors=inspectors, findings=findings, recorded_by=user
    )
    if sign_off:
        _sign(visit, user, visited_on)
    visit._history_user = user
    visit.save()
    return visit


@transaction.atomic
def visit_sign_off(*, visit, user, signed_off_on=None):
    """Sign off a recorded visit (today unless `signed_off_on` says when it was signed)."""
    require(user, "phases.change_inspectionvisit")
    visit = InspectionVisit.objects.select_for_update().select_related("tracked__school").get(pk=visit.pk)
    _in_scope(user, visit.tracked)
    if visit.signed_off:
        raise ValidationError(
            _("%(date)s 的核查已于 %(signed)s 确认，无需再次确认。")
            % {"date": visit.visited_on, "signed": visit.signed_off_on}
        )
    _sign(visit, user, signed_off_on or timezone.localdate())
    visit._history_user = user
    visit.save()
    return visit


@transaction.atomic
def ledger_entry_record(*, tracked, item, user, completed_on, note=""):
    """Record that a tracked school has a ledger item in place (phase 4); recording an item again
    corrects its date and note."""
    require(user, "phases.add_ledgerentry")
    _in_scope(user, tracked)
    if item.campaign_id != tracked.campaign_id:
        raise ValidationError(
            _("台账项目“%(item)s”不属于创建工作“%(campaign)s”。")
            % {"item": item, "campaign": tracked.campaign}
        )
    span = campaign_span(tracked.campaign)
    if span[0] is not None and completed_on < span[0]:
        raise ValidationError(
            _("完成日期 %(day)s 早于创建工作开始日期 %(first)s。") % {"day": completed_on, "first": span[0]}
        )
    _not_future(_("完成日期"), completed_on, timezone.localdate())
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError(
            _("说明不能超过%(limit)d个字（现有%(count)d个字）。") % {"limit": NOTE_LIMIT, "count": len(note)}
        )
    entry = LedgerEntry.objects.select_for_update().filter(tracked=tracked, item=item).first()
    if entry is None:
        entry = LedgerEntry(tracked=tracked, item=item, recorded_by=user)
    else:
        require(user, "phases.change_ledgerentry")
    entry.completed_on, entry.note = completed_on, note
    entry._history_user = user
    entry.save()
    return entry


@transaction.atomic
def ledger_entry_remove(*, entry, user):
    """Take back a ledger entry recorded in error (its history keeps who removed it, and when)."""
    require(user, "phases.delete_ledgerentry")
    _in_scope(user, entry.tracked)
    entry._history_user = user
    entry.delete()
