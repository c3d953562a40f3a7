from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("compliance/", views.compliance, name="compliance"),
    path("balance/", views.balance, name="balance"),
    path("schools/<str:code>/", views.school, name="school"),
]
