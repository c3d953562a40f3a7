"""Daily reminder e-mails (`manage.py send_reminders`): each user gets one e-mail listing their
items overdue or due within a week (phases.selectors_work), each item at most once a day.

A `ReminderLog` row per user, item and day records what was sent. Each user's e-mail is sent in
its own transaction with its rows: a failure to send keeps that user's rows out (a later run
sends again), and never undoes the record of e-mails already sent to others.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from phases.models import Evidence, FollowUpAction, Gap, RectificationPlan, ReminderLog, Task, WorkStatus
from phases.selectors_work import DUE_SOON_DAYS, REVIEW_EVIDENCE, work_items

# with_perm() needs the backend that holds permissions: the site has django-axes' in front of it.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class ReminderRun:
    """What a run did (or, dry, would do): who was mailed which items, who had items but no
    e-mail address."""

    mailed: list = field(default_factory=list)  # [(user, [WorkItem])]
    skipped: list = field(default_factory=list)  # [user]

    @property
    def items(self):
        return sum(len(items) for _user, items in self.mailed)


def absolute_url(path):
    """`path` on the site as the e-mail's reader reaches it (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def _recipients():
    """Active users who may have something due: owners of open plans, tasks and actions, and,
    while evidence waits for a decision, those who judge it. Their items are then read one user
    at a time, as the "my work" page reads them."""
    owners = set(
        RectificationPlan.objects.filter(
            gap__status__in=Gap.UNRESOLVED, gap__tracked__campaign__is_current=True, owner__isnull=False
        ).values_list("owner_id", flat=True)
    )
    for model, campaign in ((Task, "phase__campaign"), (FollowUpAction, "meeting__campaign")):
        owners.update(
            model.objects.filter(owner__isnull=False, **{f"{campaign}__is_current": True})
            .exclude(status=WorkStatus.DONE)
            .values_list("owner_id", flat=True)
        )
    users = get_user_model().objects.filter(is_active=True)
    pending = Evidence.objects.filter(
        decision=Evidence.Decision.PENDING, gap__tracked__campaign__is_current=True
    ).exists()
    if pending:
        reviewers = get_user_model().objects.with_perm(REVIEW_EVIDENCE, backend=PERMISSION_BACKEND)
        owners.update(reviewers.values_list("pk", flat=True))
    return users.filter(pk__in=owners).order_by("username")


def _message(user, items, today, connection):
    context = {
        "name": user.get_full_name() or user.get_username(),
        "today": today,
        "soon_days": DUE_SOON_DAYS,
        "site_title": settings.SITE_TITLE,
        "my_work_url": absolute_url(reverse("phases:my_work")),
        "entries": [
            {"item": item, "link": absolute_url(item.url or reverse("phases:my_work"))} for item in items
        ],
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("phases/email/reminder_subject.txt", context).split())
        body = render_to_string("phases/email/reminder_body.txt", context)
    return EmailMessage(subject, body, to=[user.email], connection=connection)


@transaction.atomic
def reminder_send(*, user, items, today, connection=None):
    """E-mail `user` the list of `items` and record each as sent on `today`."""
    ReminderLog.objects.bulk_create(
        ReminderLog(user=user, kind=item.kind, item_id=item.pk, sent_on=today, due_on=item.due)
        for item in items
    )
    _message(user, items, today, connection).send()


def reminders_send(*, today, dry_run=False):
    """E-mail every user their items due within DUE_SOON_DAYS of `today` or overdue, leaving out
    what they were already reminded of on `today`. Users with such items but no e-mail address
    are skipped. `dry_run`: find the same, send and record nothing."""
    already = set(ReminderLog.objects.filter(sent_on=today).values_list("user_id", "kind", "item_id"))
    run = ReminderRun()
    connection = None if dry_run else get_connection()
    for user in _recipients():
        items = [
            item
            for item in work_items(user, today)
            if item.is_due and (user.pk, item.kind, item.pk) not in already
        ]
        if not items:
            continue
        if not user.email:
            run.skipped.append(user)
            continue
        if not dry_run:
            reminder_send(user=user, items=items, today=today, connection=connection)
        run.mailed.append((user, items))
    return run
