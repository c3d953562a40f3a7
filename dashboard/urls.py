from django.urls import path

from dashboard import views, views_counties, views_exports

app_name = "dashboard"
urlpatterns = [
    path("compliance/", views.compliance, name="compliance"),
    path("balance/", views.balance, name="balance"),
    path("counties/", views_counties.counties, name="counties"),
    path("counties/export.xlsx", views_counties.counties_export, name="counties_export"),
    path("compliance/recompute/", views.recompute, name="recompute"),
    path("schools/<str:code>/", views.school, name="school"),
    path("export/schools.xlsx", views_exports.export_schools, name="export_schools"),
    path("export/reports.xlsx", views_exports.export_reports, name="export_reports"),
    path("export/compliance.xlsx", views_exports.export_compliance, name="export_compliance"),
]
