from django.urls import path

from phases.views import gaps, matrix, targets, work

app_name = "phases"
urlpatterns = [
    # Gaps, plans and evidence.
    path("gaps/<int:pk>/", gaps.gap, name="gap"),
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
