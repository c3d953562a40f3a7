"""What an official trips over when reading the pages: an empty queue says why it is empty, the
town filter's empty choice reads 全部, a standard is chosen by its name (not its internal code),
an approved report's review page says what reopening does, the year after a report is offered
only when the bureau has opened it, and a built-in rule's fields read as titles in the admin."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from reporting.models import ReportingYear, ReportRule
from schools.models import Scope
from schools.services import roles_sync
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE = "3303820001"
FIGURES = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 25, "computers": 40}


@pytest.fixture
def county():
    call_command("loaddata", "report-rules", verbosity=0)
    basic = f.standard("t-basic", name="办学基本标准（测试）")
    f.indicator(basic, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level", name="均衡评估标准（测试）")
    region = f.county()
    f.campaign(basic, balance, region=region)
    f.report(f.school(CODE, region=f.town(region), name="测试学校"), year=2012, **FIGURES)
    ReportingYear.objects.create(year=2012, is_open=True)
    compliance_recompute()
    return region


def login(client, role, county):
    user = User.objects.create_user(role, is_staff=True)
    user.groups.add(roles_sync()[role])
    Scope.objects.create(user=user).regions.add(county)
    client.force_login(user)
    return client


def select(html, name):
    """The <select> named `name`, whole."""
    return re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)


def test_an_empty_queue_says_nothing_waits_for_review(client, county):
    login(client, "reviewer", county)
    html = client.get(reverse("reporting:queue")).content.decode()
    assert "没有待审核的年报" in html


def test_the_town_filters_empty_choice_reads_all(client, county):
    login(client, "leader", county)
    for url in (reverse("reporting:queue"), reverse("dashboard:compliance")):
        towns = select(client.get(url).content.decode(), "region")
        assert '<option value="" selected>全部</option>' in towns
        assert "---------" not in towns


def test_a_standard_is_chosen_by_its_name_not_its_code(client, county):
    login(client, "leader", county)
    compliance = select(client.get(reverse("dashboard:compliance")).content.decode(), "standard")
    balance = select(client.get(reverse("dashboard:balance")).content.decode(), "standard")
    assert ">办学基本标准（测试）</option>" in compliance
    assert ">均衡评估标准（测试）</option>" in balance
    assert "t-basic）" not in compliance and "t-balance）" not in balance


def test_an_approved_reports_review_page_says_what_reopening_does(client, county):
    login(client, "reviewer", county)
    html = client.get(reverse("reporting:review", args=[CODE, 2012])).content.decode()
    assert "重新打开后年报退回学校修改" in html


def test_the_next_year_is_offered_only_once_the_bureau_has_opened_it(client, county):
    login(client, "reviewer", county)
    url = reverse("reporting:entry", args=[CODE, 2012])
    assert reverse("reporting:entry", args=[CODE, 2013]) not in client.get(url).content.decode()
    ReportingYear.objects.create(year=2013, is_open=True)
    assert reverse("reporting:entry", args=[CODE, 2013]) in client.get(url).content.decode()


def test_a_builtin_rules_fields_read_as_titles_in_the_admin(client, county):
    admin = User.objects.create_superuser("admin")
    client.force_login(admin)
    rule = ReportRule.objects.get(code="non-negative")
    html = client.get(reverse("admin:reporting_reportrule_change", args=[rule.pk])).content.decode()
    assert "小学高于规定学历教师数" in html
    assert "qualified_above_primary" not in html


def test_a_view_only_user_reads_a_rules_fields_as_titles(client, county):
    login(client, "reviewer", county)
    rule = ReportRule.objects.get(code="non-negative")
    response = client.get(reverse("admin:reporting_reportrule_change", args=[rule.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "小学高于规定学历教师数" in html
    assert "qualified_above_primary" not in html
