from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from dashboard import views as dashboard_views

admin.site.site_header = _("乐清市义务教育均衡发展监测平台")
admin.site.site_title = _("均衡发展监测平台")
admin.site.index_title = _("教育局管理控制台")

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("reports/", include("reporting.urls")),
    path("campaign/", include("phases.urls")),
    path("", include("dashboard.urls")),
]
