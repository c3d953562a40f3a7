"""The city's work: the plan's tasks (PLAN-T1…T18) and the leadership group's meetings with their
follow-up actions, each with its progress and files.

Tasks and meetings are the city's, not a school's: every page needs the model's view permission
(403 otherwise); the schools and gaps a task concerns are shown within the user's scope only.
Each write is its own POST, needs the bureau's permission and goes through `phases.services_city`;
a refused form shows the page again with its error.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from phases import selectors_city
from phases.forms_city import (
    ActionForm,
    AssignForm,
    AttachmentForm,
    MeetingForm,
    ProgressForm,
    TaskFilterSet,
    form_error,
)
from phases.models import FollowUpAction
from phases.selectors import campaign_span, current_campaign
from phases.services_city import (
    action_add,
    action_assign,
    action_update,
    attachment_add,
    meeting_record,
    task_assign,
    task_update,
)
from schools.access import require, visible_schools


def _campaign():
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    return campaign


def _submit(request, form, write, done):
    """Run `write(cleaned_data)` for a valid form; True when it was written (with `done` said),
    False when the form or the service refused it (the error then on the form)."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form_error(form, error)
        return False
    messages.success(request, done)
    return True


# --- Tasks -------------------------------------------------------------------------------------------


@require_safe
def tasks(request):
    require(request.user, "phases.view_task")
    campaign = current_campaign()
    context = {"campaign": campaign}
    if campaign is not None:
        filterset = TaskFilterSet(request.GET, selectors_city.tasks(campaign), campaign=campaign)
        context.update(form=filterset.form, tasks=list(filterset.qs) if filterset.is_valid() else [])
    return render(request, "phases/tasks.html", context)


def _task(campaign, pk):
    task = selectors_city.task_detail(campaign, pk)
    if task is None:
        raise Http404
    return task


def _task_page(request, task, **forms):
    user = request.user
    if user.has_perm("phases.change_task"):
        forms.setdefault(
            "progress_form", ProgressForm(initial={"status": task.status, "done_on": task.done_on})
        )
        forms.setdefault(
            "assign_form",
            AssignForm(
                initial={
                    "owner": task.owner_id,
                    "responsible_unit": task.responsible_unit,
                    "due_on": task.due_on,
                }
            ),
        )
    if user.has_perm("phases.add_attachment"):
        forms.setdefault("attach_form", AttachmentForm())
    context = {
        "task": task,
        "updates": task.updates.select_related("author").order_by("-written_at", "-pk"),
        "attachments": task.attachments.select_related("uploaded_by"),
        "links": selectors_city.task_links(task, visible_schools(user)),
        "span": campaign_span(task.phase.campaign),
        **forms,
    }
    return render(request, "phases/task.html", context)


@require_safe
def task(request, pk):
    require(request.user, "phases.view_task")
    return _task_page(request, _task(_campaign(), pk))


@require_POST
def task_progress(request, pk):
    require(request.user, "phases.view_task", "phases.change_task")
    found = _task(_campaign(), pk)
    form = ProgressForm(request.POST)
    if _submit(
        request, form, lambda data: task_update(task=found, user=request.user, **data), _("已记录任务进展。")
    ):
        return redirect("phases:task", pk)
    return _task_page(request, found, progress_form=form)


@require_POST
def task_assign_view(request, pk):
    require(request.user, "phases.view_task", "phases.change_task")
    found = _task(_campaign(), pk)
    form = AssignForm(request.POST)
    if _submit(
        request, form, lambda data: task_assign(task=found, user=request.user, **data), _("已保存任务分工。")
    ):
        return redirect("phases:task", pk)
    return _task_page(request, found, assign_form=form)


@require_POST
def task_attach(request, pk):
    require(request.user, "phases.view_task", "phases.add_attachment")
    found = _task(_campaign(), pk)
    form = AttachmentForm(request.POST, request.FILES)

    def write(data):
        attachment_add(user=request.user, upload=data["file"], note=data["note"], task=found)

    if _submit(request, form, write, _("已上传附件。")):
        return redirect("phases:task", pk)
    return _task_page(request, found, attach_form=form)


# --- Meetings and their follow-up actions ------------------------------------------------------------


def _meetings_page(request, campaign, meeting_form=None):
    if meeting_form is None and request.user.has_perm("phases.add_meeting"):
        meeting_form = MeetingForm()
    context = {"campaign": campaign, "meeting_form": meeting_form}
    if campaign is not None:
        context["meetings"] = selectors_city.meetings(campaign)
    return render(request, "phases/meetings.html", context)


@require_safe
def meetings(request):
    require(request.user, "phases.view_meeting")
    return _meetings_page(request, current_campaign())


