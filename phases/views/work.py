"""The user's own work: what they owe, by due date (reads only)."""

from django.shortcuts import render
from django.utils import timezone

from phases.selectors_work import DUE_SOON_DAYS, work_groups, work_items


def my_work(request):
    today = timezone.localdate()
    items = work_items(request.user, today)
    groups = [group for group in work_groups(items) if group["items"]]
    context = {"today": today, "groups": groups, "total": len(items), "soon_days": DUE_SOON_DAYS}
    return render(request, "phases/my_work.html", context)
