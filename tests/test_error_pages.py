"""400, 403, 404 and 500 answer with the site's own Chinese pages, each with a way home.

The 500 page is rendered without a request context (Django's server_error): it must not need
context processors or the database.
"""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation

from yueqing_balance.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("an unexpected failure")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a malformed request")


urlpatterns = [
    path("test-boom/", boom),
    path("test-forbidden/", forbidden),
    path("test-suspicious/", suspicious),
    *site_urlpatterns,
]


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware activates the request's language in this thread; put the old one back."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def client_in():
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("clerk", password="yq-correct-horse-2013"))
    return client


def page_of(response):
    return response.content.decode()


@override_settings(DEBUG=False)
def test_an_unknown_address_answers_404_with_the_chinese_page(client_in):
    response = client_in.get("/no-such-page/")

    page = page_of(response)
    assert response.status_code == 404
    assert "页面不存在" in page
    assert 'href="/"' in page and "返回首页" in page
    assert "Not Found" not in page


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_an_unexpected_error_answers_500_with_the_chinese_page(client_in):
    response = client_in.get("/test-boom/")

    page = page_of(response)
    assert response.status_code == 500
    assert "服务器内部错误" in page
    assert 'href="/"' in page and "返回首页" in page
    assert "Server Error" not in page


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_forbidden_page_answers_403_in_chinese(client_in):
    response = client_in.get("/test-forbidden/")

    page = page_of(response)
    assert response.status_code == 403
    assert "没有权限" in page and "返回首页" in page
    assert "Forbidden" not in page


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_bad_request_answers_400_in_chinese(client_in):
    response = client_in.get("/test-suspicious/")

    page = page_of(response)
    assert response.status_code == 400
    assert "请求有误" in page and "返回首页" in page
    assert "Bad Request" not in page


@override_settings(DEBUG=False)
def test_a_failed_csrf_check_answers_403_in_chinese():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "clerk", "password": "x"})

    page = page_of(response)
    assert response.status_code == 403
    assert "安全校验失败" in page and "返回首页" in page
    assert "CSRF verification failed" not in page