@require_POST
def meeting_record_view(request):
    require(request.user, "phases.view_meeting", "phases.add_meeting")
    campaign = _campaign()
    form = MeetingForm(request.POST)
    created = []

    def write(data):
        created.append(meeting_record(campaign=campaign, user=request.user, **data))

    if _submit(request, form, write, _("已登记会议。")):
        return redirect("phases:meeting", created[0].pk)
    return _meetings_page(request, campaign, form)


def _meeting(pk):
    return get_object_or_404(_campaign().meetings, pk=pk)


def _action(pk):
    campaign = _campaign()
    actions = FollowUpAction.objects.filter(meeting__campaign=campaign).select_related("meeting__campaign")
    return get_object_or_404(actions, pk=pk)


def _meeting_page(request, meeting, *, action_form=None, attach_form=None, bound=None):
    """The meeting's page; `bound`: (action pk, form name, form) of a refused form on one action."""
    user = request.user
    can_change = user.has_perm("phases.change_followupaction")
    can_attach = user.has_perm("phases.add_attachment")
    actions = list(selectors_city.meeting_actions(meeting))
    for action in actions:
        prefix = f"a{action.pk}"
        action.forms = {}
        if can_change:
            action.forms["progress"] = ProgressForm(
                initial={"status": action.status, "done_on": action.done_on}, prefix=prefix
            )
            action.forms["assign"] = AssignForm(
                initial={
                    "owner": action.owner_id,
                    "responsible_unit": action.responsible_unit,
                    "due_on": action.due_on,
                },
                prefix=prefix,
            )
        if can_attach:
            action.forms["attach"] = AttachmentForm(prefix=prefix)
        if bound and bound[0] == action.pk:
            action.forms[bound[1]] = bound[2]
            action.open = True
    if action_form is None and user.has_perm("phases.add_followupaction"):
        action_form = ActionForm()
    if attach_form is None and can_attach:
        attach_form = AttachmentForm()
    context = {
        "meeting": meeting,
        "actions": actions,
        "attachments": meeting.attachments.select_related("uploaded_by"),
        "action_form": action_form,
        "attach_form": attach_form,
        "span": campaign_span(meeting.campaign),
    }
    return render(request, "phases/meeting.html", context)


@require_safe
def meeting(request, pk):
    require(request.user, "phases.view_meeting")
    return _meeting_page(request, _meeting(pk))


@require_POST
def meeting_attach(request, pk):
    require(request.user, "phases.view_meeting", "phases.add_attachment")
    found = _meeting(pk)
    form = AttachmentForm(request.POST, request.FILES)

    def write(data):
        attachment_add(user=request.user, upload=data["file"], note=data["note"], meeting=found)

    if _submit(request, form, write, _("已上传附件。")):
        return redirect("phases:meeting", pk)
    return _meeting_page(request, found, attach_form=form)


@require_POST
def action_add_view(request, pk):
    require(request.user, "phases.view_meeting", "phases.add_followupaction")
    found = _meeting(pk)
    form = ActionForm(request.POST)
    if _submit(
        request,
        form,
        lambda data: action_add(meeting=found, user=request.user, **data),
        _("已添加落实事项。"),
    ):
        return redirect("phases:meeting", pk)
    return _meeting_page(request, found, action_form=form)


def _action_write(request, pk, form_class, name, write, done, *, files=False):
    found = _action(pk)
    args = (request.POST, request.FILES) if files else (request.POST,)
    form = form_class(*args, prefix=f"a{found.pk}")
    if _submit(request, form, lambda data: write(found, data), done):
        return redirect("phases:meeting", found.meeting_id)
    return _meeting_page(request, found.meeting, bound=(found.pk, name, form))


@require_POST
def action_progress(request, pk):
    require(request.user, "phases.view_meeting", "phases.change_followupaction")

    def write(action, data):
        action_update(action=action, user=request.user, **data)

    return _action_write(request, pk, ProgressForm, "progress", write, _("已记录落实事项进展。"))


@require_POST
def action_assign_view(request, pk):
    require(request.user, "phases.view_meeting", "phases.change_followupaction")

    def write(action, data):
        action_assign(action=action, user=request.user, **data)

    return _action_write(request, pk, AssignForm, "assign", write, _("已保存落实事项分工。"))


@require_POST
def action_attach(request, pk):
    require(request.user, "phases.view_meeting", "phases.add_attachment")

    def write(action, data):
        attachment_add(user=request.user, upload=data["file"], note=data["note"], action=action)

    return _action_write(request, pk, AttachmentForm, "attach", write, _("已上传附件。"), files=True)


# --- Files -------------------------------------------------------------------------------------------
