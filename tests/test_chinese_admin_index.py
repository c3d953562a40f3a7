"""The admin's index names every app in Chinese, under a Chinese header and title."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture
def superuser():
    return User.objects.create_superuser("boss", password="yq-admin-2013")


def test_every_app_in_the_admin_index_has_a_chinese_name(superuser):
    request = RequestFactory().get(reverse("admin:index"))
    request.user = superuser

    names = {app["app_label"]: str(app["name"]) for app in admin.site.get_app_list(request)}

    assert {"schools", "standards", "phases", "axes"} <= set(names)
    english = {label: name for label, name in names.items() if LATIN.search(name) or not HAN.search(name)}
    assert english == {}


def test_the_index_page_shows_the_chinese_names_and_header(client, superuser):
    client.force_login(superuser)

    page = client.get(reverse("admin:index")).content.decode()

    for name in ("学校与年报", "办学与均衡标准", "创建工作推进", "登录失败记录"):
        assert name in page
    for english in (">Schools<", ">Standards<", ">Phases<", ">Axes<"):
        assert english not in page
    assert "<title>教育局管理控制台 | 均衡发展监测平台</title>" in page
    assert "乐清市义务教育均衡发展监测平台</a>" in page
