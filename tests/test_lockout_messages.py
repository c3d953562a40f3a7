"""Every answer to a locked-out login says in Chinese why it is refused: the page for a browser
(the site's and the admin's login) and the JSON for a script's request."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PASSWORD = "yq-correct-horse-2013"
OFFICE_IP = "10.12.0.1"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware activates the request's language in this thread; put the old one back."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", password=PASSWORD, is_staff=True)


def locked_out(url, **extra):
    client = Client(REMOTE_ADDR=OFFICE_IP)
    for _ in range(3):
        client.post(url, {"username": "clerk", "password": "wrong"}, **extra)
    return client.post(url, {"username": "clerk", "password": PASSWORD}, **extra)


def visible_words(response):
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return set(re.findall(r"[A-Za-z]{2,}", text))


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_the_lockout_page_is_chinese_on_both_login_pages(clerk, url_name):
    response = locked_out(reverse(url_name))

    assert response.status_code == 429
    # The language switch offers English by its own name; the username is the user's own.
    assert visible_words(response) <= {"English", "clerk"}


def test_a_scripts_locked_out_login_gets_a_chinese_message(clerk):
    response = locked_out(reverse("admin:login"), **XHR)

    assert response.status_code == 429
    data = response.json()
    assert data["message"] == "登录失败次数过多，该账号已被锁定，请在 15 分钟后再试。"
    assert (data["failure_limit"], data["username"], data["cooloff_minutes"]) == (3, "clerk", 15)


def test_without_a_cool_off_the_message_says_whom_to_ask(settings, clerk):
    settings.AXES_COOLOFF_TIME = None

    response = locked_out(reverse("login"), **XHR)

    assert response.status_code == 429
    assert response.json()["message"] == "登录失败次数过多，该账号已被锁定，请联系局管理员解除锁定。"
