from django.urls import path

from phases.views import gaps, matrix, work

app_name = "phases"
urlpatterns = [
    # Gaps, plans and evidence.
    path("gaps/<int:pk>/", gaps.gap, name="gap"),
    # The matrix, schools and their phases.
    path("schools/<str:code>/", matrix.school, name="school"),
    # The city's work: tasks, meetings, purchases.
    # City targets and what-if.
    # My work.
    path("my-work/", work.my_work, name="my_work"),
]
