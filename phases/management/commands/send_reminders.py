from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.reminders import reminders_send


class Command(BaseCommand):
    @property
    def help(self):
        # argparse needs a str: translated when the command runs, not at import.
        return _(
            "给每位负责人发一封电子邮件，列出其已逾期或 7 天内到期的工作（整改方案、任务、会议落实事项、"
            "待审核的佐证材料）；同一事项每天最多提醒一次。供每日定时任务（cron）运行。"
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", dest="on", help=_("按此日期（YYYY-MM-DD）计算到期并记录，默认今天；用于测试或补发")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("只列出将发送的提醒，不发送、不记录"))

    def handle(self, *args, on=None, dry_run=False, verbosity=1, **options):
        today = _parse_date(on) if on else timezone.localdate()
        run = reminders_send(today=today, dry_run=dry_run)
        if verbosity >= 2:
            for user, items in run.mailed:
                self.stdout.write(
                    _("%(user)s <%(email)s>：%(n)s 项")
                    % {"user": user.get_username(), "email": user.email, "n": len(items)}
                )
            for user in run.skipped:
                self.stdout.write(_("%(user)s：没有电子邮箱，已跳过") % {"user": user.get_username()})
        if verbosity >= 1:
            numbers = {
                "date": today.isoformat(),
                "users": len(run.mailed),
                "items": run.items,
                "skipped": len(run.skipped),
            }
            if dry_run:
                line = _(
                    "%(date)s 到期提醒（试运行，未发送、未记录）：将发送给 %(users)s 位用户，共 %(items)s 项；"
                    "%(skipped)s 位用户没有电子邮箱，将跳过。"
                )
            else:
                line = _(
                    "%(date)s 到期提醒：已发送给 %(users)s 位用户，共 %(items)s 项；"
                    "%(skipped)s 位用户没有电子邮箱，已跳过。"
                )
            self.stdout.write(line % numbers)


def _parse_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--date 应为 YYYY-MM-DD 格式的日期，收到“%(value)s”。") % {"value": value}
        ) from None
