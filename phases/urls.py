from django.urls import path

from phases.views import gaps, matrix, tracked

app_name = "phases"
school = "schools/<str:code>/"
urlpatterns = [
    # Gaps, plans and evidence.
    path("gaps/<int:pk>/", gaps.gap, name="gap"),
    # The matrix, schools and their phases.
    path("", matrix.matrix, name="matrix"),
    path("matrix.xlsx", matrix.matrix_export, name="matrix_export"),
    path("severe/", matrix.severe, name="severe"),
    path("severe.xlsx", matrix.severe_export, name="severe_export"),
    path(school, tracked.school, name="school"),
    path(f"{school}visits/", tracked.visit_record_view, name="visit_record"),
    path("visits/<int:pk>/sign-off/", tracked.visit_sign_off_view, name="visit_sign_off"),
    path(f"{school}ledger/", tracked.ledger_record_view, name="ledger_record"),
    path("ledger/<int:pk>/remove/", tracked.ledger_remove_view, name="ledger_remove"),
    # The city's work: tasks, meetings, purchases.
    # City targets and what-if.
    # My work.
]
