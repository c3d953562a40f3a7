"""The admin picks report fields by their Chinese titles (rules, indicators), not as raw JSON of
internal keys, and saves the same list of keys; the thresholds list says which "all" is which."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from reporting.models import ReportRule
from schools import fields
from standards.models import Indicator, Threshold
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("admin", password="yq-admin-2013")
    client.force_login(user)
    return user


def checkbox_labels(page, name):
    """{key: label text} of the checkboxes named `name`."""
    found = {}
    pattern = rf'<label[^>]*><input type="checkbox" name="{name}" value="([^"]+)"[^>]*>(.*?)</label>'
    for key, label in re.findall(pattern, page, re.S):
        found[key] = re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", label)).strip()
    return found


def test_a_new_rule_offers_the_fields_by_title_with_per_level_patterns(client, superuser):
    page = client.get(reverse("admin:reporting_reportrule_add")).content.decode()

    labels = checkbox_labels(page, "numerator")
    assert labels["computers"] == "教学用计算机台数 computers"
    assert labels["students_{level}"] == "各学段在校生数 students_{level}"
    assert labels["qualified_above_{level}"] == "各学段高于规定学历教师数 qualified_above_{level}"
    assert "pe_hour_met" not in labels  # yes/no, not a number
    assert "null" not in page.split('name="numerator"')[0][-300:]
    assert '<textarea name="numerator"' not in page


def test_a_rule_picked_by_title_is_saved_as_the_same_list_of_keys(client, superuser):
    data = {
        "code": "ratio-books",
        "message": "生均图书过少",
        "severity": "warning",
        "kind": "range",
        "numerator": ["books"],
        "denominator": ["students_{level}"],
        "minimum": "10",
        "is_active": "on",
    }

    response = client.post(reverse("admin:reporting_reportrule_add"), data)

    assert response.status_code == 302
    rule = ReportRule.objects.get(code="ratio-books")
    assert (rule.numerator, rule.denominator, rule.minimum) == (
        ["books"],
        ["students_{level}"],
        Decimal("10"),
    )


def test_the_rules_own_checks_still_apply(client, superuser):
    data = {
        "code": "cmp",
        "message": "部分大于整体",
        "severity": "error",
        "kind": "compare",
        "numerator": ["gym_area"],
    }

    response = client.post(reverse("admin:reporting_reportrule_add"), data)

    assert response.status_code == 200
    assert "“部分不得大于整体”规则需要填写整体的字段" in response.content.decode()
    assert not ReportRule.objects.filter(code="cmp").exists()


def test_a_builtin_rule_keeps_its_fields_read_only(client, superuser):
    rule = ReportRule.objects.filter(builtin=True).first()

    page = client.get(reverse("admin:reporting_reportrule_change", args=[rule.pk])).content.decode()

    assert not checkbox_labels(page, "numerator")


def test_an_indicators_fields_are_picked_by_title_and_saved_as_keys(client, superuser):
    std = f.standard("t-basic")
    indicator = f.indicator(std, "C", ["computers"], ["students_{level}"], scale=100, name="生均计算机")
    url = reverse("admin:standards_indicator_change", args=[indicator.pk])

    page = client.get(url).content.decode()
    checked = re.findall(r'<input type="checkbox" name="numerator" value="([^"]+)"[^>]*checked', page)
    assert checked == ["computers"]
    assert checkbox_labels(page, "denominator")["students_{level}"] == "各学段在校生数 students_{level}"

    data = {
        "standard": std.pk,
        "code": "C",
        "name": "生均计算机",
        "unit": "台/百生",
        "numerator_unit": "台",
        "category": "equipment",
        "numerator": ["computers", "multimedia_classrooms"],
        "denominator": ["students_{level}"],
        "scale": "100",
        "direction": "ge",
        "levels": "[]",
        "order": 0,
        "thresholds-TOTAL_FORMS": 0,
        "thresholds-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert indicator.numerator == ["computers", "multimedia_classrooms"]
    assert indicator.denominator == ["students_{level}"]


def test_the_thresholds_list_says_which_all_is_which(client, superuser):
    indicator = f.indicator(f.standard("t-basic"), "C", ["computers"], ["students_{level}"])
    Threshold.objects.create(indicator=indicator, value=Decimal("10"))
    Threshold.objects.create(indicator=indicator, applies_to="junior", area_type="rural", value=Decimal("12"))

    page = client.get(reverse("admin:standards_threshold_changelist")).content.decode()

    table = page.split('id="result_list"')[1].split("</table>")[0]
    assert "全部类型/学段" in table and "城乡不限" in table and "初级中学" in table and "乡村" in table
    assert ">全部<" not in table
    assert Indicator.objects.count() == 1


def test_every_field_kept_per_level_has_a_title_for_each_level():
    per_level = {}
    for key in fields.NUMERIC_KEYS:
        for level in fields.LEVELS:
            if key.endswith(f"_{level}"):
                per_level.setdefault(key.removesuffix(f"_{level}") + "_{level}", []).append(level)
    assert set(fields.LEVEL_PATTERNS) == {
        pattern for pattern, levels in per_level.items() if len(levels) >= 2
    }
    with translation.override("en"):
        assert str(fields.LEVEL_PATTERNS["students_{level}"]) == "Students, each level"
