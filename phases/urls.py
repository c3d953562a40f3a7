from django.urls import path  # noqa: F401

app_name = "phases"
urlpatterns = [
    # Gaps, plans and evidence.
    # The matrix, schools and their phases.
    # The city's work: tasks, meetings, purchases.
    # City targets and what-if.
    # My work.
]
