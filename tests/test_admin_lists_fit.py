"""The admin's changelists fit a 1366 px screen: secondary columns left to the filters and forms,
the limits of a rule in one column, the admin's own stylesheet; and each cell says what it means
(a threshold's open choices read 全部类型/学段 and 城乡不限, not 全部 twice)."""

import html
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from reporting.models import ReportRule
from standards.models import Threshold
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))
    return client


def text_of(fragment):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def result_table(client, url):
    page = client.get(url).content.decode()
    start = page.index('<table id="result_list"')
    return page[start : page.index("</table>", start)]


def headers(table):
    head = table[: table.index("</thead>")]
    return [text_of(cell) for cell in re.findall(r'<div class="text">(.*?)</div>', head, re.S)][
        1:
    ]  # after the checkbox


def rows(table):
    body = table[table.index("<tbody>") :]
    return [
        [text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)][1:]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def indicator():
    std = f.standard("t-basic", name="测试基本标准")
    return f.indicator(std, "C", ["computers"], ["students_{level}"], name="每百名学生计算机台数")


def test_a_threshold_row_says_what_each_open_choice_means(admin_client, indicator):
    Threshold.objects.create(indicator=indicator, value=Decimal("10"))

    table = result_table(admin_client, reverse("admin:standards_threshold_changelist"))

    assert headers(table) == ["指标", "办学类型/学段", "班数", "城乡分类", "标准值"]
    assert rows(table) == [["C 每百名学生计算机台数", "全部类型/学段", "不限班数", "城乡不限", "10.000"]]


def test_a_threshold_band_reads_with_its_bounds_included(indicator):
    def band(low, high):
        return Threshold(indicator=indicator, min_classes=low, max_classes=high, value=1).band_label()

    assert [band(12, 24), band(25, None), band(None, 6), band(None, None)] == [
        "12–24班",
        "≥25班",
        "≤6班",
        "不限班数",
    ]


def test_a_threshold_names_its_open_choices(indicator):
    Threshold.objects.create(indicator=indicator, value=Decimal("10"))
    threshold = Threshold.objects.get()

    assert (threshold.get_applies_to_display(), threshold.get_area_type_display()) == (
        "全部类型/学段",
        "城乡不限",
    )
    assert str(threshold) == "C 全部类型/学段 不限班数: 10.000"


def test_report_rules_list_their_limits_in_one_column(admin_client):
    ReportRule.objects.all().delete()
    ReportRule.objects.create(
        code="t-range",
        message="图书册数超出合理范围",
        severity="error",
        kind="range",
        numerator=["books"],
        minimum=Decimal("0"),
        maximum=Decimal("2000000.000"),
    )
    ReportRule.objects.create(
        code="t-low", message="不能为负数", severity="error", kind="range", numerator=["books"], minimum=0
    )
    ReportRule.objects.create(
        code="t-change",
        message="变化过大",
        severity="warning",
        kind="change",
        numerator=["books"],
        max_change_percent=Decimal("50.00"),
    )
    ReportRule.objects.create(
        code="t-part",
        message="骨干教师不能多于专任教师",
        severity="error",
        kind="compare",
        numerator=["backbone_junior"],
        denominator=["teachers_junior"],
    )

    table = result_table(admin_client, reverse("admin:reporting_reportrule_changelist"))

    assert headers(table) == ["代码", "提示", "级别", "类型", "界限", "启用", "内置"]
    limits = {row[0]: row[4] for row in rows(table)}
    assert limits == {"t-range": "0 – 2000000", "t-low": "≥ 0", "t-change": "±50%", "t-part": "不大于整体"}


def test_compliance_summaries_name_the_level(admin_client):
    std = f.standard("t-level", unit="level", name="按学段标准")
    f.indicator(std, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(std, max_failed=0)
    school = f.school("3303800001", school_type="nine_year")
    f.report(
        school,
        students_primary=100,
        students_junior=100,
        classes_primary=4,
        classes_junior=2,
        teachers_primary=8,
        teachers_junior=6,
        computers=40,
    )
    compliance_recompute()

    table = result_table(admin_client, reverse("admin:standards_compliancesummary_changelist"))

    assert headers(table)[:5] == ["学校标识码", "学校名称", "年度", "标准", "学段"]
    assert sorted(row[4] for row in rows(table)) == ["初中", "小学"]


def test_the_admin_pages_load_the_admins_stylesheet(admin_client):
    page = admin_client.get(reverse("admin:standards_threshold_changelist")).content.decode()

    assert "css/admin.css" in page
