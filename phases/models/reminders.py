"""What `manage.py send_reminders` has e-mailed: one row per user, item and day, so that a second
run on the same day sends nothing new."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    """One item named in one reminder e-mail to one user on one day. Written with the e-mail and
    never changed: the row is itself the record, so it keeps no history of its own."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("整改方案")
        GAP = "gap", _("未达标项")
        TASK = "task", _("任务")
        ACTION = "action", _("会议落实事项")
        EVIDENCE = "evidence", _("佐证材料审核")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("收件人")
    )
    kind = models.CharField(_("事项类别"), max_length=10, choices=Kind.choices)
    item_id = models.PositiveBigIntegerField(_("事项编号"))
    sent_on = models.DateField(_("提醒日期"))
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "user", "kind", "item_id"]
        verbose_name = _("到期提醒记录")
        verbose_name_plural = _("到期提醒记录")
        constraints = [
            # At most one reminder per item, user and day; send_reminders reads a day's rows by
            # sent_on, which this constraint's index does not lead with: see the index below.
            models.UniqueConstraint(
                fields=["user", "kind", "item_id", "sent_on"], name="reminder_once_a_day"
            ),
        ]
        indexes = [
            # send_reminders loads the rows of the day it runs for, before sending anything.
            models.Index(fields=["sent_on"], name="reminder_sent_on"),
        ]

    def __str__(self):
        return f"{self.sent_on} {self.user} {self.get_kind_display()} {self.item_id}"
