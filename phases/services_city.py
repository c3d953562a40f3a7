"""Writes of the city's work: the plan's tasks and their progress, the leadership group's meetings
and follow-up actions, files attached to them, and deliveries of purchased equipment.

Every write checks its input and raises a ValidationError in Chinese naming the task, action,
field and value; nothing is written on refusal. A delivery attaches its file as evidence to each
gap it serves and never closes one: only an approved report whose figures pass does.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.calc import COUNTED_UNITS
from phases.files import evidence_upload_to, private_storage
from phases.models import (
    Attachment,
    Delivery,
    DeliveryLine,
    Evidence,
    FollowUpAction,
    Gap,
    Meeting,
    TaskUpdate,
    WorkStatus,
)
from phases.selectors import campaign_span
from phases.uploads import validate_upload
from standards.models import Indicator

# The kinds of evidence a delivery's file may be: its invoice or its acceptance certificate.
DELIVERY_KINDS = (Evidence.Kind.INVOICE, Evidence.Kind.ACCEPTANCE)
# DeliveryLine.quantity: 14 digits, 2 of them decimals.
QUANTITY_LIMIT = Decimal(10) ** 12


def _text(value, limit, message):
    """`value` stripped; a ValidationError (`message`) when longer than `limit` characters."""
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(message % {"limit": limit, "length": len(value)})
    return value


def _required(value, limit, field, message, too_long):
    value = _text(value, limit, too_long)
    if not value:
        raise ValidationError({field: message})
    return value


def due_on_check(campaign, due_on, what):
    """Refuse a due date outside the campaign's span (first phase's start to last phase's end).
    `what` names the task or action in the message; None (no due date) is allowed."""
    if due_on is None:
        return
    start, end = campaign_span(campaign)
    if start is None:
        raise ValidationError(
            {
                "due_on": _("创建工作“%(campaign)s”尚未设定阶段，无法为%(what)s确定完成期限。")
                % {"campaign": campaign, "what": what}
            }
        )
    if not start <= due_on <= end:
        raise ValidationError(
            {
                "due_on": _(
                    "%(what)s的完成期限 %(date)s 不在创建工作“%(campaign)s”的时间范围（%(start)s 至 %(end)s）内。"
                )
                % {"what": what, "date": due_on, "campaign": campaign, "start": start, "end": end}
            }
        )


def status_check(status, done_on, what):
    """Refuse an unknown status, "done" without a completion date (or with one after today), and
    a completion date on work that is not done."""
    if status not in WorkStatus.values:
        raise ValidationError(
            {"status": _("%(what)s：状态“%(status)s”无效。") % {"what": what, "status": status}}
        )
    if status == WorkStatus.DONE:
        if done_on is None:
            raise ValidationError({"done_on": _("%(what)s：标记为已完成须填写完成日期。") % {"what": what}})
        if done_on > timezone.localdate():
            raise ValidationError(
                {"done_on": _("%(what)s：完成日期 %(date)s 晚于今天。") % {"what": what, "date": done_on}}
            )
    elif done_on is not None:
        raise ValidationError(
            {
                "done_on": _("%(what)s：状态为“%(status)s”时不填完成日期（%(date)s）。")
                % {"what": what, "status": WorkStatus(status).label, "date": done_on}
            }
        )


def _owner_check(owner, what):
    if owner is not None and not owner.is_active:
        raise ValidationError(
            {
                "owner": _("%(what)s：责任人“%(user)s”的账号已停用。")
                % {"what": what, "user": owner.get_username()}
            }
        )


def _status_note(old, new, note):
    """The progress note as recorded: the status move first when there is one."""
    lines = []
    if old != new:
        lines.append(
            _("状态：%(old)s → %(new)s") % {"old": WorkStatus(old).label, "new": WorkStatus(new).label}
        )
    if note:
        lines.append(note)
    return "\n".join(lines)


NOTE_LIMIT = 2000


def _progress(work, what, *, status, note, done_on):
    """Check a status move with its note; returns the note to record ("" when nothing changes)."""
    status_check(status, done_on, what)
    note = _text(note, NOTE_LIMIT, _("进展情况最多 %(limit)s 字，现有 %(length)s 字。"))
    if status == work.status and done_on == work.done_on and not note:
        raise ValidationError({"note": _("%(what)s：请填写进展情况或修改状态。") % {"what": what}})
    return _status_note(work.status, status, note)


@transaction.atomic
def task_update(*, task, user, status, note, done_on=None):
    """Move a task's status (done needs its completion date) and record the progress note, with
    the move, as a TaskUpdate."""
    what = _("任务 %(code)s") % {"code": task.code}
    recorded = _progress(task, what, status=status, note=note, done_on=done_on)
    if (task.status, task.done_on) != (status, done_on):
        task.status, task.done_on = status, done_on
        task._history_user = user
        task.save(update_fields=["status", "done_on"])
    if recorded:
        update = TaskUpdate(task=task, author=user, note=recorded)
        update._history_user = user
        update.save()
    return task


@transaction.atomic
def task_assign(*, task, user, owner, responsible_unit, due_on):
    """Give a task its owner, responsible unit and due date (within the campaign's span)."""
    what = _("任务 %(code)s") % {"code": task.code}
    unit = _text(responsible_unit, 100, _("责任单位最多 %(limit)s 字，现有 %(length)s 字。"))
    _owner_check(owner, what)
    due_on_check(task.phase.campaign, due_on, what)
    task.owner, task.responsible_unit, task.due_on = owner, unit, due_on
    task._history_user = user
    task.save(update_fields=["owner", "responsible_unit", "due_on"])
    return task


@transaction.atomic
def attachment_add(*, user, upload, note, task=None, meeting=None, action=None):
    """Attach a file (minutes, a notice) to one task, meeting or follow-up action. Its type is
    read from its content (`phases.uploads`); it is kept in the private storage."""
    if sum(target is not None for target in (task, meeting, action)) != 1:
        raise ValidationError(_("附件须属于且只属于一项任务、一次会议或一项落实事项。"))
    note = _text(note, 300, _("附件说明最多 %(limit)s 字，现有 %(length)s 字。"))
    name, content_type, size = validate_upload(upload)
    attachment = Attachment(
        original_name=name,
        content_type=content_type,
        size=size,
        uploaded_by=user,
        note=note,
        task=task,
        meeting=meeting,
        action=action,
    )
    # Saved under the safe name, so that the stored file's suffix is that of its content's type.
    attachment.file.save(name, upload, save=False)
    attachment._history_user = user
    attachment.save()
    return attachment


@transaction.atomic
def meeting_record(*, campaign, user, held_on, title, attending_units="", decisions=""):
    """Record a leadership-group meeting (PLAN-T2, PLAN-S1) that has been held."""
    title = _required(
        title, 200, "title", _("请填写会议名称。"), _("会议名称最多 %(limit)s 字，现有 %(length)s 字。")
    )
    if held_on is None:
        raise ValidationError({"held_on": _("会议“%(title)s”：请填写会议日期。") % {"title": title}})
    if held_on > timezone.localdate():
        raise ValidationError(
            {
                "held_on": _("会议“%(title)s”：会议日期 %(date)s 晚于今天。")
                % {"title": title, "date": held_on}
            }
        )
    meeting = Meeting(
        campaign=campaign,
        held_on=held_on,
        title=title,
        attending_units=_text(attending_units, 2000, _("参会单位最多 %(limit)s 字，现有 %(length)s 字。")),
        decisions=_text(decisions, 5000, _("会议决定最多 %(limit)s 字，现有 %(length)s 字。")),
    )
    meeting._history_user = user
    meeting.save()
    return meeting


def _action_due_check(meeting, due_on, what):
    due_on_check(meeting.campaign, due_on, what)
    if due_on is not None and due_on < meeting.held_on:
        raise ValidationError(
            {
                "due_on": _("%(what)s的完成期限 %(date)s 早于会议日期 %(held)s。")
                % {"what": what, "date": due_on, "held": meeting.held_on}
            }
        )


@transaction.atomic
def action_add(*, meeting, user, title, responsible_unit="", owner=None, due_on=None):
    """A follow-up action the meeting decided, with its owner and due date (within the campaign's
    span, not before the meeting)."""
    title = _required(
        title, 300, "title", _("请填写落实事项。"), _("落实事项最多 %(limit)s 字，现有 %(length)s 字。")
    )
    what = _("落实事项“%(title)s”") % {"title": title}
    unit = _text(responsible_unit, 100, _("责任单位最多 %(limit)s 字，现有 %(length)s 字。"))
    _owner_check(owner, what)
    _action_due_check(meeting, due_on, what)
    action = FollowUpAction(meeting=meeting, title=title, responsible_unit=unit, owner=owner, due_on=due_on)
    action._history_user = user
    action.save()
    return action


@transaction.atomic
def action_update(*, action, user, status, note, done_on=None):
    """Move a follow-up action's status (done needs its date); the progress note, with the move,
    is added to its notes under the day and the author."""
    what = _("落实事项“%(title)s”") % {"title": action.title}
    recorded = _progress(action, what, status=status, note=note, done_on=done_on)
    if recorded:
        heading = f"{timezone.localdate()} {user.get_full_name() or user.get_username()}"
        entry = f"{heading}：{recorded}"
        action.notes = f"{action.notes}\n{entry}".strip() if action.notes else entry
    action.status, action.done_on = status, done_on
    action._history_user = user
    action.save(update_fields=["status", "done_on", "notes"])
    return action


@transaction.atomic
def action_assign(*, action, user, owner, responsible_unit, due_on):
    """Give a follow-up action its owner, responsible unit and due date, as `action_add` checks."""
    what = _("落实事项“%(title)s”") % {"title": action.title}
    unit = _text(responsible_unit, 100, _("责任单位最多 %(limit)s 字，现有 %(length)s 字。"))
    _owner_check(owner, what)
    _action_due_check(action.meeting, due_on, what)
    action.owner, action.responsible_unit, action.due_on = owner, unit, due_on
    action._history_user = user
    action.save(update_fields=["owner", "responsible_unit", "due_on"])
    return action


# --- Deliveries ------------------------------------------------------------------------------------


def _line_check(campaign, gap, quantity):
    label = str(gap)
    if gap.tracked.campaign_id != campaign.pk:
        raise ValidationError(
            _("%(gap)s：不属于创建工作“%(campaign)s”。") % {"gap": label, "campaign": campaign}
        )
    if gap.category != Indicator.Category.EQUIPMENT:
        raise ValidationError(_("%(gap)s：不是装备类未达标项，无需采购到货。") % {"gap": label})
    if gap.status not in Gap.UNRESOLVED:
        raise ValidationError(
            _("%(gap)s：状态为“%(status)s”，无需再登记到货。")
            % {"gap": label, "status": gap.get_status_display()}
        )
    if quantity <= 0 or quantity >= QUANTITY_LIMIT or quantity != quantity.quantize(Decimal("0.01")):
        raise ValidationError(
            _("%(gap)s：到货数量 %(quantity)s 须为大于 0 的数，最多两位小数。")
            % {"gap": label, "quantity": quantity}
        )
    if gap.unit in COUNTED_UNITS and quantity != quantity.to_integral_value():
        raise ValidationError(
            _("%(gap)s：按“%(unit)s”计的到货数量须为整数，不能是 %(quantity)s。")
            % {"gap": label, "unit": gap.unit, "quantity": quantity}
        )


@transaction.atomic
def delivery_record(*, campaign, user, delivered_on, supplier, note, kind, upload, lines):
    """Record a delivery of purchased equipment: a Delivery, a DeliveryLine per (gap, quantity) of
    `lines`, and the uploaded invoice or acceptance certificate as pending evidence on each gap
    (one stored file shared by them). The gaps' statuses are left as they are."""
    if kind not in DELIVERY_KINDS:
        raise ValidationError(
            {"kind": _("到货凭证须为发票或合同、验收证明之一，不能是“%(kind)s”。") % {"kind": kind}}
        )
    if delivered_on is None:
        raise ValidationError({"delivered_on": _("请填写到货日期。")})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("到货日期 %(date)s 晚于今天。") % {"date": delivered_on}})
    supplier = _text(supplier, 200, _("供货单位最多 %(limit)s 字，现有 %(length)s 字。"))
    note = _text(note, 2000, _("说明最多 %(limit)s 字，现有 %(length)s 字。"))
    lines = list(lines)
    if not lines:
        raise ValidationError(_("请至少填写一项到货数量。"))
    seen = set()
    for gap, quantity in lines:
        if gap.pk in seen:
            raise ValidationError(_("%(gap)s：同一次到货中重复填写。") % {"gap": str(gap)})
        seen.add(gap.pk)
        _line_check(campaign, gap, quantity)
    name, content_type, size = validate_upload(upload)

    delivery = Delivery(
        campaign=campaign, delivered_on=delivered_on, supplier=supplier, note=note, recorded_by=user
    )
    delivery._history_user = user
    delivery.save()
    stored = private_storage().save(evidence_upload_to(None, name), upload)
    for gap, quantity in lines:
        line = DeliveryLine(delivery=delivery, gap=gap, quantity=quantity)
        line._history_user = user
        line.save()
        evidence = Evidence(
            gap=gap,
            file=stored,
            kind=kind,
            effective_on=delivered_on,
            note=_evidence_note(delivery, gap, quantity),
            delivery=delivery,
            original_name=name,
            content_type=content_type,
            size=size,
            uploaded_by=user,
        )
        evidence._history_user = user
        evidence.save()
    return delivery


def _evidence_note(delivery, gap, quantity):
    text = _("到货登记：%(date)s %(supplier)s 到货 %(quantity)s %(unit)s。") % {
        "date": delivery.delivered_on,
        "supplier": delivery.supplier or _("（未填供货单位）"),
        "quantity": quantity.quantize(Decimal(1)) if quantity == quantity.to_integral_value() else quantity,
        "unit": gap.unit,
    }
    return f"{text}{delivery.note}" if delivery.note else text
