from django.urls import path

from phases.views import city, gaps, matrix, purchases

app_name = "phases"
urlpatterns = [
    # Gaps, plans and evidence.
    path("gaps/<int:pk>/", gaps.gap, name="gap"),
    # The matrix, schools and their phases.
    path("schools/<str:code>/", matrix.school, name="school"),
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
    path("attachments/<int:pk>/", city.attachment_file, name="attachment_file"),
    path("purchases/", purchases.purchases, name="purchases"),
    path("purchases/purchases.xlsx", purchases.purchases_export, name="purchases_export"),
    path("purchases/deliveries/", purchases.delivery_record, name="delivery_record"),
    # City targets and what-if.
    # My work.
]
