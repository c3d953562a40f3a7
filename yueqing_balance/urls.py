from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dashboard import views as dashboard_views

admin.site.site_header = _("乐清市义务教育均衡发展监测平台")
admin.site.site_title = _("均衡发展监测平台")
admin.site.index_title = _("教育局管理控制台")

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("dashboard.urls")),
]
