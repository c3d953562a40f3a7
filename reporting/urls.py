from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("review/", views.queue, name="queue"),
    path("completeness/", views.completeness, name="completeness"),
    path("template.xlsx", views.template_download, name="template"),
    path("<str:code>/<int:year>/", views.entry, name="entry"),
    path("<str:code>/<int:year>/review/", views.review, name="review"),
]
