from django.urls import path

from phases.views import city, gaps, matrix, purchases, targets, tracked, work

app_name = "phases"
school = "schools/<str:code>/"
urlpatterns = [
    # Gaps, plans and evidence: the page, then one POST per action.
    path("gaps/<int:pk>/", gaps.gap, name="gap"),
    path("gaps/<int:pk>/plan/", gaps.plan_save, name="plan_save"),
    path("gaps/<int:pk>/start/", gaps.start, name="gap_start"),
    path("gaps/<int:pk>/claim/", gaps.claim, name="gap_claim"),
    path("gaps/<int:pk>/evidence/", gaps.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/decide/", gaps.evidence_decide, name="evidence_decide"),
    # Stored files, served as downloads to those whose scope holds them.
    path("evidence/<int:pk>/file/", gaps.evidence_file, name="evidence_file"),
    path("attachments/<int:pk>/file/", gaps.attachment_file, name="attachment_file"),
    # The matrix, schools and their phases.
    path("", matrix.matrix, name="matrix"),
    path("matrix.xlsx", matrix.matrix_export, name="matrix_export"),
    path("candidates/<str:code>/add/", matrix.tracked_add, name="tracked_add"),
    path("severe/", matrix.severe, name="severe"),
    path("severe.xlsx", matrix.severe_export, name="severe_export"),
    path(school, tracked.school, name="school"),
    path(f"{school}visits/", tracked.visit_record_view, name="visit_record"),
    path("visits/<int:pk>/sign-off/", tracked.visit_sign_off_view, name="visit_sign_off"),
    path(f"{school}ledger/", tracked.ledger_record_view, name="ledger_record"),
    path("ledger/<int:pk>/remove/", tracked.ledger_remove_view, name="ledger_remove"),
    # The city's work: tasks, meetings, purchases.
    path("tasks/", city.tasks, name="tasks"),
    path("tasks/<int:pk>/", city.task, name="task"),
    path("tasks/<int:pk>/progress/", city.task_progress, name="task_update"),
    path("tasks/<int:pk>/assign/", city.task_assign_view, name="task_assign"),
    path("tasks/<int:pk>/attach/", city.task_attach, name="task_attach"),
    path("meetings/", city.meetings, name="meetings"),
    path("meetings/record/", city.meeting_record_view, name="meeting_record"),
    path("meetings/<int:pk>/", city.meeting, name="meeting"),
    path("meetings/<int:pk>/attach/", city.meeting_attach, name="meeting_attach"),
    path("meetings/<int:pk>/actions/add/", city.action_add_view, name="action_add"),
    path("actions/<int:pk>/progress/", city.action_progress, name="action_update"),
    path("actions/<int:pk>/assign/", city.action_assign_view, name="action_assign"),
    path("actions/<int:pk>/attach/", city.action_attach, name="action_attach"),
    path("purchases/", purchases.purchases, name="purchases"),
    path("purchases/purchases.xlsx", purchases.purchases_export, name="purchases_export"),
    path("purchases/deliveries/", purchases.delivery_record, name="delivery_record"),
    # City targets and what-if.
    path("targets/", targets.targets, name="targets"),
    path("targets/values/", targets.target_value_enter, name="target_value_enter"),
    path("targets/values/<int:pk>/file/", targets.target_value_file, name="target_value_file"),
    path("whatif/", targets.whatif, name="whatif"),
    # My work.
    path("my-work/", work.my_work, name="my_work"),
]
