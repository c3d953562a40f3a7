"""The admin's history pages show each change as a user reads it: booleans as 是/否, choices by
their label, foreign keys by their name, dates in Chinese, empty as "—"; a missing change reason
as blank; the column headers in Chinese."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from reporting.models import ReportRule
from standards.models import Threshold
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))
    return client


def history_table(client, url):
    page = client.get(url).content.decode()
    start = page.index('<table id="change-history"')
    return page[start : page.index("</table>", start)]


def text_of(fragment):
    """The fragment's text as a reader sees it, with either colon written as ":"."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).replace(" :", ":").replace("：", ":").strip()


def changes(table):
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", table, re.S)]


def headers(table):
    return [text_of(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]


def test_school_history_reads_as_the_user_sees_the_values(admin_client):
    school = f.school("3303800001", area_type="town")
    successor = f.school("3303800002", name="柳市镇中心小学")
    school.area_type = "rural"
    school.region = f.town(code="330382101", name="虹桥镇")
    school.is_active = False
    school.closed_on = date(2024, 8, 31)
    school.merged_into = successor
    school.save()
    school.district = "一学区"
    school._change_reason = "学区调整"
    school.save()

    table = history_table(admin_client, reverse("admin:schools_school_history", args=[school.pk]))

    assert sorted(changes(table)) == sorted(
        [
            "学区: — → 一学区",
            "城乡分类: 镇区 → 乡村",
            "所属镇街: 柳市镇 → 虹桥镇",
            "在办: 是 → 否",
            "撤并日期: — → 2024年8月31日",
            "并入学校: — → 柳市镇中心小学（3303800002）",
        ]
    )
    assert "学区调整" in text_of(table)
    assert "None" not in text_of(table)


def test_history_column_headers_are_chinese(admin_client):
    school = f.school("3303800001")

    table = history_table(admin_client, reverse("admin:schools_school_history", args=[school.pk]))

    assert headers(table) == ["记录对象", "时间", "操作", "修改人", "修改原因", "修改内容"]


def test_report_rule_history_shows_choice_labels_and_yes_no(admin_client):
    rule = ReportRule.objects.create(
        code="t-books", message="图书册数", severity="warning", kind="range", numerator=["books"], minimum=0
    )
    rule.severity = "error"
    rule.is_active = False
    rule.maximum = Decimal("5000")
    rule.save()

    table = history_table(admin_client, reverse("admin:reporting_reportrule_history", args=[rule.pk]))

    assert sorted(changes(table)) == sorted(
        ["级别: 警示（须说明） → 错误（不能保存）", "上限: — → 5000.000", "启用: 是 → 否"]
    )


def test_threshold_history_names_the_blank_choice(admin_client):
    std = f.standard("t-basic")
    indicator = f.indicator(std, "C", ["computers"], ["students_{level}"], thresholds=["10"])
    threshold = Threshold.objects.get(indicator=indicator)
    threshold.applies_to = "primary"
    threshold.area_type = "rural"
    threshold.value = Decimal("12.5")
    threshold.save()

    table = history_table(admin_client, reverse("admin:standards_threshold_history", args=[threshold.pk]))

    assert sorted(changes(table)) == sorted(
        ["办学类型/学段: 全部类型/学段 → 小学", "城乡分类: 城乡不限 → 乡村", "标准值: 10.000 → 12.500"]
    )


def test_a_past_versions_breadcrumbs_name_the_app_and_model_in_chinese(admin_client):
    school = f.school("3303800001")
    version = school.history.get()

    page = admin_client.get(
        reverse("admin:schools_school_simple_history", args=[school.pk, version.history_id])
    ).content.decode()

    start = page.index('<div class="breadcrumbs">')
    crumbs = text_of(page[start : page.index("</div>", start)])
    assert crumbs == "首页 › 学校与年报 › 学校 › 测试学校001（3303800001） › 历史 › 还原学校"
