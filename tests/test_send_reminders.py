"""`manage.py send_reminders`: one e-mail per user listing their items overdue or due within a
week, each item at most once a day (tests/work_world.py, as of 2013-06-10)."""

import io
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from phases.models import ReminderLog
from tests import work_world

pytestmark = pytest.mark.django_db
SITE = "https://balance.example.org"


@pytest.fixture
def world():
    with override_settings(SITE_URL=SITE):
        yield work_world.build()


def run(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def mail_to(address):
    (message,) = [message for message in mail.outbox if message.to == [address]]
    return message


def test_each_owner_gets_one_email_listing_what_is_overdue_or_due_within_a_week(world):
    o = world.objects
    out = run("--date", "2013-06-10")
    # The clerk: the computers plan, 3 days overdue (the books gap has no date). The reviewer: the
    # action due today, the evidence due 2013-06-12, the task due 2013-06-17 (7 days): 3 items.
    # 虹桥一小's clerk: only an undated gap. The leader owns nothing.
    assert sorted(message.to[0] for message in mail.outbox) == ["clerk@example.org", "reviewer@example.org"]
    assert "2013-06-10 到期提醒：已发送给 2 位用户，共 4 项；0 位用户没有电子邮箱，已跳过。" in out

    clerk = mail_to("clerk@example.org")
    assert clerk.subject == "【乐清市义务教育均衡发展监测平台】您有 1 项工作即将到期或已逾期"
    assert "clerk，您好" in clerk.body
    assert "【整改方案】C 每百名学生计算机台数：购置配齐" in clerk.body
    assert "柳市一小" in clerk.body
    assert "完成期限：2013-06-07（逾期 3 天）" in clerk.body
    assert f"{SITE}{reverse('phases:gap', args=[o['gap in C'].pk])}" in clerk.body
    assert f"{SITE}{reverse('phases:my_work')}" in clerk.body
    assert "生均图书册数" not in clerk.body  # no due date: on the page, not in the e-mail

    reviewer = mail_to("reviewer@example.org")
    assert "您有 3 项工作" in reviewer.subject
    assert "【会议落实事项】落实校舍改造资金" in reviewer.body and "（今天到期）" in reviewer.body
    assert "【佐证材料审核】验收单.pdf（文件材料）" in reviewer.body and "（还剩 2 天）" in reviewer.body
    assert "PLAN-T5" in reviewer.body and "（还剩 7 天）" in reviewer.body
    assert "PLAN-T6" not in reviewer.body  # due in 8 days
    assert "PLAN-T4" not in reviewer.body and "通报进展" not in reviewer.body  # done
    assert "PLAN-T1" not in reviewer.body  # an earlier campaign's task
    assert "虹桥一小" not in reviewer.body  # evidence outside the reviewer's scope

    logged = set(ReminderLog.objects.values_list("user__username", "kind", "item_id", "sent_on", "due_on"))
    day = date(2013, 6, 10)
    assert logged == {
        ("clerk", "plan", o["plan in C"].pk, day, date(2013, 6, 7)),
        ("reviewer", "action", o["action today"].pk, day, date(2013, 6, 10)),
        ("reviewer", "evidence", o["evidence in"].pk, day, date(2013, 6, 12)),
        ("reviewer", "task", o["task soon"].pk, day, date(2013, 6, 17)),
    }


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(world):
    run("--date", "2013-06-10")
    assert len(mail.outbox) == 2
    out = run("--date", "2013-06-10")
    assert len(mail.outbox) == 2
    assert "已发送给 0 位用户，共 0 项" in out
    assert ReminderLog.objects.count() == 4

    mail.outbox.clear()
    out = run("--date", "2013-06-11")
    # A day later the clerk's plan is 4 days overdue; the reviewer's items are the same three and
    # the task due 2013-06-18, now 7 days away: 1 + 4 = 5 items.
    assert "已发送给 2 位用户，共 5 项" in out
    assert "（逾期 4 天）" in mail_to("clerk@example.org").body
    reviewer = mail_to("reviewer@example.org").body
    assert "PLAN-T6" in reviewer and "（逾期 1 天）" in reviewer
    assert ReminderLog.objects.filter(sent_on=date(2013, 6, 11)).count() == 5


def test_an_item_added_after_the_days_run_is_sent_alone_in_a_later_run(world):
    run("--date", "2013-06-10")
    mail.outbox.clear()
    work_world.task(world.phase, "PLAN-T9", world.users["reviewer"], date(2013, 6, 12))
    out = run("--date", "2013-06-10")
    assert "已发送给 1 位用户，共 1 项" in out
    body = mail_to("reviewer@example.org").body
    assert "PLAN-T9" in body and "PLAN-T5" not in body


def test_a_done_task_is_not_sent(world):
    task = world.objects["task soon"]
    task.status, task.done_on = "done", date(2013, 6, 9)
    task.save()
    run("--date", "2013-06-10")
    assert "PLAN-T5" not in mail_to("reviewer@example.org").body
    assert not ReminderLog.objects.filter(kind="task").exists()


def test_users_without_an_email_address_are_skipped_and_counted(world):
    User.objects.filter(pk=world.users["clerk"].pk).update(email="")
    out = run("--date", "2013-06-10", "--verbosity", "2")
    assert [message.to for message in mail.outbox] == [["reviewer@example.org"]]
    assert "clerk：没有电子邮箱，已跳过" in out
    assert "已发送给 1 位用户，共 3 项；1 位用户没有电子邮箱，已跳过。" in out
    assert not ReminderLog.objects.filter(user=world.users["clerk"]).exists()


def test_a_dry_run_sends_and_writes_nothing(world):
    out = run("--date", "2013-06-10", "--dry-run")
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()
    assert "（试运行，未发送、未记录）：将发送给 2 位用户，共 4 项" in out


def test_an_email_that_fails_to_send_records_nothing(world, monkeypatch):
    def refuse(self, fail_silently=False):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(OSError):
        run("--date", "2013-06-10")
    assert not ReminderLog.objects.exists()


def test_a_malformed_date_is_refused(world):
    with pytest.raises(CommandError, match="--date 应为 YYYY-MM-DD 格式的日期，收到“2013-13-01”"):
        run("--date", "2013-13-01")
    assert not ReminderLog.objects.exists()
