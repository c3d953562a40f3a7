"""Repeated failed logins lock one username at one IP address out (django-axes), on the site's
login page and the admin's; a success resets the count; the lockout ends after the cool-off."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.test_settings import manage

pytestmark = pytest.mark.django_db

PASSWORD = "yq-correct-horse-2013"
WRONG = "not-the-password"
LIMIT = 5
OFFICE_IP = "10.12.0.1"  # one NAT address shared by a whole office
LOCKED_TEXT = "登录已被锁定"


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    # The defaults, pinned here so that AXES_* variables in the environment do not change the tests.
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware activates the request's language in this thread; put the old one back."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", password=PASSWORD)


@pytest.fixture
def reviewer():
    return User.objects.create_user("reviewer", password=PASSWORD)


def log_in(username, password, url=None, ip=OFFICE_IP):
    """POST the login form from `ip`; return (response, client)."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post(url or reverse("login"), {"username": username, "password": password})
    return response, client


def assert_logged_in(username, password, ip=OFFICE_IP):
    response, client = log_in(username, password, ip=ip)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(User.objects.get(username=username).pk)


def assert_locked_out(response, client):
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_TEXT in page
    assert f"已连续 {LIMIT} 次登录失败" in page
    assert "请在 15 分钟后再试" in page
    assert SESSION_KEY not in client.session


def fail(username, times, url=None, ip=OFFICE_IP):
    """`times` wrong passwords; returns the last response."""
    for _ in range(times):
        response, _client = log_in(username, WRONG, url=url, ip=ip)
    return response


def test_wrong_passwords_below_the_limit_show_the_login_form_again(clerk):
    response = fail("clerk", LIMIT - 1)

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert_logged_in("clerk", PASSWORD)


def test_five_wrong_passwords_then_the_right_one_is_refused_with_the_lockout_page(clerk):
    fifth = fail("clerk", LIMIT)
    assert fifth.status_code == 429 and LOCKED_TEXT in fifth.content.decode()

    assert_locked_out(*log_in("clerk", PASSWORD))
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("clerk", OFFICE_IP)


def test_another_user_behind_the_same_address_can_still_log_in(clerk, reviewer):
    fail("clerk", LIMIT)

    assert_logged_in("reviewer", PASSWORD)
    # The lockout is of the username at that address: the same user elsewhere is not locked out.
    assert_logged_in("clerk", PASSWORD, ip="10.99.0.7")
    assert_locked_out(*log_in("clerk", PASSWORD))


def test_a_successful_login_before_the_limit_resets_the_count(clerk):
    fail("clerk", LIMIT - 1)
    assert_logged_in("clerk", PASSWORD)
    assert not AccessAttempt.objects.exists()

    response = fail("clerk", LIMIT - 1)

    assert response.status_code == 200
    assert_logged_in("clerk", PASSWORD)


def test_the_admin_login_is_protected_too(clerk):
    clerk.is_staff = True
    clerk.save()
    admin_login = reverse("admin:login")

    response, client = log_in("clerk", PASSWORD, url=admin_login)
    assert response.status_code == 302 and SESSION_KEY in client.session
    fail("clerk", LIMIT, url=admin_login)

    assert_locked_out(*log_in("clerk", PASSWORD, url=admin_login))
    # One count for both login pages.
    assert_locked_out(*log_in("clerk", PASSWORD))


def test_after_the_cool_off_the_user_can_log_in_again(clerk):
    fail("clerk", LIMIT)
    assert_locked_out(*log_in("clerk", PASSWORD))

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert_locked_out(*log_in("clerk", PASSWORD))  # not yet, and trying again restarts the cool-off

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert_logged_in("clerk", PASSWORD)
    assert not AccessAttempt.objects.exists()


def test_an_administrator_reset_lifts_the_lockout(settings, clerk):
    settings.AXES_COOLOFF_TIME = None  # AXES_COOLOFF_MINUTES=0: locked until reset
    fail("clerk", LIMIT)
    response, _client = log_in("clerk", PASSWORD)
    assert response.status_code == 429
    assert "请联系局管理员解除锁定" in response.content.decode()

    assert reset(username="clerk") == 1

    assert_logged_in("clerk", PASSWORD)


def test_the_lockout_page_follows_the_chosen_language(clerk):
    fail("clerk", LIMIT)
    client = Client(REMOTE_ADDR=OFFICE_IP)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})

    page = response.content.decode()
    assert response.status_code == 429
    assert "Login locked" in page and "15 minutes" in page
    assert LOCKED_TEXT not in page


def test_the_lockout_records_are_in_the_admin(clerk):
    fail("clerk", LIMIT)
    client = Client()
    client.force_login(User.objects.create_superuser("boss", password=PASSWORD))

    index = client.get(reverse("admin:index")).content.decode()
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()

    assert reverse("admin:axes_accessattempt_changelist") in index
    assert "clerk" in page and OFFICE_IP in page


def test_limit_and_cool_off_come_from_the_environment():
    def read(**env):
        show = (
            "from django.conf import settings; print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)"
        )
        return manage("shell", "-v", "0", "-c", show, **env).stdout.split()

    assert read(AXES_FAILURE_LIMIT=None, AXES_COOLOFF_MINUTES=None) == ["5", "0:15:00"]
    assert read(AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60") == ["3", "1:00:00"]
    assert read(AXES_COOLOFF_MINUTES="0")[1] == "None"
