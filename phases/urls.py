from django.urls import path

from phases.views import gaps, matrix, targets, work

app_name = "phases"
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
    path("schools/<str:code>/", matrix.school, name="school"),
    # The city's work: tasks, meetings, purchases.
    # City targets and what-if.
    path("targets/", targets.targets, name="targets"),
    path("targets/values/", targets.target_value_enter, name="target_value_enter"),
    path("targets/values/<int:pk>/file/", targets.target_value_file, name="target_value_file"),
    path("whatif/", targets.whatif, name="whatif"),
    # My work.
    path("my-work/", work.my_work, name="my_work"),
]
